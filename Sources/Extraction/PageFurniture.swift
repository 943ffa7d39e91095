import CLibXML2

// Page furniture an HTML page declares by its markup: what a site puts around every article
// (menus, the banner, the footer, side columns, lists of links to other pages), told from the
// article by the elements it sits in and by how much of its text is links, never by site.
//
//   furniture elements  <nav>, <aside>, <menu>; <header> and <footer> of the page (not those
//                       inside an <article>, <main> or <section>, which hold the article's own
//                       title and byline); ARIA roles navigation, banner, contentinfo,
//                       complementary, search; class or id words menu, nav, navbar, sidebar,
//                       breadcrumb, footer
//   link lists          a block (div, ul, ol, li, p, td, table, dl, section) with two links or
//                       more whose text is at least 70% link text
//
// The walker (HTMLWalker) records the output ranges; `text` turns them into whole lines of the
// tidied text. The extracted text keeps every line (it is what the page shows, and `show`
// prints it); the news cleaner (ArticleCleaner) leaves the lines out of the article it indexes.

enum PageFurniture {
    static let elements: Set<String> = ["nav", "aside", "menu"]
    static let pageElements: Set<String> = ["header", "footer"]
    /// Elements whose <header>/<footer> belong to their content, not to the page.
    static let contentElements: Set<String> = ["article", "main", "section"]
    static let roles: Set<String> = ["navigation", "banner", "contentinfo", "complementary", "search"]
    static let classWords: Set<String> = ["menu", "nav", "navbar", "navigation", "sidebar", "breadcrumb", "breadcrumbs", "footer"]
    static let linkListBlocks: Set<String> = ["div", "ul", "ol", "li", "p", "td", "table", "dl", "section"]
    /// A link list: this share of its text in links, and at least this many links.
    static let linkShare = 0.7
    static let minimumLinks = 2
    /// When furniture would be nearly the whole page, the page is what was archived (a list of
    /// links someone kept on purpose): nothing is marked.
    static let maximumShare = 0.9

    static func isFurniture(_ node: xmlNodePtr, _ name: String, insideContent: Bool) -> Bool {
        if elements.contains(name) { return true }
        if pageElements.contains(name) && !insideContent { return true }
        if let role = LibXML.attribute(node, "role")?.lowercased(), roles.contains(role) {
            return !(role == "banner" || role == "contentinfo") || !insideContent
        }
        for attribute in ["class", "id"] {
            guard let value = LibXML.attribute(node, attribute)?.lowercased() else { continue }
            // "main-menu", "nav_top", "site-footer": the words of the name.
            let words = value.split { $0 == " " || $0 == "-" || $0 == "_" }
            if words.contains(where: { classWords.contains(String($0)) }) { return true }
        }
        return false
    }

    static func isLinkList(_ name: String, visible: Int, linked: Int, links: Int) -> Bool {
        linkListBlocks.contains(name) && links >= minimumLinks && visible > 0
            && Double(linked) >= linkShare * Double(visible)
    }

    /// U+FDD0 and U+FDD1, noncharacters (for a program's internal use, never text): the
    /// furniture's bounds while the text is tidied.
    static let open: [UInt8] = [0xEF, 0xB7, 0x90], close: [UInt8] = [0xEF, 0xB7, 0x91]

    /// The tidied text of the walker's output, and its lines (1-based) made of furniture only.
    static func text(_ bytes: [UInt8], furniture: [Range<Int>]) -> (String, [Int]) {
        let merged = merge(furniture)
        let covered = merged.reduce(0) { $0 + $1.count }
        guard !merged.isEmpty, Double(covered) < maximumShare * Double(bytes.count), !containsMarker(bytes) else {
            return (TextCleanup.tidyLines(String(decoding: bytes, as: UTF8.self)), [])
        }
        var marked: [UInt8] = []
        marked.reserveCapacity(bytes.count + 6 * merged.count)
        var at = 0
        for range in merged {
            marked.append(contentsOf: bytes[at..<range.lowerBound])
            marked.append(contentsOf: open)
            marked.append(contentsOf: bytes[range])
            marked.append(contentsOf: close)
            at = range.upperBound
        }
        marked.append(contentsOf: bytes[at...])
        let tidied = TextCleanup.tidyLines(String(decoding: marked, as: UTF8.self))

        // Line by line: a line is furniture when every visible character is inside the marks.
        // A line holding marks only (one set where a <pre> ended its line) is not a line.
        var text = String.UnicodeScalarView()
        var lines: [Int] = []
        var current = String.UnicodeScalarView()
        var inside = false, line = 0
        var sawInside = false, sawOutside = false, hadMark = false
        func endLine() {
            let marksOnly = hadMark && !sawInside && !sawOutside && current.allSatisfy(TextCleanup.isInvisible)
            if !marksOnly {
                if line > 0 { text.append("\n") }
                text.append(contentsOf: current)
                line += 1
                if sawInside && !sawOutside { lines.append(line) }
            }
            current = String.UnicodeScalarView()
            sawInside = false; sawOutside = false; hadMark = false
        }
        for scalar in tidied.unicodeScalars {
            switch scalar.value {
            case 0xFDD0: inside = true; hadMark = true
            case 0xFDD1: inside = false; hadMark = true
            case 0x0A: endLine()
            default:
                current.append(scalar)
                if !TextCleanup.isInvisible(scalar) {
                    if inside { sawInside = true } else { sawOutside = true }
                }
            }
        }
        endLine()
        return (String(text), lines)
    }

    static func merge(_ ranges: [Range<Int>]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        for r in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) where !r.isEmpty {
            if let last = result.last, r.lowerBound <= last.upperBound {
                result[result.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
            } else {
                result.append(r)
            }
        }
        return result
    }

    static func containsMarker(_ bytes: [UInt8]) -> Bool {
        var i = 0
        while i + 2 < bytes.count {
            if bytes[i] == 0xEF, bytes[i + 1] == 0xB7, bytes[i + 2] == 0x90 || bytes[i + 2] == 0x91 { return true }
            i += 1
        }
        return false
    }
}

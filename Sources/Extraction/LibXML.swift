// libxml2 plumbing shared by the HTML and DOCX extractors: one-time initialisation, a
// non-recursive tree walk (deeply nested input must not overflow the stack), and
// allocation-free access to names, attributes and text.

import CLibXML2

/// libxml2 must be initialised once before it is used from several threads; after that each
/// parse with its own document/context is thread-safe.
private let libxmlInitialised: Bool = {
    xmlInitParser()
    return true
}()

enum LibXML {
    static func ensureInitialised() {
        precondition(libxmlInitialised)
    }

    /// Events of a depth-first walk.
    enum Step {
        /// Walk into the node's children.
        case descend
        /// Skip the node's children (`leave` is still called for the node).
        case skipChildren
    }

    /// Visits `root` and everything below it in document order without recursion, following
    /// the tree's own parent/next pointers: `enter` before a node's children, `leave` after.
    static func walk(_ root: xmlNodePtr, clock: ExtractionClock? = nil,
                     enter: (xmlNodePtr) -> Step,
                     leave: (xmlNodePtr) -> Void) {
        var node: xmlNodePtr? = root
        while let current = node {
            if let clock, clock.step() { return }  // out of time: the caller's check throws
            if enter(current) == .descend, let child = current.pointee.children {
                node = child
                continue
            }
            // Leave this node, then climb until a next sibling is found.
            var up: xmlNodePtr? = current
            node = nil
            while let n = up {
                leave(n)
                if n == root { break }
                if let next = n.pointee.next {
                    node = next
                    break
                }
                up = n.pointee.parent
                if up == nil { break }
            }
        }
    }

    /// The node's local name (elements and attributes), e.g. "div" or "t" for w:t.
    @inline(__always)
    static func name(_ node: xmlNodePtr) -> String {
        guard let name = node.pointee.name else { return "" }
        return String(cString: name)
    }

    /// The node's namespace URI, if any.
    static func namespace(_ node: xmlNodePtr) -> String? {
        guard let ns = node.pointee.ns, let href = ns.pointee.href else { return nil }
        return String(cString: href)
    }

    /// The value of attribute `name` (matched on its local name, ASCII case-insensitively),
    /// read straight from the attribute's text children.
    static func attribute(_ node: xmlNodePtr, _ name: String) -> String? {
        var attr = node.pointee.properties
        while let a = attr {
            if let raw = a.pointee.name, String(cString: raw).lowercased() == name {
                var value = ""
                var child = a.pointee.children
                while let c = child {
                    if let content = c.pointee.content { value += String(cString: content) }
                    child = c.pointee.next
                }
                return value
            }
            attr = a.pointee.next
        }
        return nil
    }

    /// True when the element has an attribute called `name`.
    static func hasAttribute(_ node: xmlNodePtr, _ name: String) -> Bool {
        var attr = node.pointee.properties
        while let a = attr {
            if let raw = a.pointee.name, String(cString: raw).lowercased() == name { return true }
            attr = a.pointee.next
        }
        return false
    }

    /// All text below `node` (text and CDATA nodes), without recursion.
    static func textContent(_ node: xmlNodePtr) -> String {
        var bytes: [UInt8] = []
        walk(node, enter: { n in
            let type = n.pointee.type
            if type == XML_TEXT_NODE || type == XML_CDATA_SECTION_NODE, let content = n.pointee.content {
                appendCString(content, to: &bytes)
            }
            return (type == XML_ELEMENT_NODE || n == node) ? .descend : .skipChildren
        }, leave: { _ in })
        return String(decoding: bytes, as: UTF8.self)
    }

    @inline(__always)
    static func appendCString(_ p: UnsafePointer<xmlChar>, to bytes: inout [UInt8]) {
        let length = Int(xmlStrlen(p))
        bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: length))
    }
}

import Archive
import Extraction
import Foundation

/// `vanban-bench extract [--encoding NAME] FILE...`: each file through the extractor as
/// `vanban import` would read it; one JSON line per file (text, the encoding it was converted
/// from, the detector's confidence, or the error). scripts/bench/bench-encodings compares the
/// texts with the originals.
///
/// `vanban-bench misfires FILE.jsonl|-`: the `text` of every line, as the bytes of a plain
/// text file, through the extractor; counts the documents that were converted (each one a
/// misfire, the texts being UTF-8) and those refused. One JSON line.
enum ExtractRun {
    static func extract(_ arguments: [String]) {
        var files = arguments
        var encoding: TextEncoding?
        if files.first == "--encoding", files.count >= 2 {
            guard let e = TextEncoding(label: files[1]) else { fail("unknown encoding \(files[1])") }
            encoding = e
            files.removeFirst(2)
        }
        let extractor = Extractor(encoding: encoding)
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { fail("cannot read \(file)") }
            var out: [String: Any] = ["file": file]
            do {
                let doc = try extractor.extract([UInt8](data), fileName: file)
                out["text"] = doc.text
                out["title"] = doc.title ?? NSNull()
                out["encoding"] = doc.conversion?.encoding.rawValue ?? NSNull()
                out["confidence"] = doc.conversion?.confidence ?? NSNull()
                out["case_may_be_lost"] = doc.conversion?.caseMayBeLost ?? false
            } catch {
                out["error"] = error.reason
            }
            write(out)
        }
    }

    static func misfires(_ path: String) {
        let data: Data
        if path == "-" { data = FileHandle.standardInput.readDataToEndOfFile() } else {
            guard let d = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
            data = d
        }
        var documents = 0, converted = 0, refused = 0, bytes = 0
        var examples: [String] = []
        let extractor = Extractor()
        let started = Date()
        for line in data.split(separator: 0x0A) where !line.isEmpty {
            guard let f = FlatJSON.stringFields(ArraySlice(line), names: ["id", "text"]), let text = f["text"], !text.isEmpty else { continue }
            documents += 1
            bytes += text.utf8.count
            do {
                let doc = try extractor.extract(Array(text.utf8), fileName: "doc.txt")
                if let c = doc.conversion {
                    converted += 1
                    if examples.count < 5 { examples.append("\(f["id"] ?? "?"): \(c.encoding.rawValue)") }
                }
            } catch {
                refused += 1
                if examples.count < 5 { examples.append("\(f["id"] ?? "?"): refused: \(error.reason)") }
            }
        }
        write(["documents": documents, "bytes": bytes, "converted": converted, "refused": refused,
               "examples": examples, "seconds": Date().timeIntervalSince(started)])
    }

    static func write(_ object: [String: Any]) {
        let json = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        FileHandle.standardOutput.write(json + Data([0x0A]))
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("vanban-bench: \(message)\n".utf8))
        exit(1)
    }
}

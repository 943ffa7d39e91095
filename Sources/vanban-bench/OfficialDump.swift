import Archive
import Extraction
import Foundation

/// `vanban-bench official FILE.jsonl`: what VanBan reads in each document's text (the
/// `OfficialText` the index stores), one JSON line per input line, with the input's own `id`.
/// scripts/dev/eval-official compares it with the corpus's labels.
enum OfficialDump {
    static func run(file: String) {
        guard let data = FileManager.default.contents(atPath: file) else {
            FileHandle.standardError.write(Data("vanban-bench official: cannot read \(file)\n".utf8)); exit(1)
        }
        for line in data.split(separator: 0x0A) where !line.isEmpty {
            guard let f = FlatJSON.stringFields(ArraySlice(line), names: ["id", "text"]), let text = f["text"] else { continue }
            let o = OfficialText.read(text)
            var out: [String: Any] = ["id": f["id"] ?? ""]
            out["type"] = o.type ?? NSNull()
            out["number"] = o.number?.text ?? NSNull()
            out["number_key"] = o.number?.key ?? NSNull()
            out["issued"] = o.issued ?? NSNull()
            out["place"] = o.place ?? NSNull()
            out["effective"] = o.effective ?? NSNull()
            out["issuers"] = o.issuers
            out["subject"] = o.subject ?? NSNull()
            out["signers"] = o.signers.map { ["form": $0.form ?? "", "position": $0.position ?? "", "name": $0.name] }
            out["recipients"] = o.recipients.count
            out["bases"] = o.bases.count
            out["citations"] = Dictionary(grouping: o.citations, by: \.relation.rawValue).mapValues(\.count)
            out["articles"] = o.outline.filter { $0.level == .article }.count
            out["title"] = o.derivedTitle ?? NSNull()
            let json = try! JSONSerialization.data(withJSONObject: out, options: [.sortedKeys])
            FileHandle.standardOutput.write(json + Data([0x0A]))
        }
    }
}

import Foundation
import DocumentModel
import SearchIndex
import VietText

enum BenchMain {
    static func run(_ arguments: [String]) {
        if arguments.count == 5, arguments[1] == "sql1" {
            sqlOnce(directory: arguments[2], setup: arguments[3], sql: arguments[4])
            return
        }
        if arguments.count == 5, arguments[1] == "sql" {
            sql(directory: arguments[2], statement: arguments[3], file: arguments[4])
            return
        }
        if arguments.count == 5, arguments[1] == "archive-step" {
            ArchiveStep.run(durability: arguments[2], archive: arguments[3], file: arguments[4])
            return
        }
        if arguments.count >= 4, arguments[1] == "read-objects" {
            ObjectReads.run(archive: arguments[2], hashFile: arguments[3], rounds: arguments.count > 4 ? Int(arguments[4]) ?? 3 : 3)
            return
        }
        if arguments.count == 4, arguments[1] == "restore" {
            RankingRun.restore(directory: arguments[2], file: arguments[3])
            return
        }
        if arguments.count >= 4, arguments[1] == "words" {
            RankingRun.words(directory: arguments[2], forms: Array(arguments.dropFirst(3)))
            return
        }
        if arguments.count >= 4, arguments[1] == "rank" {
            RankingRun.run(directory: arguments[2], queries: arguments[3], settings: Array(arguments.dropFirst(4)))
            return
        }
        if arguments.count >= 3, arguments[1] == "extract" {
            ExtractRun.extract(Array(arguments.dropFirst(2)))
            return
        }
        if arguments.count == 3, arguments[1] == "misfires" {
            ExtractRun.misfires(arguments[2])
            return
        }
        if arguments.count == 3, arguments[1] == "official" {
            OfficialDump.run(file: arguments[2])
            return
        }
        if arguments.count >= 4, arguments[1] == "index" {
            // --no-word-statistics: the cost of gathering the query reader's statistics.
            if arguments.dropFirst(4).contains("--no-word-statistics") { IndexConnection.gathersWordStatistics = false }
            // --reposts: each body also gets its near-duplicate signature and is grouped.
            index(file: arguments[2], directory: arguments[3], reposts: arguments.dropFirst(4).contains("--reposts"))
            return
        }
        guard arguments.count == 3, arguments[1] == "tokenize" else {
            FileHandle.standardError.write(Data("usage: vanban-bench tokenize FILE | index FILE DIR | archive-step syncfs|fsync ARCHIVE FILE.jsonl | read-objects ARCHIVE HASHES [ROUNDS]\n".utf8))
            exit(2)
        }
        guard let data = FileManager.default.contents(atPath: arguments[2]) else {
            FileHandle.standardError.write(Data("vanban-bench: cannot read \(arguments[2])\n".utf8))
            exit(1)
        }
        let bytes = [UInt8](data)
        var tokens = 0
        var accentedTokens = 0
        var documents = 0
        var checksum = 0
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            bytes.withUnsafeBufferPointer { all in
                var start = 0
                while start + 4 <= all.count {
                    let length = Int(all[start]) | Int(all[start + 1]) << 8 | Int(all[start + 2]) << 16 | Int(all[start + 3]) << 24
                    start += 4
                    let end = min(start + length, all.count)
                    Tokenizer.forEachToken(in: UnsafeBufferPointer(rebasing: all[start..<end])) { token in
                        tokens += 1
                        if token.hasDiacritics { accentedTokens += 1 }
                        checksum &+= token.folded.count &+ token.end
                    }
                    documents += 1
                    start = end
                }
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let mb = Double(bytes.count) / 1_000_000
        print("""
            {"documents":\(documents),"bytes":\(bytes.count),"tokens":\(tokens),\
            "tokens_with_diacritics":\(accentedTokens),"seconds":\(String(format: "%.3f", seconds)),\
            "mb_per_s":\(String(format: "%.1f", mb / seconds)),\
            "tokens_per_s":\(String(format: "%.0f", Double(tokens) / seconds)),"checksum":\(checksum)}
            """)
    }
}

extension BenchMain {
    /// Documents of a length-prefixed file (title, newline, text).
    static func documents(_ path: String) -> [(title: String, body: String)] {
        guard let data = FileManager.default.contents(atPath: path) else {
            FileHandle.standardError.write(Data("vanban-bench: cannot read \(path)\n".utf8))
            exit(1)
        }
        let bytes = [UInt8](data)
        var result: [(String, String)] = []
        var start = 0
        while start + 4 <= bytes.count {
            let length = Int(bytes[start]) | Int(bytes[start + 1]) << 8 | Int(bytes[start + 2]) << 16 | Int(bytes[start + 3]) << 24
            start += 4
            let doc = bytes[start..<min(start + length, bytes.count)]
            let newline = doc.firstIndex(of: 0x0A) ?? doc.endIndex
            result.append((String(decoding: doc[..<newline], as: UTF8.self),
                           String(decoding: doc[min(newline + 1, doc.endIndex)...], as: UTF8.self)))
            start += length
        }
        return result
    }

    /// Index-building rate without the archive: documents straight from memory into a new
    /// index generation, as `vanban reindex` writes it.
    static func index(file: String, directory: String, reposts: Bool = false) {
        let docs = documents(file)
        let bytes = docs.reduce(0) { $0 + $1.title.utf8.count + $1.body.utf8.count }
        let clock = ContinuousClock()
        let started = clock.now
        do {
            try IndexConnection.rebuild(in: URL(fileURLWithPath: directory), appliedThrough: docs.count) { writer in
                for (k, doc) in docs.enumerated() {
                    try writer.apply(IndexDocument(id: String(k), seq: k + 1, hash: "", body: doc.body, metadata: DocumentMetadata(title: doc.title),
                                                   signsReposts: reposts))
                }
            }
        } catch {
            FileHandle.standardError.write(Data("vanban-bench: \(error)\n".utf8))
            exit(1)
        }
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(String(format: "{\"documents\":%d,\"bytes\":%d,\"seconds\":%.3f,\"mb_per_s\":%.1f}",
                     docs.count, bytes, seconds, Double(bytes) / seconds / 1e6))
    }
}

extension BenchMain {
    /// Times one SQL statement (with the VanBan tokenizer registered) over a list of MATCH
    /// expressions: `vanban-bench sql INDEXDIR "SELECT ... MATCH ?1" FILE`.
    static func sql(directory: String, statement sql: String, file: String) {
        do {
            let index = try IndexConnection(directory: URL(fileURLWithPath: directory), readOnly: true)
            let lines = (try String(contentsOfFile: file, encoding: .utf8)).split(separator: "\n").map(String.init)
            let clock = ContinuousClock()
            var rows = 0
            let elapsed = try clock.measure {
                for line in lines {
                    let query = try QueryParser.parse(line)
                    guard let expression = query.root?.fts5Expression() else { continue }
                    rows += try index.countRows(sql, binding: expression)
                }
            }
            print("\(lines.count) queries, \(rows) rows, \(elapsed / lines.count) per query")
        } catch {
            FileHandle.standardError.write(Data("vanban-bench: \(error)\n".utf8))
            exit(1)
        }
    }
}

extension BenchMain {
    /// Runs setup SQL then times `sql` once: `vanban-bench sql1 INDEXDIR SETUP SQL`.
    static func sqlOnce(directory: String, setup: String, sql: String) {
        do {
            let index = try IndexConnection(directory: URL(fileURLWithPath: directory))
            if !setup.isEmpty { _ = try index.countRows(setup, binding: "") }
            let clock = ContinuousClock()
            var rows = 0
            let elapsed = try clock.measure { rows = try index.countRows(sql, binding: "") }
            print("\(rows) rows in \(elapsed)")
        } catch {
            FileHandle.standardError.write(Data("vanban-bench: \(error)\n".utf8))
            exit(1)
        }
    }
}

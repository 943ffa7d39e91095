import Foundation
import VietText

enum BenchMain {
    static func run(_ arguments: [String]) {
        guard arguments.count == 3, arguments[1] == "tokenize" else {
            FileHandle.standardError.write(Data("usage: vanban-bench tokenize FILE\n".utf8))
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

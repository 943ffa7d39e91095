// What every test target needs from its surroundings: temporary directories, and where the
// repository's sample documents and the shared corpus sample are. One copy, used by all.
import Foundation

/// A fresh directory under the system temp dir, removed by `cleanup()`.
public struct TempDir: Sendable {
    public let url: URL
    public var path: String { url.path }

    public init(_ name: String = "vanban-test") {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public func cleanup() { try? FileManager.default.removeItem(at: url) }
    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    @discardableResult
    public func write(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let u = file(name)
        try FileManager.default.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: u)
        return u
    }

    @discardableResult
    public func write(_ name: String, _ text: String) throws -> URL { try write(name, Array(text.utf8)) }
}

public enum Fixtures {
    /// The repository root (this file is Tests/TestSupport/TestSupport.swift).
    public static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The five sample documents (copies of ../shared/seeds).
    public static let seeds = repoRoot.appendingPathComponent("Tests/Fixtures/seeds")
    /// ../shared/corpus/sample.jsonl.gz beside the repository (absent in some checkouts:
    /// tests that read it are enabled only when it is there).
    public static let sampleCorpus = repoRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/corpus/sample.jsonl.gz")
    public static var hasSampleCorpus: Bool { FileManager.default.fileExists(atPath: sampleCorpus.path) }

    public static func seedFiles() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: seeds, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "txt" }.sorted { $0.path < $1.path }
    }

    public static func bytes(_ url: URL) throws -> [UInt8] { Array(try Data(contentsOf: url)) }

    /// The corpus sample's lines as JSON objects, decompressed with the system gzip.
    public static func sampleCorpusRecords() throws -> [[String: Any]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "gzip -dc \"$0\"", sampleCorpus.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return try data.split(separator: 0x0A).map { line in
            try JSONSerialization.jsonObject(with: line) as? [String: Any] ?? [:]
        }
    }
}

// swift-tools-version:6.0
import PackageDescription

// Module graph (dependencies point one way; see ARCHITECTURE.md):
//   vanban, Server -> VanBanKit -> SearchIndex, Archive, Extraction -> VietText, DocumentModel, Platform
// The front ends import VanBanKit and their own frameworks only.
let package = Package(
    name: "VanBan",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "vanban", targets: ["vanban"]),
        .library(name: "VanBanKit", targets: ["VanBanKit"]),
        .library(name: "VietText", targets: ["VietText"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // Already used by Hummingbird; named for the HTTP/1 parser's errors and version (Server/HTTP).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
    ],
    targets: [
        // Pure Swift Vietnamese text analysis: normalisation, folding, tokenizer.
        .target(name: "VietText"),
        // The document's metadata value (one definition of every field) and the JSON writer.
        .target(name: "DocumentModel", dependencies: ["VietText"]),
        // System calls retried on EINTR, parallel loops, atomic file replacement: the few
        // platform helpers every lower module shares (package access only).
        .target(name: "Platform"),

        // System C libraries (Debian: zlib1g-dev, libsqlite3-dev, libxml2-dev).
        .systemLibrary(name: "CSystemZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),

        // Content-addressed gzip object store and the append-only manifest.
        .target(name: "Archive", dependencies: [
            "DocumentModel", "Platform", "CSystemZlib",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Plain text and metadata from source files.
        .target(name: "Extraction", dependencies: [
            "DocumentModel", "VietText", "Platform", "CLibXML2",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        // SQLite FTS5 index, tokenizer bridge, query parser, ranking.
        // The synonym and abbreviation list (Reading/synonyms.txt) is data, compiled into the
        // program (so an installed `vanban` needs no resource folder beside it); an archive's own
        // synonyms.txt adds to it at run time.
        .target(name: "SearchIndex", dependencies: ["VietText", "DocumentModel", "Platform", "CSQLite", "CSystemZlib"],
                resources: [.embedInCode("Reading/synonyms.txt")]),
        // The facade both front ends use.
        .target(name: "VanBanKit", dependencies: [
            "VietText", "DocumentModel", "Platform", "Archive", "Extraction", "SearchIndex", "CSQLite",
        ]),
        // HTTP routes and the search page; translates HTTP to VanBanKit calls only.
        .target(name: "Server", dependencies: [
            "VanBanKit",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "MultipartKit", package: "multipart-kit"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
        ]),
        .executableTarget(name: "vanban", dependencies: [
            "VanBanKit",
            "Server",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Micro-benchmarks driven by scripts/bench/bench-* (release builds); benchmark-only switches live here, not in vanban.
        .executableTarget(name: "vanban-bench", dependencies: ["VietText", "DocumentModel", "Platform", "Archive", "Extraction", "SearchIndex"]),

        // Temporary directories and fixture paths shared by the test targets.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "VietTextTests", dependencies: ["VietText", "TestSupport"]),
        .testTarget(name: "ArchiveTests", dependencies: [
            "Archive", "DocumentModel", "TestSupport",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .testTarget(name: "ExtractionTests", dependencies: ["Extraction", "DocumentModel", "TestSupport"]),
        .testTarget(name: "SearchIndexTests", dependencies: ["SearchIndex", "DocumentModel", "VietText", "TestSupport"]),
        .testTarget(name: "VanBanKitTests", dependencies: ["VanBanKit", "Archive", "Extraction", "SearchIndex", "TestSupport"]),
        .testTarget(name: "ServerTests", dependencies: [
            "Server", "TestSupport",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        // Runs the built `vanban` executable (crash test, exit codes); depending on the
        // executable target makes `swift test` build it.
        .testTarget(name: "VanBanCLITests", dependencies: ["vanban", "VanBanKit", "TestSupport"]),
    ]
)

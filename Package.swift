// swift-tools-version:6.0
import PackageDescription

// Module graph (dependencies point one way, see ../shared/DESIGN.md):
//   vanban, Server -> VanBanKit -> SearchIndex, Archive, Extraction -> VietText
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
    ],
    targets: [
        // Pure Swift Vietnamese text analysis: normalisation, folding, tokenizer.
        .target(name: "VietText"),

        // System C libraries (Debian: zlib1g-dev, libsqlite3-dev, libxml2-dev).
        .systemLibrary(name: "CSystemZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),

        // Content-addressed gzip object store and the append-only manifest.
        .target(name: "Archive", dependencies: [
            "CSystemZlib",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Plain text and metadata from source files.
        .target(name: "Extraction", dependencies: [
            "CLibXML2",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        // SQLite FTS5 index, tokenizer bridge, query parser, ranking.
        .target(name: "SearchIndex", dependencies: ["VietText", "CSQLite"]),
        // The facade both front ends use.
        .target(name: "VanBanKit", dependencies: ["VietText", "Archive", "Extraction", "SearchIndex", "CSQLite"]),
        // HTTP routes and the search page; translates HTTP to VanBanKit calls only.
        .target(name: "Server", dependencies: [
            "VanBanKit",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "vanban", dependencies: [
            "VanBanKit",
            "Server",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Micro-benchmarks driven by scripts/bench-* (release builds).
        .executableTarget(name: "vanban-bench", dependencies: ["VietText", "SearchIndex"]),

        // Temporary directories and fixture paths shared by the test targets.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "VietTextTests", dependencies: ["VietText", "TestSupport"]),
        .testTarget(name: "ArchiveTests", dependencies: [
            "Archive", "TestSupport",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .testTarget(name: "ExtractionTests", dependencies: ["Extraction"]),
        .testTarget(name: "SearchIndexTests", dependencies: ["SearchIndex", "VietText", "TestSupport"]),
        .testTarget(name: "VanBanKitTests", dependencies: ["VanBanKit", "Archive", "Extraction", "TestSupport"]),
        .testTarget(name: "ServerTests", dependencies: [
            "Server", "TestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        // Runs the built `vanban` executable (crash test, exit codes); depending on the
        // executable target makes `swift test` build it.
        .testTarget(name: "VanBanCLITests", dependencies: ["vanban", "VanBanKit", "TestSupport"]),
    ]
)

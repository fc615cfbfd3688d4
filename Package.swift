// swift-tools-version:6.1
import Foundation
import PackageDescription

/// One settings array for every Swift target: Swift 6 language mode everywhere.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

/// The modules every other one builds on import internally by default (SE-0409), as Hummingbird's
/// do: an import a module's public API needs is written `public import`, so what a module exposes
/// of another is visible in its source.
let foundationSettings = swiftSettings + [.enableUpcomingFeature("InternalImportsByDefault")]

/// Defines libtorrent-rasterbar's headers expect; they must match the Debian build (`pkg-config --cflags libtorrent-rasterbar`).
let libtorrentDefines: [CXXSetting] = [
    "TORRENT_LINKING_SHARED", "BOOST_ASIO_ENABLE_CANCELIO", "BOOST_ASIO_NO_DEPRECATED",
    "TORRENT_USE_OPENSSL", "TORRENT_USE_LIBCRYPTO", "TORRENT_SSL_PEERS", "OPENSSL_NO_SSL2", "BOOST_ALL_NO_LIB",
].map { .define($0) }

var dependencies: [Package.Dependency] = [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.5.0"),
    .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.0"),
    .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
    .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
]

var targets: [Target] = [
    // C shims: no logic beyond what Swift cannot import directly.
    .target(
        name: "CTorrentShim",
        path: "CShims/CTorrentShim",
        cxxSettings: libtorrentDefines + [.unsafeFlags(["-std=c++17", "-fexceptions"])],
        linkerSettings: [.linkedLibrary("torrent-rasterbar"), .linkedLibrary("ssl"), .linkedLibrary("crypto"), .linkedLibrary("stdc++")]
    ),
    .systemLibrary(
        name: "CAudio", path: "CShims/CAudio", pkgConfig: "libavformat libavcodec libswresample libavutil",
        providers: [.apt(["libavformat-dev", "libavcodec-dev", "libswresample-dev", "libavutil-dev"])]),
    .systemLibrary(name: "CLoudness", path: "CShims/CLoudness", pkgConfig: "libebur128", providers: [.apt(["libebur128-dev"])]),
    .systemLibrary(name: "CCrypto", path: "CShims/CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
    .systemLibrary(name: "CCurl", path: "CShims/CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),

    // Data is not code: files under a target's `Embedded/` folder (the OpenAPI document, the admin
    // page, the known-artist list) become string constants at build time; nothing is read at run time.
    .executableTarget(name: "embed-text", path: "Sources/embed-text"),
    .plugin(name: "EmbedText", capability: .buildTool(), dependencies: ["embed-text"]),
    // The C boundary is a build rule: a C module imported outside its wrapper, or with more than
    // internal access, fails the build (Plugins/CBoundary).
    .executableTarget(name: "check-c-boundary", path: "Sources/check-c-boundary"),
    .plugin(name: "CBoundary", capability: .buildTool(), dependencies: ["check-c-boundary"]),

    // What several modules need at a boundary: safe names, secrets, blocking work, bounded reads.
    .target(name: "Basics", dependencies: ["CCrypto"], swiftSettings: foundationSettings, plugins: ["CBoundary"]),
    .target(name: "Tickets", dependencies: ["Basics"], swiftSettings: foundationSettings, plugins: ["CBoundary"]),
    .target(
        name: "Storage",
        dependencies: [
            "Basics", "Tickets", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"), .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ],
        swiftSettings: swiftSettings, plugins: ["CBoundary"]
    ),
    .target(
        name: "Torrent",
        dependencies: [
            "Basics", "CTorrentShim",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ],
        swiftSettings: swiftSettings, plugins: ["CBoundary"]
    ),
    .target(name: "Audio", dependencies: ["Basics", "CAudio", "CLoudness", "Tickets"], swiftSettings: swiftSettings, plugins: ["CBoundary"]),
    .target(name: "Search", dependencies: ["Basics", "Tickets", "CCurl"], swiftSettings: swiftSettings, plugins: ["EmbedText", "CBoundary"]),
    .target(name: "Placement", dependencies: ["Basics", "Tickets", "CCrypto"], swiftSettings: swiftSettings, plugins: ["CBoundary"]),
    .target(name: "Matching", dependencies: ["Tickets", "Search"], swiftSettings: swiftSettings, plugins: ["CBoundary"]),
    .target(
        name: "Pipeline",
        dependencies: [
            "Basics", "Tickets", "Storage", "Placement", "Search", "Torrent", "Matching", "Audio",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ],
        swiftSettings: swiftSettings, plugins: ["CBoundary"]
    ),
    .target(
        name: "Server",
        dependencies: [
            "Audio", "Basics", "Tickets", "Storage", "Search", "Pipeline", "Torrent",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "TOMLKit", package: "TOMLKit"),
        ],
        swiftSettings: swiftSettings,
        plugins: ["EmbedText", "CBoundary"]
    ),
    .executableTarget(
        name: "downloader2",
        dependencies: [
            "Basics", "Server", "Pipeline", "Storage", "Tickets", "Torrent", "Audio", "Search", "Placement", "Matching",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ],
        swiftSettings: swiftSettings, plugins: ["CBoundary"]
    ),
    .testTarget(
        name: "downloader2Tests",
        dependencies: [
            "Basics", "Tickets", "Storage", "Pipeline", "Server", "Torrent", "Audio", "Search", "Placement", "Matching",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
            .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
        ],
        swiftSettings: swiftSettings, plugins: ["CBoundary"]
    ),
    // The labelled matching cases (`make accuracy`); small, so `swift test` runs them too.
    .testTarget(name: "MatchingAccuracyTests", dependencies: ["Basics", "Matching", "Tickets"], swiftSettings: swiftSettings),
    // The release-title parser against the real corpus in Tests/ReleaseTitleCorpus (`make parser-accuracy`).
    .testTarget(name: "ParserAccuracyTests", dependencies: ["Basics", "Search"], swiftSettings: swiftSettings),
    // The fake-lossless detector against generated genuine and transcoded audio (`make verify-accuracy`).
    .testTarget(name: "VerifyAccuracyTests", dependencies: ["Basics", "Audio"], swiftSettings: swiftSettings),
]

// Benchmarks build only when asked for (`make bench` sets DOWNLOADER2_BENCHMARKS=1), so that
// `swift test` never compiles ordo-one/benchmark and its jemalloc interposer.
if ProcessInfo.processInfo.environment["DOWNLOADER2_BENCHMARKS"] == "1" {
    dependencies.append(.package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]))
    dependencies.append(.package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"))
    targets.append(contentsOf: [
        .executableTarget(
            name: "StorageBenchmarks",
            dependencies: [
                "Storage", "Tickets", .product(name: "Benchmark", package: "benchmark"), .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Benchmarks/StorageBenchmarks",
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Hashing",
            dependencies: ["Placement", .product(name: "Benchmark", package: "benchmark"), .product(name: "Crypto", package: "swift-crypto")],
            path: "Benchmarks/Hashing",
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Conversion",
            dependencies: ["Audio", "Tickets", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/Conversion",
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ])
}

let package = Package(
    name: "downloader2",
    platforms: [.macOS(.v15)],
    products: [.executable(name: "downloader2", targets: ["downloader2"])],
    dependencies: dependencies,
    targets: targets,
    cxxLanguageStandard: .cxx17
)

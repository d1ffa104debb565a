// swift-tools-version:6.2
// The swift-tools-version declares the minimum version of Swift required to build this package.

import PackageDescription

/// Settings shared by every Quarry target (the swift-log / Hummingbird set).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// QuarryVector's SIMD kernels are compiled for a chosen CPU level: a default Swift build targets
/// x86-64 with SSE2 only, so `SIMD16<Float>` would run at 128-bit width. `znver4` (AMD Zen 4 and later,
/// the machines Quarry and its CI run on) enables AVX-512 with VNNI; such a build stops with an illegal
/// instruction on CPUs without AVX-512. Set QUARRY_TARGET_CPU (e.g. `haswell` for AVX2 only, `native`,
/// or `none`) to choose another level; see docs/vector-index.md.
#if arch(x86_64)
let vectorTargetCPU = Context.environment["QUARRY_TARGET_CPU"] ?? "znver4"
#else
let vectorTargetCPU = Context.environment["QUARRY_TARGET_CPU"] ?? "none"
#endif
/// QuarryVector is optimised in debug builds too (`-O` after SwiftPM's `-Onone`): unoptimised SIMD
/// code is 50–100× slower, which would make its tests (an HNSW build, thousands of searches) crawl.
/// With a target CPU the kernels use fused multiply-add (`QUARRY_FMA`); without one, `addProduct` would
/// become a call to `fmaf` per lane, so they multiply and add instead.
let vectorSwiftSettings: [SwiftSetting] =
    swiftSettings
    + (vectorTargetCPU == "none" ? [] : [.unsafeFlags(["-target-cpu", vectorTargetCPU]), .define("QUARRY_FMA")])
    + [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "Quarry",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "quarry", targets: ["quarry"]),
        .library(name: "QuarryServer", targets: ["QuarryServer"]),
    ],
    dependencies: [
        // `FullFoundation` alone keeps SwiftPM's -D flag order stable (see BUILD-NOTES.md).
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CPopplerGLib", pkgConfig: "poppler-glib", providers: [.apt(["libpoppler-glib-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .target(
            name: "QuarryCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "QuarryStore",
            dependencies: [
                "QuarryCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "QuarryExtract",
            dependencies: ["QuarryCore", "CLibXML2", "CPopplerGLib"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "QuarryConnectors",
            dependencies: [
                "QuarryCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "QuarryEmbed",
            dependencies: [
                "QuarryCore", "COpenBLAS",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // The encoder's loops (packing, GELU, LayerNorm, pooling) are optimised in debug builds
            // too: unoptimised they make a test sync of the sample handbook take a minute, not seconds.
            swiftSettings: swiftSettings + [.unsafeFlags(["-O"], .when(configuration: .debug))]
        ),
        .executableTarget(
            name: "quarry-embedding-benchmark",
            dependencies: ["QuarryEmbed", "QuarryCore"],
            path: "Benchmarks/embedding/Sources",
            swiftSettings: swiftSettings
        ),
        .target(name: "CVectorSupport"),
        .target(
            name: "QuarryVector",
            dependencies: ["QuarryCore", "CVectorSupport"],
            swiftSettings: vectorSwiftSettings
        ),
        .executableTarget(
            name: "quarry-vector-benchmark",
            dependencies: ["QuarryVector", "QuarryCore", "COpenBLAS"],
            path: "Benchmarks/vector/Sources",
            swiftSettings: vectorSwiftSettings
        ),
        .target(
            name: "QuarryGuardrails",
            dependencies: ["QuarryCore", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "QuarryIndex",
            dependencies: [
                "QuarryCore", "QuarryStore", "QuarryVector",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "QuarryIngest",
            dependencies: [
                "QuarryCore", "QuarryStore", "QuarryExtract", "QuarryConnectors", "QuarryEmbed",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "QuarryAnswer",
            dependencies: [
                "QuarryCore", "QuarryIndex", "QuarryStore", "QuarryGuardrails",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "QuarryServer",
            dependencies: [
                "QuarryCore", "QuarryStore", "QuarryIndex", "QuarryAnswer", "QuarryIngest", "QuarryGuardrails",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "QuarryTesting",
            dependencies: [
                "QuarryCore", "QuarryStore", "QuarryIngest", "QuarryConnectors", "QuarryEmbed",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "quarry",
            dependencies: [
                "QuarryCore", "QuarryStore", "QuarryIngest", "QuarryAnswer", "QuarryIndex", "QuarryServer",
                "QuarryConnectors", "QuarryEmbed", "QuarryGuardrails",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "QuarryCoreTests",
            dependencies: ["QuarryCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "QuarryStoreTests",
            dependencies: [
                "QuarryStore", "QuarryCore", "QuarryTesting",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "QuarryExtractTests",
            dependencies: ["QuarryExtract", "QuarryCore", "QuarryTesting"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "QuarryConnectorsTests",
            dependencies: ["QuarryConnectors", "QuarryCore", "QuarryTesting"],
            exclude: ["Support"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "QuarryEmbedTests",
            dependencies: [
                "QuarryEmbed", "QuarryCore", "QuarryStore", "QuarryTesting",
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "QuarryVectorTests",
            dependencies: ["QuarryVector", "QuarryCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "QuarryGuardrailsTests",
            dependencies: ["QuarryGuardrails", "QuarryCore", "QuarryEmbed"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "QuarryAnswerTests",
            dependencies: ["QuarryAnswer", "QuarryCore", "QuarryTesting", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "QuarryIndexTests",
            dependencies: [
                "QuarryIndex", "QuarryCore", "QuarryStore", "QuarryVector", "QuarryEmbed", "QuarryIngest",
                "QuarryTesting", "QuarryConnectors",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "QuarryServer", "QuarryCore", "QuarryStore", "QuarryIngest", "QuarryTesting", "QuarryConnectors",
                "QuarryIndex", "QuarryAnswer", "QuarryGuardrails",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CLITests",
            dependencies: ["QuarryStore", "QuarryCore", "QuarryTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "QuarryIngestTests",
            dependencies: [
                "QuarryIngest", "QuarryStore", "QuarryCore", "QuarryConnectors", "QuarryTesting", "QuarryEmbed",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)

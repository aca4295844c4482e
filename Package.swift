// swift-tools-version:6.1
import PackageDescription

// The same upcoming features for every Swift target, as in swift-log and hummingbird:
// C modules are `internal import`ed and never leak into the public API.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "anonlog",
    products: [
        .library(name: "AnonLogCore", targets: ["AnonLogCore"]),
        .executable(name: "anonlog", targets: ["anonlog"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CAnonLogZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CAnonLogCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CAnonLogISAL",
            pkgConfig: "libisal",
            providers: [.apt(["libisal-dev"])]
        ),
        .systemLibrary(
            name: "CAnonLogDeflate",
            pkgConfig: "libdeflate",
            providers: [.apt(["libdeflate-dev"])]
        ),
        // No library: inline C functions for what Swift cannot say itself (a prefetch, SSE2 byte
        // classification).
        .systemLibrary(name: "CAnonLogIntrinsics"),
        .systemLibrary(
            name: "CAnonLogSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(
            name: "AnonLogCore",
            dependencies: ["CAnonLogZlib", "CAnonLogCrypto", "CAnonLogISAL", "CAnonLogDeflate", "CAnonLogIntrinsics", "CAnonLogSQLite"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "anonlog",
            dependencies: [
                "AnonLogCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AnonLogCoreTests",
            dependencies: ["AnonLogCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AnonLogEndToEndTests",
            dependencies: ["anonlog", "CAnonLogZlib"],
            exclude: ["Oracles"],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)

// swift-tools-version:6.1
import PackageDescription

// The benchmarks live in their own package (as in swift-nio), so `swift build` and `swift test`
// at the root never compile package-benchmark.
let package = Package(
    name: "anonlog-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "anonlog", path: ".."),
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "StageBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "AnonLogCore", package: "anonlog"),
            ],
            path: "Benchmarks/StageBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        )
    ],
    swiftLanguageModes: [.v6]
)

// swift-tools-version:6.2
import PackageDescription

/// Stage plugins live under `stages/`; each is a target of its own named `<Name>Stage`, with the
/// modules it uses besides CairnCore and CairnSupport.
let stageDependencies: KeyValuePairs<String, [Target.Dependency]> = [
    "Command": [], "Ingest": ["Tables"], "Clean": ["Tables"], "Split": ["Tables"], "Features": ["Tables", "Learn"],
    "Train": ["Tables", "Learn"], "Evaluate": ["Tables", "Learn"],
    "Predict": ["Tables", "Learn"], "Monitor": ["Tables", "Learn", "Drift"],
]
let stageNames = stageDependencies.map(\.key)

let stageTargets: [Target] = stageDependencies.map { name, dependencies in
    .target(
        name: "\(name)Stage",
        dependencies: ["CairnCore", "CairnSupport"] + dependencies,
        path: "stages/\(name)"
    )
}

let package = Package(
    name: "cairn",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "cairn", targets: ["cairn"]),
        .executable(name: "cairn-data-bench", targets: ["cairn-data-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),
        .systemLibrary(name: "CGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(name: "CSSH2", pkgConfig: "libssh2", providers: [.apt(["libssh2-1-dev"])]),
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CSnappy", pkgConfig: "snappy", providers: [.apt(["libsnappy-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),

        .target(name: "CairnSupport"),
        .target(name: "CairnCore", dependencies: ["CairnSupport"]),
        .target(name: "CairnSpec", dependencies: ["CairnCore", "CairnSupport", "CYAML"]),
        .target(name: "CairnEngine", dependencies: [
            "CairnCore", "CairnSupport", "CairnSpec",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "CairnGit", dependencies: ["CairnCore", "CairnSupport", "CairnSpec", "CairnEngine", "CGit2"]),
        .target(name: "CairnRemote", dependencies: ["CairnSupport", "CairnEngine", "CSSH2", "CCurl"]),
        .target(name: "CairnSlurm", dependencies: ["CairnCore", "CairnSupport", "CairnSpec", "CairnEngine"]),
        .target(name: "CairnWatch", dependencies: ["CairnCore", "CairnSupport", "CairnSpec", "CairnEngine"]),
        .target(name: "Tables", dependencies: ["CairnCore", "CairnSupport", "CLZ4", "CZstd", "CSnappy", "CZlib",
                                               .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Learn", dependencies: ["CairnCore", "CairnSupport", "Tables", "COpenBLAS"]),
        .target(name: "Drift", dependencies: ["CairnCore", "CairnSupport", "Tables"]),
        .target(name: "StageCatalog", dependencies: ["CairnCore", "CairnSupport"] + stageNames.map { .target(name: "\($0)Stage") }),
        .target(name: "CairnOperations", dependencies: [
            "CairnCore", "CairnSupport", "CairnSpec", "CairnEngine", "CairnGit", "CairnRemote", "StageCatalog", "Learn", "Drift",
        ]),
        .executableTarget(name: "cairn", dependencies: [
            "CairnCore", "CairnSupport", "CairnSpec", "CairnEngine", "CairnGit", "CairnWatch", "CairnSlurm", "CairnOperations", "StageCatalog", "Tables", "Learn", "Drift",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .executableTarget(name: "cairn-data-bench", dependencies: ["CairnCore", "CairnSupport", "Tables", "Learn", "Drift"], path: "bench/DataBench"),

        .testTarget(name: "CairnSupportTests", dependencies: ["CairnSupport"]),
        .testTarget(name: "CairnCoreTests", dependencies: ["CairnCore", "CairnSupport"]),
        .testTarget(name: "CairnSpecTests", dependencies: ["CairnSpec", "CairnCore"]),
        .testTarget(name: "CairnEngineTests", dependencies: ["CairnEngine", "CairnSpec", "StageCatalog", "Tables", "TestSupport"]),
        .testTarget(name: "CommandStageTests", dependencies: ["CommandStage", "CairnSupport"]),
        .testTarget(name: "CairnSlurmTests", dependencies: ["CairnSlurm", "CairnSpec", "CairnCore"]),
        .testTarget(name: "CairnRemoteTests", dependencies: ["CairnRemote", "CairnEngine", "CairnSupport"]),
        .testTarget(name: "CairnWatchTests", dependencies: ["CairnWatch", "CairnEngine", "StageCatalog", "TestSupport"]),
        .target(name: "TestSupport", dependencies: ["CairnEngine"], path: "Tests/TestSupport"),
        .testTarget(name: "TablesTests", dependencies: ["Tables", "TestSupport"]),
        .testTarget(name: "LearnTests", dependencies: ["Learn", "Tables", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "DriftTests", dependencies: ["Drift", "Tables", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "DataStageTests", dependencies: ["IngestStage", "CleanStage", "SplitStage", "FeaturesStage", "TrainStage",
                                                     "EvaluateStage", "PredictStage", "CairnEngine", "Learn", "Tables", "TestSupport"]),
        .testTarget(name: "FuzzTests", dependencies: ["CairnCore", "CairnSupport", "CairnEngine", "StageCatalog", "Tables", "Learn", "TestSupport"]),
        .testTarget(name: "CairnOperationsTests", dependencies: ["CairnOperations", "CairnEngine", "CairnGit", "CairnCore", "CairnSpec", "CairnSupport", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["cairn"], exclude: ["Fixtures", "Snapshots"]),
    ] + stageTargets
)

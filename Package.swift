// swift-tools-version:6.2
import PackageDescription

/// Stage plugins live under `stages/`; each is a target of its own named `<Name>Stage`, with the
/// modules it uses besides CairnCore.
let stageDependencies: KeyValuePairs<String, [Target.Dependency]> = [
    "Command": [], "Ingest": ["Tables"], "Clean": ["Tables"], "Split": ["Tables"], "Features": ["Tables", "Learn"],
    "Train": ["Tables", "Learn", .product(name: "Crypto", package: "swift-crypto")], "Evaluate": ["Tables", "Learn"],
    "Predict": ["Tables", "Learn"], "Monitor": ["Tables", "Learn", "Drift"],
]
let stageNames = stageDependencies.map(\.key)

let stageTargets: [Target] = stageDependencies.map { name, dependencies in
    .target(
        name: "\(name)Stage",
        dependencies: ["CairnCore"] + dependencies,
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

        .target(name: "CairnCore"),
        .target(name: "CairnSpec", dependencies: ["CairnCore", "CYAML"]),
        .target(name: "CairnEngine", dependencies: [
            "CairnCore", "CairnSpec",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "CairnGit", dependencies: ["CairnCore", "CairnSpec", "CairnEngine", "CGit2"]),
        .target(name: "CairnWatch", dependencies: ["CairnCore", "CairnSpec", "CairnEngine"]),
        .target(name: "Tables", dependencies: ["CairnCore", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Learn", dependencies: ["CairnCore", "Tables", "COpenBLAS"]),
        .target(name: "Drift", dependencies: ["CairnCore", "Tables"]),
        .target(name: "StageCatalog", dependencies: ["CairnCore"] + stageNames.map { .target(name: "\($0)Stage") }),
        .target(name: "CairnOperations", dependencies: [
            "CairnCore", "CairnSpec", "CairnEngine", "CairnGit", "StageCatalog", "Learn", "Drift",
        ]),
        .executableTarget(name: "cairn", dependencies: [
            "CairnCore", "CairnSpec", "CairnEngine", "CairnGit", "CairnWatch", "CairnOperations", "StageCatalog", "Tables", "Learn", "Drift",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .executableTarget(name: "cairn-data-bench", dependencies: ["CairnCore", "Tables", "Learn", "Drift"], path: "bench/DataBench"),

        .testTarget(name: "CairnCoreTests", dependencies: ["CairnCore"]),
        .testTarget(name: "CairnSpecTests", dependencies: ["CairnSpec"]),
        .testTarget(name: "CairnEngineTests", dependencies: ["CairnEngine", "CairnSpec", "StageCatalog"]),
        .testTarget(name: "CommandStageTests", dependencies: ["CommandStage"]),
        .testTarget(name: "CairnWatchTests", dependencies: ["CairnWatch", "CairnEngine", "StageCatalog"]),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "TablesTests", dependencies: ["Tables", "TestSupport", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "LearnTests", dependencies: ["Learn", "Tables", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "DriftTests", dependencies: ["Drift", "Tables", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "DataStageTests", dependencies: ["IngestStage", "CleanStage", "SplitStage", "FeaturesStage", "TrainStage",
                                                     "EvaluateStage", "PredictStage", "CairnEngine", "Learn", "Tables", "TestSupport"]),
        .testTarget(name: "FuzzTests", dependencies: ["CairnCore", "CairnEngine", "StageCatalog", "Tables", "Learn", "TestSupport"]),
        .testTarget(name: "CairnOperationsTests", dependencies: ["CairnOperations", "CairnEngine", "CairnGit", "CairnCore", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["cairn"], exclude: ["Fixtures", "Snapshots"]),
    ] + stageTargets
)

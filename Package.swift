// swift-tools-version: 6.2
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "swift-grpc-toolkit",
    products: [
        .library(name: "ProtoWire", targets: ["ProtoWire"]),
        .executable(name: "protoc-gen-swift-grpc", targets: ["protoc-gen-swift-grpc"]),
    ],
    targets: [
        // Messages and the protobuf binary format. No dependencies at all.
        .target(name: "ProtoWire", swiftSettings: strict),

        // The Swift skeletons the generator renders, embedded in the binary at build time.
        .target(
            name: "GeneratorTemplates",
            path: "Templates",
            resources: [
                .embedInCode("file.mustache"),
                .embedInCode("message.mustache"),
                .embedInCode("enum.mustache"),
                .embedInCode("coding.mustache"),
            ],
            swiftSettings: strict
        ),

        // Descriptors in, Swift source out. Knows nothing of the runtimes.
        .target(name: "ProtoGenerator", dependencies: ["GeneratorTemplates"], swiftSettings: strict),

        // The plugin protocol: decodes a CodeGeneratorRequest with types this project generated
        // itself (bootstrapped, committed), runs the generator, encodes the response.
        .target(name: "PluginCore", dependencies: ["ProtoWire", "ProtoGenerator"], swiftSettings: strict),

        .executableTarget(name: "protoc-gen-swift-grpc", dependencies: ["PluginCore"], swiftSettings: strict),

        // The README's first command: search.proto's messages against protoc's own encoder.
        .executableTarget(name: "search-demo", dependencies: ["ProtoWire"], swiftSettings: strict),
        // The golden files, compiled as they are, under MainActor default isolation to prove
        // generated code is `nonisolated` throughout.
        .target(
            name: "GeneratedFixtures",
            dependencies: ["ProtoWire"],
            path: "Fixtures/Generated",
            swiftSettings: strict + [.defaultIsolation(MainActor.self)]
        ),

        .testTarget(name: "ProtoWireTests", dependencies: ["ProtoWire"], swiftSettings: strict),
        .testTarget(
            name: "GeneratorTests",
            dependencies: ["ProtoGenerator", "PluginCore", "protoc-gen-swift-grpc"],
            swiftSettings: strict
        ),
        .testTarget(name: "FixtureTests", dependencies: ["GeneratedFixtures", "ProtoWire"], swiftSettings: strict),
    ]
)

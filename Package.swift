// swift-tools-version: 6.2
import Foundation
import PackageDescription

/// Every skeleton in the templates folder, embedded in the generator: a new one needs no edit here.
let templates = ((try? FileManager.default.contentsOfDirectory(atPath: Context.packageDirectory + "/Templates")) ?? [])
    .filter { $0.hasSuffix(".mustache") }.sorted()

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "swift-grpc-toolkit",
    products: [
        .library(name: "ProtoWire", targets: ["ProtoWire"]),
        .library(name: "GRPCRuntime", targets: ["GRPCRuntime"]),
        .library(name: "GRPCTLS", targets: ["GRPCTLS"]),
        .library(name: "GRPCServiceLifecycle", targets: ["GRPCServiceLifecycle"]),
        .library(name: "GRPCTracing", targets: ["GRPCTracing"]),
        .executable(name: "protoc-gen-swift-grpc", targets: ["protoc-gen-swift-grpc"]),
        .plugin(name: "SwiftGRPCPlugin", targets: ["SwiftGRPCPlugin"]),
    ],
    // Products that need a dependency beyond swift-nio, swift-nio-http2, swift-log and
    // swift-metrics sit behind a trait, off by default, so that a package using only ProtoWire
    // and GRPCRuntime never resolves that dependency: `traits: ["TLS"]` on the `.package` line.
    traits: [
        .trait(name: "TLS", description: "GRPCTLS: TLS for servers and clients through swift-nio-ssl."),
        .trait(name: "ServiceLifecycle", description: "GRPCServiceLifecycle: GRPCServer as a swift-service-lifecycle Service."),
        .trait(name: "Tracing", description: "GRPCTracing: client and server interceptors that trace calls with swift-distributed-tracing."),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-http2.git", from: "1.46.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        // `swift package generate-documentation` (Scripts/docs.sh), for this repository only: no
        // target uses it, and SwiftPM resolves a dependency's unused dependencies for no one, so
        // a package that depends on this one never fetches it.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin.git", from: "1.5.0"),
    ],
    targets: [
        // Messages and the protobuf binary format. No dependencies at all.
        .target(name: "ProtoWire", swiftSettings: strict),

        // TLS for GRPCRuntime's server and client, through swift-nio-ssl. A module of its own so
        // that users without TLS never build BoringSSL.
        .target(
            name: "GRPCTLS",
            dependencies: ["GRPCRuntime", .product(name: "NIOSSL", package: "swift-nio-ssl", condition: .when(traits: ["TLS"]))],
            swiftSettings: strict
        ),

        // GRPCServer as a swift-service-lifecycle Service, for programs that run in a ServiceGroup.
        .target(
            name: "GRPCServiceLifecycle",
            dependencies: [
                "GRPCRuntime",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle", condition: .when(traits: ["ServiceLifecycle"])),
            ],
            swiftSettings: strict
        ),

        // Distributed tracing of calls: an interceptor pair on swift-distributed-tracing that opens a
        // span per call and propagates its context in metadata.
        .target(
            name: "GRPCTracing",
            dependencies: [
                "GRPCRuntime",
                .product(name: "Tracing", package: "swift-distributed-tracing", condition: .when(traits: ["Tracing"])),
                .product(name: "Instrumentation", package: "swift-distributed-tracing", condition: .when(traits: ["Tracing"])),
            ],
            swiftSettings: strict
        ),

        // gRPC on swift-nio and swift-nio-http2: the call semantics (client, server, interceptors,
        // status, metadata, deadlines, compression) above a transport seam, with an HTTP/2
        // transport and an in-process one; name resolution and balancing; health.
        .target(
            name: "GRPCRuntime",
            dependencies: [
                "ProtoWire", "CZlib",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        // The system zlib (Debian: zlib1g-dev), for gzip message compression.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),

        // The Swift skeletons the generator renders, embedded in the binary at build time.
        .target(
            name: "GeneratorTemplates",
            path: "Templates",
            resources: templates.map { .embedInCode($0) },
            swiftSettings: strict
        ),

        // Descriptors in, Swift source out. Knows nothing of the runtimes.
        .target(name: "ProtoGenerator", dependencies: ["GeneratorTemplates"], swiftSettings: strict),

        // The plugin protocol: decodes a CodeGeneratorRequest with types this project generated
        // itself (bootstrapped, committed), runs the generator, encodes the response.
        .target(name: "PluginCore", dependencies: ["ProtoWire", "ProtoGenerator"], swiftSettings: strict),

        .executableTarget(name: "protoc-gen-swift-grpc", dependencies: ["PluginCore"], swiftSettings: strict),

        // The build-tool plugin: a target that lists it in `plugins:` gets Swift for the .proto
        // files in its folder, generated at build time by protoc and the plugin built above.
        .plugin(name: "SwiftGRPCPlugin", capability: .buildTool(), dependencies: ["protoc-gen-swift-grpc"]),

        // The golden files, compiled as they are, under MainActor default isolation to prove
        // generated code is `nonisolated` throughout.
        .target(
            name: "GeneratedFixtures",
            dependencies: ["ProtoWire", "GRPCRuntime"],
            path: "Fixtures/Generated",
            swiftSettings: strict + [.defaultIsolation(MainActor.self)]
        ),

        // Helpers the test targets share: child processes run off the cooperative pool, the
        // repository's root, a seeded random generator. Foundation only. The search example
        // compiles the same files through a link (Examples/Search/Tests/SearchTestSupport).
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        // A GRPCServer on a free port for the length of a test.
        .target(
            name: "GRPCTestSupport",
            dependencies: ["GRPCRuntime", .product(name: "Logging", package: "swift-log")],
            path: "Tests/GRPCTestSupport",
            swiftSettings: strict
        ),

        // The build plugin's planning (Plugins/SwiftGRPCPlugin/Planning, linked in): configuration,
        // finding protoc, the .proto scan and the declared outputs.
        .testTarget(name: "SwiftGRPCPluginTests", swiftSettings: strict),
        .testTarget(name: "ProtoWireTests", dependencies: ["ProtoWire", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "GeneratorTests",
            dependencies: ["ProtoGenerator", "PluginCore", "protoc-gen-swift-grpc"],
            swiftSettings: strict
        ),
        .testTarget(name: "FixtureTests", dependencies: ["GeneratedFixtures", "ProtoWire", "TestSupport"], swiftSettings: strict),
        // The runtime against in-process servers, plus resolvers and balancing (Balancing/).
        .testTarget(
            name: "GRPCRuntimeTests",
            dependencies: [
                "GRPCRuntime", "GeneratedFixtures", "ProtoWire", "TestSupport", "GRPCTestSupport",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .target(name: "GRPCServiceLifecycle", condition: .when(traits: ["ServiceLifecycle"])),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle", condition: .when(traits: ["ServiceLifecycle"])),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TLSTests",
            dependencies: [
                .target(name: "GRPCTLS", condition: .when(traits: ["TLS"])),
                "GRPCRuntime", "GeneratedFixtures", "TestSupport", "GRPCTestSupport",
            ],
            swiftSettings: strict
        ),
        // A W3C-propagating tracer over swift-distributed-tracing's in-memory one, for the tests.
        .target(
            name: "TracingTestSupport",
            dependencies: [
                .product(name: "Tracing", package: "swift-distributed-tracing", condition: .when(traits: ["Tracing"])),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing", condition: .when(traits: ["Tracing"])),
            ],
            path: "Tests/TracingTestSupport",
            swiftSettings: strict
        ),
        .testTarget(
            name: "GRPCTracingTests",
            dependencies: [
                "GRPCRuntime", "GeneratedFixtures", "ProtoWire", "GRPCTestSupport", "TracingTestSupport",
                .target(name: "GRPCTracing", condition: .when(traits: ["Tracing"])),
                .product(name: "Tracing", package: "swift-distributed-tracing", condition: .when(traits: ["Tracing"])),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing", condition: .when(traits: ["Tracing"])),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "InteropTests",
            dependencies: [
                "GRPCRuntime", "GeneratedFixtures", "ProtoWire", "TestSupport", "GRPCTestSupport", "TracingTestSupport",
                .target(name: "GRPCTracing", condition: .when(traits: ["Tracing"])),
                .product(name: "Tracing", package: "swift-distributed-tracing", condition: .when(traits: ["Tracing"])),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing", condition: .when(traits: ["Tracing"])),
            ],
            swiftSettings: strict
        ),
    ]
)

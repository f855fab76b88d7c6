// swift-tools-version: 6.2
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "swift-grpc-toolkit",
    products: [
        .library(name: "ProtoWire", targets: ["ProtoWire"]),
        .library(name: "GRPCRuntime", targets: ["GRPCRuntime"]),
        .library(name: "GRPCTLS", targets: ["GRPCTLS"]),
        .library(name: "GRPCServiceLifecycle", targets: ["GRPCServiceLifecycle"]),
        .library(name: "GRPCEtcd", targets: ["GRPCEtcd"]),
        .executable(name: "protoc-gen-swift-grpc", targets: ["protoc-gen-swift-grpc"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-http2.git", from: "1.46.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // Messages and the protobuf binary format. No dependencies at all.
        .target(name: "ProtoWire", swiftSettings: strict),

        // TLS for GRPCRuntime's server and client, through swift-nio-ssl. A module of its own so
        // that users without TLS never build BoringSSL.
        .target(
            name: "GRPCTLS",
            dependencies: ["GRPCRuntime", .product(name: "NIOSSL", package: "swift-nio-ssl")],
            swiftSettings: strict
        ),

        // GRPCServer as a swift-service-lifecycle Service, for programs that run in a ServiceGroup.
        .target(
            name: "GRPCServiceLifecycle",
            dependencies: ["GRPCRuntime", .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")],
            swiftSettings: strict
        ),

        // gRPC over HTTP/2 on swift-nio and swift-nio-http2: client, server, status, metadata,
        // deadlines, compression, health.
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
        // Service discovery on etcd: a client for etcd's v3 gRPC API (stubs this plugin generated
        // from Fixtures/protos/etcd), leased registrations, watched configuration and the
        // `etcd://` resolver for GRPCChannel.
        .target(name: "GRPCEtcd", dependencies: ["GRPCRuntime", "ProtoWire"], swiftSettings: strict),

        // The system zlib (Debian: zlib1g-dev), for gzip message compression.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),

        // The Swift skeletons the generator renders, embedded in the binary at build time.
        .target(
            name: "GeneratorTemplates",
            path: "Templates",
            resources: [
                .embedInCode("client-method.mustache"),
                .embedInCode("enum.mustache"),
                .embedInCode("field-declaration.mustache"),
                .embedInCode("field-decode.mustache"),
                .embedInCode("field-encode.mustache"),
                .embedInCode("field-size.mustache"),
                .embedInCode("file.mustache"),
                .embedInCode("is-set.mustache"),
                .embedInCode("message.mustache"),
                .embedInCode("message-coding.mustache"),
                .embedInCode("oneof-decode.mustache"),
                .embedInCode("read-value.mustache"),
                .embedInCode("service.mustache"),
                .embedInCode("services-file.mustache"),
            ],
            swiftSettings: strict
        ),

        // Descriptors in, Swift source out. Knows nothing of the runtimes.
        .target(name: "ProtoGenerator", dependencies: ["GeneratorTemplates"], swiftSettings: strict),

        // The plugin protocol: decodes a CodeGeneratorRequest with types this project generated
        // itself (bootstrapped, committed), runs the generator, encodes the response.
        .target(name: "PluginCore", dependencies: ["ProtoWire", "ProtoGenerator"], swiftSettings: strict),

        .executableTarget(name: "protoc-gen-swift-grpc", dependencies: ["PluginCore"], swiftSettings: strict),

        // A swift-metrics backend for StatsD over UDP.
        .target(
            name: "StatsDMetrics",
            dependencies: [
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),

        // The seed's search microservice: the Search service over pluggable storage backends.
        .target(
            name: "SearchService",
            dependencies: [
                "GRPCRuntime", "ProtoWire",
                .product(name: "Metrics", package: "swift-metrics"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // The search service's PostgreSQL + PostGIS backend, through postgres-nio. A module of its
        // own: postgres-nio brings swift-crypto and swift-nio-ssl, which the embedded backend never needs.
        .target(
            name: "SearchPostgres",
            dependencies: [
                "SearchService",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // The seed's server and client.
        .executableTarget(
            name: "search-server",
            dependencies: [
                "SearchService", "SearchPostgres", "GRPCRuntime", "GRPCServiceLifecycle", "StatsDMetrics", "GRPCEtcd",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "search-load",
            dependencies: ["SearchService", "SearchPostgres", .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .executableTarget(name: "search-client", dependencies: ["SearchService", "GRPCRuntime", "GRPCEtcd", "ProtoWire"], swiftSettings: strict),

        // The README's first command: search.proto's messages against protoc's own encoder.
        .executableTarget(name: "search-demo", dependencies: ["SearchService", "ProtoWire"], swiftSettings: strict),
        // The golden files, compiled as they are, under MainActor default isolation to prove
        // generated code is `nonisolated` throughout.
        .target(
            name: "GeneratedFixtures",
            dependencies: ["ProtoWire", "GRPCRuntime"],
            path: "Fixtures/Generated",
            swiftSettings: strict + [.defaultIsolation(MainActor.self)]
        ),

        // Helpers the test targets share: child processes run off the cooperative pool.
        .target(
            name: "TestSupport",
            dependencies: ["GRPCRuntime", .product(name: "Logging", package: "swift-log")],
            path: "Tests/TestSupport",
            swiftSettings: strict
        ),

        .testTarget(name: "ProtoWireTests", dependencies: ["ProtoWire"], swiftSettings: strict),
        .testTarget(
            name: "GeneratorTests",
            dependencies: ["ProtoGenerator", "PluginCore", "protoc-gen-swift-grpc"],
            swiftSettings: strict
        ),
        .testTarget(name: "FixtureTests", dependencies: ["GeneratedFixtures", "ProtoWire"], swiftSettings: strict),
        .testTarget(
            name: "GRPCRuntimeTests",
            dependencies: [
                "GRPCRuntime", "GeneratedFixtures", "ProtoWire", "TestSupport",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                "GRPCServiceLifecycle",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "StatsDMetricsTests",
            dependencies: [
                "StatsDMetrics", "SearchService", "GRPCRuntime", "ProtoWire", "TestSupport", .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SearchServiceTests",
            dependencies: [
                "SearchService", "SearchPostgres", "GRPCRuntime", "TestSupport",
                .product(name: "Logging", package: "swift-log"), .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "TLSTests", dependencies: ["GRPCTLS", "GRPCRuntime", "GeneratedFixtures", "TestSupport"], swiftSettings: strict),
        // Resolvers, balancing and the etcd registry against real etcd, dnsmasq and search-server
        // processes (the test target depends on the programs so that they are built first).
        .testTarget(
            name: "DiscoveryTests",
            dependencies: [
                "GRPCEtcd", "GRPCRuntime", "SearchService", "ProtoWire", "TestSupport", "search-server", "search-client",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOHTTP2", package: "swift-nio-http2"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "InteropTests", dependencies: ["GRPCRuntime", "GeneratedFixtures", "ProtoWire", "TestSupport"], swiftSettings: strict),
    ]
)

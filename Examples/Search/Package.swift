// swift-tools-version: 6.2
// The seed's search microservice, built on the toolkit at the repository's root: the Search
// service over two backends (an embedded place index, PostgreSQL + PostGIS), StatsD metrics,
// JSON logs, an etcd registry and resolver, and the search-server, -client, -load and -demo
// programs. A package of its own, so that the toolkit's users never resolve postgres-nio or the
// rest of what only this application needs.
import PackageDescription

// The toolkit, by path: its package identity is the name of the checkout's directory.
let toolkit = String(Context.packageDirectory.split(separator: "/").dropLast(2).last ?? "main")
let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "search-service",
    dependencies: [
        .package(path: "../..", traits: ["ServiceLifecycle"]),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // The Search service over pluggable storage backends, with the embedded index (Geo/).
        .target(
            name: "SearchService",
            dependencies: [
                .product(name: "GRPCRuntime", package: toolkit), .product(name: "ProtoWire", package: toolkit),
                .product(name: "Metrics", package: "swift-metrics"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // The PostgreSQL + PostGIS backend, through postgres-nio. A module of its own: postgres-nio
        // brings swift-crypto and swift-nio-ssl, which the embedded backend never needs.
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

        // A swift-metrics backend for StatsD over UDP.
        .target(
            name: "StatsDMetrics",
            dependencies: [
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),

        // Service discovery on etcd: a client for etcd's v3 gRPC API (stubs the toolkit's plugin
        // generated from Fixtures/protos/etcd), leased registrations, watched configuration and the
        // `etcd://` resolver for GRPCChannel.
        .target(
            name: "EtcdDiscovery",
            dependencies: [
                .product(name: "GRPCRuntime", package: toolkit), .product(name: "ProtoWire", package: toolkit),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // The seed's server and client, the database loader, and the main job's demo.
        .executableTarget(
            name: "search-server",
            dependencies: [
                "SearchService", "SearchPostgres", "StatsDMetrics", "EtcdDiscovery",
                .product(name: "GRPCRuntime", package: toolkit),
                .product(name: "GRPCServiceLifecycle", package: toolkit),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "search-client",
            dependencies: [
                "SearchService", "EtcdDiscovery",
                .product(name: "GRPCRuntime", package: toolkit), .product(name: "ProtoWire", package: toolkit),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "search-load",
            dependencies: [
                "SearchService", "SearchPostgres",
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "search-demo",
            dependencies: ["SearchService", .product(name: "ProtoWire", package: toolkit)],
            swiftSettings: strict
        ),

        // The toolkit's test helpers (Tests/TestSupport and Tests/GRPCTestSupport at the
        // repository's root, linked in as Shared/ and SharedGRPC/, one copy of the code) and a
        // throwaway PostgreSQL server.
        .target(
            name: "SearchTestSupport",
            dependencies: [.product(name: "GRPCRuntime", package: toolkit), .product(name: "Logging", package: "swift-log")],
            path: "Tests/SearchTestSupport",
            swiftSettings: strict
        ),

        .testTarget(
            name: "SearchServiceTests",
            dependencies: [
                "SearchService", "SearchPostgres", "SearchTestSupport",
                .product(name: "GRPCRuntime", package: toolkit), .product(name: "ProtoWire", package: toolkit),
                .product(name: "Logging", package: "swift-log"), .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "StatsDMetricsTests",
            dependencies: [
                "StatsDMetrics", "SearchService", "SearchTestSupport",
                .product(name: "GRPCRuntime", package: toolkit), .product(name: "ProtoWire", package: toolkit),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "EtcdDiscoveryTests",
            dependencies: ["EtcdDiscovery", .product(name: "GRPCRuntime", package: toolkit)],
            swiftSettings: strict
        ),
        // The etcd registry and DNS discovery against real etcd, dnsmasq and search-server
        // processes (the test target depends on the programs so that they are built first).
        .testTarget(
            name: "DiscoveryTests",
            dependencies: [
                "EtcdDiscovery", "SearchService", "SearchTestSupport", "search-server", "search-client",
                .product(name: "GRPCRuntime", package: toolkit), .product(name: "ProtoWire", package: toolkit),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
    ]
)

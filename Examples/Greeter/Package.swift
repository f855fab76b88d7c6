// swift-tools-version: 6.2
// A small gRPC service built with the toolkit's build plugin: `Sources/Greeting/helloworld.proto`
// is compiled into Swift at build time (nothing generated is committed), and two programs,
// greeter-server and greeter-client, serve it and call it.
import PackageDescription

// The toolkit, by path: its package identity is the name of the checkout's directory. A package
// of your own names it by URL instead, and its identity is "swift-grpc-toolkit":
//   .package(url: "https://github.com/OWNER/swift-grpc-toolkit.git", from: "…")
let toolkit = String(Context.packageDirectory.split(separator: "/").dropLast(2).last ?? "main")

let package = Package(
    name: "greeter",
    dependencies: [
        .package(path: "../.."),
    ],
    targets: [
        // The service: the .proto (and its optional swift-grpc-config.json) and its implementation.
        .target(
            name: "Greeting",
            dependencies: [
                .product(name: "ProtoWire", package: toolkit),
                .product(name: "GRPCRuntime", package: toolkit),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "SwiftGRPCPlugin", package: toolkit)]
        ),
        .executableTarget(
            name: "greeter-server",
            dependencies: ["Greeting", .product(name: "GRPCRuntime", package: toolkit)],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "greeter-client",
            dependencies: ["Greeting", .product(name: "GRPCRuntime", package: toolkit)],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // Module mappings: Places' places.proto imports geometry.proto, whose types the plugin
        // generates into Geometry; Places/module-mappings.asciipb says so, and the generated code
        // imports Geometry. places-check uses both.
        .target(
            name: "Geometry",
            dependencies: [.product(name: "ProtoWire", package: toolkit)],
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "SwiftGRPCPlugin", package: toolkit)]
        ),
        .target(
            name: "Places",
            dependencies: ["Geometry", .product(name: "ProtoWire", package: toolkit), .product(name: "GRPCRuntime", package: toolkit)],
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "SwiftGRPCPlugin", package: toolkit)]
        ),
        .executableTarget(
            name: "places-check",
            dependencies: ["Places", "Geometry", .product(name: "ProtoWire", package: toolkit), .product(name: "GRPCRuntime", package: toolkit)],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)

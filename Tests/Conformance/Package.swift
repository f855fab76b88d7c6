// swift-tools-version: 6.2
// The testee Google's protobuf conformance runner drives: a package of its own, so that the
// toolkit's build never includes it. `Scripts/conformance.sh` generates its messages with the
// current plugin, builds it and runs the runner against it.
import PackageDescription

// The project itself, by path: its package identity is the name of the checkout's directory.
let root = String(Context.packageDirectory.split(separator: "/").dropLast(2).last ?? "main")

let package = Package(
    name: "Conformance",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "../..")],
    targets: [
        // Generated/ holds the conformance protos' Swift, written by Scripts/conformance.sh
        // (not committed: the protos come with the runner's source).
        .executableTarget(
            name: "ConformanceTestee",
            dependencies: [.product(name: "ProtoWire", package: root)],
            swiftSettings: [.swiftLanguageMode(.v6)]
        )
    ]
)

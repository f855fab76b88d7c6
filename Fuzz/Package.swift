// swift-tools-version: 6.2
// Coverage-guided fuzzing with libFuzzer: one executable per target, built with
// `-sanitize=fuzzer,address` by Scripts/fuzz.sh (the flags come from the command line and apply
// to everything here). Each target's main.swift hands its check to libFuzzer's driver.
//
// A package of its own that compiles the project's sources again through links (Sources/*
// pointing into ../Sources, ../Fixtures, ../Templates and Examples/Search), so that the code under
// test is instrumented and nothing else is: only swift-nio's NIOCore is built besides, for the
// gRPC deframer. Internal types such as the deframer are reached by compiling their files into
// the fuzz target's own module; when those files move, re-point the links in that target's folder.
import Foundation
import PackageDescription

/// Every skeleton in the templates folder, embedded in the generator: a new one needs no edit here.
let templates = ((try? FileManager.default.contentsOfDirectory(atPath: Context.packageDirectory + "/Sources/GeneratorTemplates")) ?? [])
    .filter { $0.hasSuffix(".mustache") }.sorted()

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "Fuzz",
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2")
    ],
    targets: [
        // The project's modules, from their own folders.
        .target(name: "ProtoWire", swiftSettings: strict),
        .target(name: "GeneratedFixtures", dependencies: ["ProtoWire"], swiftSettings: strict),
        .target(
            name: "GeneratorTemplates",
            resources: templates.map { .embedInCode($0) },
            swiftSettings: strict
        ),
        .target(name: "ProtoGenerator", dependencies: ["GeneratorTemplates"], swiftSettings: strict),
        .target(name: "PluginCore", dependencies: ["ProtoWire", "ProtoGenerator"], swiftSettings: strict),
        .systemLibrary(name: "CZlib"),
        // libFuzzer's driver entry point, declared for Swift.
        .systemLibrary(name: "CLibFuzzer"),

        // What the targets share: checks that every decoded message must pass.
        .target(name: "FuzzSupport", dependencies: ["ProtoWire", "CLibFuzzer"], swiftSettings: strict),

        // The fixtures' message types, picked by the first byte of an input.
        .target(name: "FuzzFixtures", dependencies: ["ProtoWire", "GeneratedFixtures"], swiftSettings: strict),

        // Binary decoding of the fixtures' messages (scalars, enums, maps, nesting, oneofs, groups
        // of imports, renamed fields), with an encode / decode round trip of whatever decodes.
        .executableTarget(name: "fuzz-wire", dependencies: ["ProtoWire", "FuzzFixtures", "FuzzSupport"], swiftSettings: strict),
        // JSON decoding of the same messages, with a JSON round trip of whatever decodes.
        .executableTarget(name: "fuzz-json", dependencies: ["ProtoWire", "FuzzFixtures", "FuzzSupport"], swiftSettings: strict),
        // Text-format parsing of the same messages, with a text round trip of whatever parses.
        .executableTarget(name: "fuzz-text", dependencies: ["ProtoWire", "FuzzFixtures", "FuzzSupport"], swiftSettings: strict),
        // Binary decoding of the well-known types and their hand-written helpers.
        .executableTarget(name: "fuzz-wkt", dependencies: ["ProtoWire", "FuzzSupport"], swiftSettings: strict),
        // The gRPC deframer with gzip and deflate decompression (GRPCRuntime's framing and
        // compression files, linked into this target).
        .executableTarget(
            name: "fuzz-deframer",
            dependencies: [
                "ProtoWire", "GeneratedFixtures", "CZlib", "FuzzSupport",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // The protoc plugin on arbitrary bytes and on mutated real CodeGeneratorRequests.
        .executableTarget(
            name: "fuzz-plugin",
            dependencies: ["PluginCore", "ProtoWire", "FuzzSupport"],
            swiftSettings: strict
        ),
        // The search example's GeoJSON loading and the place index built from it (its Geo files,
        // linked into this target).
        .executableTarget(name: "fuzz-geojson", dependencies: ["FuzzSupport"], swiftSettings: strict),
    ]
)

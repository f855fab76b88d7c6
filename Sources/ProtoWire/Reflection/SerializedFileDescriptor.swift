/// A `.proto` file's `google.protobuf.FileDescriptorProto`, serialized, as the plugin embeds it in
/// generated code (option `Reflection`, on by default), with the descriptors of the files it imports.
///
/// Generated code declares one per file, as a global constant named after the file's types
/// (`Search_FileDescriptor` for `search.proto`), and a generated service names its file's, so that
/// server reflection can answer for the services a server runs. The descriptor leaves out the
/// file's comments and source positions (`source_code_info`), which reflection clients never need.
///
/// Generated code holds the bytes as a base64 string literal: it compiles far faster than an
/// array literal of the same bytes. Being a global constant, it is decoded once, on first use.
public struct SerializedFileDescriptor: Sendable {
    /// The path `protoc` knows the file by, such as `google/protobuf/empty.proto`.
    public let name: String
    /// The files the file imports, in the order of its `import` lines.
    public let dependencies: [SerializedFileDescriptor]
    /// The encoded `FileDescriptorProto`.
    public let bytes: [UInt8]

    /// A descriptor from the base64 text of its bytes; line breaks in `base64` are ignored.
    ///
    /// Generated code is the only caller: text that is not base64 is a broken generated file and
    /// stops the program with the file's name.
    public init(name: String, dependencies: [SerializedFileDescriptor], base64: String) {
        let text = Array(base64.utf8.lazy.filter { $0 != UInt8(ascii: "\n") })
        guard let decoded = text.withUnsafeBytes({ Base64.decode($0) }).map({ [UInt8]($0) }) else {
            preconditionFailure("the embedded descriptor of \(name) is not base64: regenerate the file")
        }
        self.init(name: name, dependencies: dependencies, bytes: decoded)
    }

    /// A descriptor from its encoded bytes.
    public init(name: String, dependencies: [SerializedFileDescriptor], bytes: [UInt8]) {
        self.name = name
        self.dependencies = dependencies
        self.bytes = bytes
    }

    /// This file and every file it imports, directly or not, each once, dependencies before the
    /// files that import them.
    public var withTransitiveDependencies: [SerializedFileDescriptor] {
        var seen = Set<String>()
        var ordered: [SerializedFileDescriptor] = []
        func visit(_ file: SerializedFileDescriptor) {
            guard seen.insert(file.name).inserted else { return }
            for dependency in file.dependencies { visit(dependency) }
            ordered.append(file)
        }
        visit(self)
        return ordered
    }
}

/// Which Swift module holds the generated types of which `.proto` file, read from the text-format
/// file that `ProtoPathModuleMappings=FILE` names. The format is the one swift-protobuf's plugin
/// reads, so an existing mappings file works unchanged:
///
/// ```
/// # comments start with '#'
/// mapping {
///   module_name: "Geometry"
///   proto_file_path: "geometry/point.proto"
///   proto_file_path: "geometry/shape.proto"
/// }
/// ```
///
/// A file whose types live in another module makes each generated file that imports it
/// `import` that module, instead of expecting the types in the same one.
public struct ModuleMappings: Sendable, Hashable {
    /// The module of each mapped `.proto` path.
    public private(set) var moduleByProtoPath: [String: String] = [:]

    /// The well-known types, which ProtoWire holds; generated code imports ProtoWire anyway.
    static let runtimeModule = "ProtoWire"

    public init() {}

    /// Parses the text of a mappings file; `source` names it in errors.
    public init(parsing text: String, source: String) throws(GeneratorError) {
        var parser = MappingsParser(text: Array(text.utf8), source: source)
        try parser.parse(into: &self)
    }

    /// The module that holds `protoPath`'s types, or nil when it is not mapped.
    public func module(of protoPath: String) -> String? { moduleByProtoPath[protoPath] }

    mutating func add(module: String, protoPaths: [String], source: String, line: Int) throws(GeneratorError) {
        for path in protoPaths {
            if let other = moduleByProtoPath[path], other != module {
                throw GeneratorError(
                    file: source, element: path, message: "mapped to two modules, \(other) and \(module) (line \(line))")
            }
            moduleByProtoPath[path] = module
        }
    }
}

/// A reader for the little of the protobuf text format a mappings file uses: `mapping` blocks in
/// `{}` or `<>`, each with one `module_name` and any number of `proto_file_path` strings; fields
/// separated by blanks, commas or semicolons; `#` comments.
private struct MappingsParser {
    let text: [UInt8]
    let source: String
    var position = 0
    var line = 1

    mutating func parse(into mappings: inout ModuleMappings) throws(GeneratorError) {
        while let name = try nextToken() {
            guard name == .identifier("mapping") else { throw error("expected 'mapping', found \(name)") }
            let start = line
            var token = try nextToken()
            if token == .symbol(":") { token = try nextToken() }
            guard let open = token, open == .symbol("{") || open == .symbol("<") else {
                throw error("expected '{' after 'mapping'")
            }
            let close: Token = open == .symbol("{") ? .symbol("}") : .symbol(">")
            var module: String?
            var paths: [String] = []
            while true {
                guard let field = try nextToken() else { throw error("the mapping that starts on line \(start) is not closed") }
                if field == close { break }
                if field == .symbol(",") || field == .symbol(";") { continue }
                guard case .identifier(let fieldName) = field else { throw error("expected a field name, found \(field)") }
                guard try nextToken() == .symbol(":") else { throw error("expected ':' after \(fieldName)") }
                guard case .string(let value)? = try nextToken() else { throw error("\(fieldName) needs a quoted string") }
                switch fieldName {
                case "module_name":
                    guard module == nil else { throw error("a mapping has one module_name") }
                    guard !value.isEmpty else { throw error("module_name is empty") }
                    module = value
                case "proto_file_path":
                    paths.append(value)
                default:
                    throw error("unknown field \(fieldName) (known: module_name, proto_file_path)")
                }
            }
            guard let module else { throw error("the mapping that starts on line \(start) has no module_name") }
            try mappings.add(module: module, protoPaths: paths, source: source, line: start)
        }
    }

    enum Token: Equatable, CustomStringConvertible {
        case identifier(String), string(String), symbol(Character)
        var description: String {
            switch self {
            case .identifier(let s): return "'\(s)'"
            case .string(let s): return "\"\(s)\""
            case .symbol(let c): return "'\(c)'"
            }
        }
    }

    mutating func nextToken() throws(GeneratorError) -> Token? {
        skipBlanksAndComments()
        guard position < text.count else { return nil }
        let byte = text[position]
        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") { return .string(try quoted(byte)) }
        if isIdentifierByte(byte) {
            let start = position
            while position < text.count, isIdentifierByte(text[position]) { position += 1 }
            return .identifier(String(decoding: text[start..<position], as: UTF8.self))
        }
        position += 1
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "<"), UInt8(ascii: ">"),
            UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: ";"):
            return .symbol(Character(Unicode.Scalar(byte)))
        default:
            throw error("unexpected character '\(Character(Unicode.Scalar(byte)))'")
        }
    }

    private mutating func skipBlanksAndComments() {
        while position < text.count {
            switch text[position] {
            case UInt8(ascii: "\n"): line += 1; position += 1
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): position += 1
            case UInt8(ascii: "#"):
                while position < text.count, text[position] != UInt8(ascii: "\n") { position += 1 }
            default: return
            }
        }
    }

    /// A quoted string; of the escapes only `\\`, `\"` and `\'` occur in paths and module names.
    private mutating func quoted(_ quote: UInt8) throws(GeneratorError) -> String {
        let startLine = line
        position += 1
        var bytes: [UInt8] = []
        while position < text.count {
            let byte = text[position]
            position += 1
            if byte == quote { return String(decoding: bytes, as: UTF8.self) }
            if byte == UInt8(ascii: "\n") { break }
            if byte == UInt8(ascii: "\\"), position < text.count {
                bytes.append(text[position])
                position += 1
            } else {
                bytes.append(byte)
            }
        }
        line = startLine
        throw error("a string is not closed")
    }

    private func isIdentifierByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
    }

    private func error(_ message: String) -> GeneratorError {
        GeneratorError(file: source, element: "line \(line)", message: message)
    }
}

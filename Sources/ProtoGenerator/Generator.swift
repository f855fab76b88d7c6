import GeneratorTemplates

/// One generated Swift file.
public struct GeneratedFile: Sendable, Hashable {
    /// The path relative to the output directory, such as `google/protobuf/timestamp.pb.swift`.
    public var name: String
    public var content: String

    public init(name: String, content: String) {
        self.name = name
        self.content = content
    }
}

/// Options given as `--swift-grpc_opt=Key=Value,Key=Value`.
public struct GeneratorOptions: Sendable, Hashable {
    /// `public` (the default), `package` or `internal`.
    public var visibility = "public"
    /// Whether generated files `import ProtoWire`; false when generating into the runtime itself.
    public var importRuntime = true
    /// How output files are named: `FullPath` keeps the `.proto`'s directories
    /// (`a/b/c.pb.swift`), `PathToUnderscores` folds them into the name (`a_b_c.pb.swift`),
    /// `DropPath` keeps only the base name (`c.pb.swift`).
    public var fileNaming = "FullPath"
    /// Whether to write message types (`.pb.swift`).
    public var messages = true
    /// Whether to write service code (`.grpc.swift`) for files that declare services.
    public var services = true
    /// Whether service files `import GRPCRuntime`; false when generating into the RPC runtime itself.
    public var importGRPCRuntime = true

    public init() {}

    public init(parameter: String) throws(GeneratorError) {
        for pair in parameter.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).trimmingBlanks() }
            let key = parts[0]
            let value = parts.count > 1 ? parts[1] : ""
            switch key.lowercased() {
            case "visibility":
                guard ["public", "package", "internal"].contains(value.lowercased()) else {
                    throw GeneratorError(file: "", element: "Visibility", message: "must be public, package or internal, not '\(value)'")
                }
                visibility = value.lowercased()
            case "importruntime": importRuntime = try Self.flag(value, "ImportRuntime")
            case "importgrpcruntime": importGRPCRuntime = try Self.flag(value, "ImportGRPCRuntime")
            case "messages": messages = try Self.flag(value, "Messages")
            case "services": services = try Self.flag(value, "Services")
            case "filenaming":
                guard let naming = ["FullPath", "PathToUnderscores", "DropPath"].first(where: { $0.lowercased() == value.lowercased() }) else {
                    throw GeneratorError(file: "", element: "FileNaming", message: "must be FullPath, PathToUnderscores or DropPath, not '\(value)'")
                }
                fileNaming = naming
            default:
                throw GeneratorError(
                    file: "", element: key,
                    message: "unknown option (known: Visibility, FileNaming, Messages, Services, ImportRuntime, ImportGRPCRuntime)"
                )
            }
        }
    }

    private static func flag(_ value: String, _ name: String) throws(GeneratorError) -> Bool {
        guard ["true", "false"].contains(value.lowercased()) else {
            throw GeneratorError(file: "", element: name, message: "must be true or false, not '\(value)'")
        }
        return value.lowercased() == "true"
    }

    var access: String { visibility == "internal" ? "" : visibility + " " }
}

/// The parsed templates.
struct TemplateSet: Sendable {
    let file: Template
    let message: Template
    let coding: Template
    let `enum`: Template
    let service: Template
    let servicesFile: Template

    static func load() throws(TemplateError) -> TemplateSet {
        TemplateSet(
            file: try Template(Templates.file, name: "file"),
            message: try Template(Templates.message, name: "message"),
            coding: try Template(Templates.coding, name: "coding"),
            enum: try Template(Templates.enum, name: "enum"),
            service: try Template(Templates.service, name: "service"),
            servicesFile: try Template(Templates.servicesFile, name: "services-file")
        )
    }
}

/// Turns a request's descriptors into Swift source, one file per `.proto` to generate.
public struct Generator: Sendable {
    let request: GeneratorRequest
    let options: GeneratorOptions
    let symbols: SymbolTable
    let templates: TemplateSet

    public init(_ request: GeneratorRequest) throws(GeneratorError) {
        self.request = request
        options = try GeneratorOptions(parameter: request.parameter)
        symbols = SymbolTable(files: request.files)
        do {
            templates = try TemplateSet.load()
        } catch {
            throw GeneratorError(file: "", element: "", message: "broken template: \(error)")
        }
    }

    public func generate() throws(GeneratorError) -> [GeneratedFile] {
        var out: [GeneratedFile] = []
        for name in request.filesToGenerate {
            guard let file = request.files.first(where: { $0.name == name }) else {
                throw GeneratorError(file: name, element: "", message: "file to generate is not in the request")
            }
            try Support.check(file)
            if options.messages {
                out.append(try generateMessages(file))
            }
            if options.services, !file.services.isEmpty {
                out.append(try generateServices(file))
            }
        }
        return out
    }

    func generateMessages(_ file: FileDescriptor) throws(GeneratorError) -> GeneratedFile {
        let content = try rendering(file) {
            var builder = FileBuilder(file: file, generator: self)
            return try builder.render()
        }
        return GeneratedFile(name: outputName(file.name, suffix: ".pb.swift"), content: Whitespace.normalize(content))
    }

    func generateServices(_ file: FileDescriptor) throws(GeneratorError) -> GeneratedFile {
        let content = try rendering(file) {
            let services = try file.services.map {
                ["code": TemplateValue.text(try ServicePlan(service: $0, file: file, symbols: symbols, access: options.access).render(templates.service))]
            }
            return try templates.servicesFile.render([
                "protoFile": .text(file.name),
                "importGRPC": .flag(options.importGRPCRuntime),
                "importRuntime": .flag(true),
                "services": .list(services),
            ])
        }
        return GeneratedFile(name: outputName(file.name, suffix: ".grpc.swift"), content: Whitespace.normalize(content))
    }

    /// Runs a rendering step, reporting any failure as a `GeneratorError` for `file`.
    private func rendering(_ file: FileDescriptor, _ body: () throws -> String) throws(GeneratorError) -> String {
        do {
            return try body()
        } catch let error as GeneratorError {
            throw error
        } catch {
            throw GeneratorError(file: file.name, element: "", message: "\(error)")
        }
    }

    func outputName(_ protoName: String, suffix: String) -> String {
        let base = protoName.hasSuffix(".proto") ? String(protoName.dropLast(6)) : protoName
        switch options.fileNaming {
        case "DropPath": return String(base.split(separator: "/").last ?? Substring(base)) + suffix
        case "PathToUnderscores": return base.replacingSlashes() + suffix
        default: return base + suffix
        }
    }
}

/// What this version of the generator does not handle yet, reported by name.
enum Support {
    static func check(_ file: FileDescriptor) throws(GeneratorError) {
        if file.syntax == "editions" {
            throw GeneratorError(file: file.name, element: "", message: "editions (edition \(file.edition)) are not supported yet")
        }
        if let ext = file.extensions.first {
            throw GeneratorError(file: file.name, element: qualified(file.package, ext), message: "extensions (`extend`) are not supported yet")
        }
        for m in file.messages { try check(m, scope: file.package, file: file.name) }
    }

    private static func check(_ m: MessageDescriptor, scope: String, file: String) throws(GeneratorError) {
        let full = qualified(scope, m.name)
        if let ext = m.extensions.first {
            throw GeneratorError(file: file, element: qualified(full, ext), message: "extensions (`extend`) are not supported yet")
        }
        for f in m.fields where f.type == .group {
            throw GeneratorError(file: file, element: qualified(full, f.name), message: "groups are not supported yet")
        }
        for nested in m.messages { try check(nested, scope: full, file: file) }
    }

    static func qualified(_ scope: String, _ name: String) -> String {
        scope.isEmpty ? name : scope + "." + name
    }
}

/// Trailing blanks removed, runs of blank lines folded to one, one final newline.
enum Whitespace {
    static func normalize(_ text: String) -> String {
        if let fast = normalizeASCII(text) { return fast }
        var lines: [Substring] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = raw
            while line.last == " " { line.removeLast() }
            if line.isEmpty, lines.last?.isEmpty ?? true { continue }
            // No blank line right after an opening brace or right before a closing one.
            if line.isEmpty, lines.last?.hasSuffix("{") == true { continue }
            if line.trimmingPrefixBlanks().hasPrefix("}"), lines.last?.isEmpty == true { lines.removeLast() }
            lines.append(line)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `normalize` over bytes, for ASCII text without carriage returns (where a Character is a
    /// byte, so the result is the same). Splitting by Character was a third of the plugin's time.
    static func normalizeASCII(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            for b in bytes where b >= 0x80 || b == 0x0D { return nil }
            let space = UInt8(ascii: " "), open = UInt8(ascii: "{"), close = UInt8(ascii: "}")
            var lines: [Range<Int>] = []
            func add(_ lo: Int, _ end: Int) {
                var hi = end
                while hi > lo, bytes[hi - 1] == space { hi -= 1 }
                let line = lo..<hi
                if line.isEmpty, lines.last?.isEmpty ?? true { return }
                // No blank line right after an opening brace or right before a closing one.
                if line.isEmpty, let last = lines.last, bytes[last.upperBound - 1] == open { return }
                var first = lo
                while first < hi, bytes[first] == space { first += 1 }
                if first < hi, bytes[first] == close, lines.last?.isEmpty == true { lines.removeLast() }
                lines.append(line)
            }
            var start = 0
            for i in bytes.indices where bytes[i] == UInt8(ascii: "\n") {
                add(start, i)
                start = i + 1
            }
            add(start, bytes.count)
            while lines.last?.isEmpty == true { lines.removeLast() }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 1)
            for (n, line) in lines.enumerated() {
                if n > 0 { out.append(UInt8(ascii: "\n")) }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[line]))
            }
            out.append(UInt8(ascii: "\n"))
            return String(decoding: out, as: UTF8.self)
        }
    }
}

extension String {
    func replacingSlashes() -> String { String(map { $0 == "/" ? "_" : $0 }) }
}

extension Substring {
    func trimmingPrefixBlanks() -> Substring {
        var s = self
        while s.first == " " { s.removeFirst() }
        return s
    }
}

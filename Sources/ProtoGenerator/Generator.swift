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

/// The templates of `Templates/`, parsed once; each is also a partial of the others.
struct TemplateSet: Sendable {
    let templates: [String: Template]

    static func load() throws(TemplateError) -> TemplateSet {
        var templates: [String: Template] = [:]
        for (name, text) in Templates.all {
            templates[name] = try Template(text, name: name)
        }
        return TemplateSet(templates: templates)
    }

    func render(_ name: String, _ context: TemplateContext) throws(TemplateError) -> String {
        guard let template = templates[name] else { throw TemplateError(description: "no template \(name)") }
        return try template.render(context, partials: templates)
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
            var plan = FilePlan(file: file, symbols: symbols, options: options, moduleImports: try moduleImports(of: file))
            plan.dependencyFiles = file.dependencies.compactMap { name in request.files.first { $0.name == name } }
            if options.messages {
                let content = try render("file", try plan.messagesContext(), for: file)
                out.append(GeneratedFile(name: outputName(file.name, suffix: ".pb.swift"), content: content))
            }
            if options.services, !file.services.isEmpty {
                let content = try render("services-file", try plan.servicesContext(), for: file)
                out.append(GeneratedFile(name: outputName(file.name, suffix: ".grpc.swift"), content: content))
            }
        }
        return out
    }

    /// The modules a file's generated code imports for the types of the files it imports: the
    /// mapped module of each import and, through `import public`, of what those re-export. A file
    /// being generated cannot be mapped: its types are written into the module being built.
    func moduleImports(of file: FileDescriptor) throws(GeneratorError) -> [String] {
        if let path = options.moduleMappingsPath, request.moduleMappings.moduleByProtoPath.isEmpty {
            throw GeneratorError(file: path, element: "ProtoPathModuleMappings", message: "maps no .proto file to a module")
        }
        if let module = request.moduleMappings.module(of: file.name) {
            throw GeneratorError(
                file: file.name, element: "ProtoPathModuleMappings",
                message: "is mapped to module \(module) but is being generated into this one")
        }
        let byName = Dictionary(request.files.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var modules = Set<String>()
        var seen = Set<String>()
        var pending = file.dependencies
        while let name = pending.popLast() {
            guard seen.insert(name).inserted else { continue }
            if let module = request.moduleMappings.module(of: name) { modules.insert(module) }
            pending += byName[name]?.publicDependencies ?? []
        }
        modules.remove(ModuleMappings.runtimeModule)
        return modules.sorted()
    }

    private func render(_ template: String, _ context: TemplateContext, for file: FileDescriptor) throws(GeneratorError) -> String {
        do {
            return try templates.render(template, context)
        } catch {
            throw GeneratorError(file: file.name, element: "", message: "\(error)")
        }
    }

    func outputName(_ protoName: String, suffix: String) -> String {
        let base = protoName.hasSuffix(".proto") ? String(protoName.dropLast(6)) : protoName
        switch options.fileNaming {
        case .dropPath: return String(base.split(separator: "/").last ?? Substring(base)) + suffix
        case .pathToUnderscores: return String(base.map { $0 == "/" ? "_" : $0 }) + suffix
        case .fullPath: return base + suffix
        }
    }
}

/// What this version of the generator does not handle yet, reported by name.
enum Support {
    static func check(_ file: FileDescriptor) throws(GeneratorError) {
        if file.syntax == "editions", !ResolvedFeatures.knownEditions.contains(file.edition) {
            let known = ResolvedFeatures.knownEditions.sorted().joined(separator: ", ")
            throw GeneratorError(file: file.name, element: "", message: "edition \(file.edition) is not supported (known: \(known))")
        }
    }

    static func qualified(_ scope: String, _ name: String) -> String {
        scope.isEmpty ? name : scope + "." + name
    }
}

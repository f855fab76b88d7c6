// One `.proto` file's output: the context of `file.mustache` (messages and enums) and of
// `services-file.mustache` (services).

struct FilePlan {
    let file: FileDescriptor
    let symbols: SymbolTable
    let options: GeneratorOptions
    /// Modules holding the types of imported files (module mappings), imported by both outputs.
    var moduleImports: [String] = []
    /// The files `file` imports, in its order, for the dependencies of its embedded descriptor.
    var dependencyFiles: [FileDescriptor] = []

    /// The interface version of ProtoWire (and GRPCRuntime) this generator writes code for:
    /// generated files name the runtime's type of this name, so that a mismatch is one clear error.
    static let runtimeVersion = "GeneratedCodeVersion1"

    private var scope: String { file.package.isEmpty ? "" : "." + file.package }

    func messagesContext() throws(GeneratorError) -> TemplateContext {
        var all: [TemplateContext] = []
        var messages: [TemplateContext] = []
        for m in file.messages {
            let plan = try MessagePlan(m, protoName: "\(scope).\(m.name)", file: file, symbols: symbols)
            messages.append(try plan.context(file: file, symbols: symbols, all: &all))
        }
        return [
            "protoFile": .text(file.name),
            "access": .text(options.accessPrefix),
            "runtimeVersion": .text(Self.runtimeVersion),
            "importFoundation": .flag(
                usesBytes(file.messages) || file.extensions.contains { $0.type == .bytes } || holdsRequired(file.messages, in: scope)),
            "importRuntime": .flag(options.importRuntime),
            "moduleImports": moduleImportsContext,
            "enums": .list(file.enums.map { EnumPlan(e: $0, symbol: symbols.enums["\(scope).\($0.name)"]!, protoName: "\(scope).\($0.name)").context() }),
            "messages": .list(messages),
            "allMessages": .list(all),
            "registryName": .text(registryName),
            "hasMessageTypes": .flag(!all.isEmpty),
            "messageTypes": .list(all.compactMap { $0["fullName"] }.map { ["type": $0] }),
            "extensionDeclarations": .list([try ExtensionPlan.fileContext(file, symbols: symbols)]),
            "fileDescriptor": fileDescriptorContext(),
        ]
    }

    /// The file's list of message types for `TypeRegistry`: `Fixtures_Enums_Enums_MessageTypes`
    /// for `fixtures/enums.proto` in package `fixtures.enums`, named as the file's types are.
    private var registryName: String { Self.fileConstantPrefix(file) + "_MessageTypes" }

    /// What the names of a file's generated constants start with: `Fixtures_Enums_Enums` for
    /// `fixtures/enums.proto` in package `fixtures.enums`.
    static func fileConstantPrefix(_ file: FileDescriptor) -> String {
        let base = file.name.split(separator: "/").last.map(String.init) ?? file.name
        let stem = base.hasSuffix(".proto") ? String(base.dropLast(6)) : base
        return Naming.typePrefix(package: file.package, swiftPrefix: file.swiftPrefix) + Naming.upperCamel(stem)
    }

    func servicesContext() throws(GeneratorError) -> TemplateContext {
        [
            "protoFile": .text(file.name),
            "access": .text(options.accessPrefix),
            "runtimeVersion": .text(Self.runtimeVersion),
            "importGRPC": .flag(options.importGRPCRuntime),
            "moduleImports": moduleImportsContext,
            "fileDescriptorName": serviceFileDescriptorName,
            "services": .list(try file.services.map { service throws(GeneratorError) in
                try ServicePlan(service: service, file: file, symbols: symbols).context()
            }),
        ]
    }

    private var moduleImportsContext: TemplateValue { .list(moduleImports.map { ["module": .text($0)] }) }

    /// True when a field of a message in the file (or a map value) is `bytes`, typed `Data`.
    private func usesBytes(_ messages: [MessageDescriptor]) -> Bool {
        messages.contains { m in
            m.fields.contains { $0.type == .bytes } || m.extensions.contains { $0.type == .bytes } || usesBytes(m.messages)
        }
    }

    /// Whether a message of `messages` (declared in `scope`), or one nested in them, can hold a
    /// required field: its checked `serializedData()` returns `Data`.
    private func holdsRequired(_ messages: [MessageDescriptor], in scope: String) -> Bool {
        messages.contains { m in
            let name = scope + "." + m.name
            return !m.isMapEntry && symbols.canHoldRequired(name) || holdsRequired(m.messages, in: name)
        }
    }
}

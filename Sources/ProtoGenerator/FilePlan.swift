// One `.proto` file's output: the context of `file.mustache` (messages and enums) and of
// `services-file.mustache` (services).

struct FilePlan {
    let file: FileDescriptor
    let symbols: SymbolTable
    let options: GeneratorOptions

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
            "importFoundation": .flag(usesBytes(file.messages)),
            "importRuntime": .flag(options.importRuntime),
            "enums": .list(file.enums.map { EnumPlan(e: $0, symbol: symbols.enums["\(scope).\($0.name)"]!, protoName: "\(scope).\($0.name)").context() }),
            "messages": .list(messages),
            "allMessages": .list(all),
        ]
    }

    func servicesContext() throws(GeneratorError) -> TemplateContext {
        [
            "protoFile": .text(file.name),
            "access": .text(options.accessPrefix),
            "runtimeVersion": .text(Self.runtimeVersion),
            "importGRPC": .flag(options.importGRPCRuntime),
            "services": .list(try file.services.map { service throws(GeneratorError) in
                try ServicePlan(service: service, file: file, symbols: symbols).context()
            }),
        ]
    }

    /// True when a field of a message in the file (or a map value) is `bytes`, typed `Data`.
    private func usesBytes(_ messages: [MessageDescriptor]) -> Bool {
        messages.contains { m in m.fields.contains { $0.type == .bytes } || usesBytes(m.messages) }
    }
}

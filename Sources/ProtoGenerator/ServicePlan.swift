// Services: a namespace enum per service with its method descriptors, the `Servicer`
// protocol a server implements, and the `Client` stub.

struct ServicePlan {
    let service: ServiceDescriptor
    let file: FileDescriptor
    let symbols: SymbolTable

    /// The Swift namespace: the package prefix plus the service name.
    var swiftName: String {
        Naming.typeName(Naming.typePrefix(package: file.package, swiftPrefix: file.swiftPrefix) + service.name, suffix: "Service")
    }

    var protoName: String { Support.qualified(file.package, service.name) }

    func context() throws(GeneratorError) -> TemplateContext {
        var methods: [TemplateContext] = []
        for (i, method) in service.methods.enumerated() {
            let kind: String
            switch (method.clientStreaming, method.serverStreaming) {
            case (false, false): kind = "unary"
            case (false, true): kind = "serverStreaming"
            case (true, false): kind = "clientStreaming"
            case (true, true): kind = "bidirectionalStreaming"
            }
            methods.append([
                "name": .text(Naming.member(Naming.lowerCamel(method.name))),
                "startName": .text("start" + Naming.upperCamel(method.name)),
                "doc": .text(Doc.comment(method.comments)),
                "input": .text(try typeName(method.inputType, method: method.name)),
                "output": .text(try typeName(method.outputType, method: method.name)),
                "path": .text("/\(protoName)/\(method.name)"),
                "kind": .text(kind),
                "unary": .flag(kind == "unary"),
                "serverStreaming": .flag(kind == "serverStreaming"),
                "clientStreaming": .flag(kind == "clientStreaming"),
                "bidirectionalStreaming": .flag(kind == "bidirectionalStreaming"),
                "last": .flag(i == service.methods.count - 1),
            ])
        }
        return [
            "doc": .text(Doc.comment(service.comments)),
            "name": .text(swiftName),
            "serviceName": .text(swiftName),
            "protoName": .text(protoName),
            "methods": .list(methods),
        ]
    }

    private func typeName(_ protoType: String, method: String) throws(GeneratorError) -> String {
        guard let symbol = symbols.messages[protoType] else {
            throw GeneratorError(file: file.name, element: "\(protoName).\(method)", message: "unknown message type \(protoType)")
        }
        return symbol.swiftName
    }
}

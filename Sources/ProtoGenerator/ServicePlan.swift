// Services: a namespace enum per service with its method descriptors, the
// `Servicer` protocol a server implements, and the `Client` stub.

struct ServicePlan {
    let service: ServiceDescriptor
    let file: FileDescriptor
    let symbols: SymbolTable
    let access: String

    /// The Swift namespace: the package prefix plus the service name.
    var swiftName: String {
        Naming.typeName(Naming.typePrefix(package: file.package, swiftPrefix: file.swiftPrefix) + service.name, suffix: "Service")
    }

    var protoName: String { Support.qualified(file.package, service.name) }

    func render(_ template: Template) throws -> String {
        var methods: [TemplateContext] = []
        for method in service.methods {
            methods.append(try context(for: method))
        }
        return try template.render([
            "doc": .text(Doc.comment(service.comments)),
            "access": .text(access),
            "name": .text(swiftName),
            "protoName": .text(protoName),
            "methods": .list(methods),
        ])
    }

    private func typeName(_ protoType: String, method: String) throws -> String {
        guard let symbol = symbols.messages[protoType] else {
            throw GeneratorError(file: file.name, element: "\(protoName).\(method)", message: "unknown message type \(protoType)")
        }
        return symbol.swiftName
    }

    private func context(for method: ServiceDescriptor.Method) throws -> TemplateContext {
        let input = try typeName(method.inputType, method: method.name)
        let output = try typeName(method.outputType, method: method.name)
        let name = Naming.member(Naming.lowerCamel(method.name))
        let descriptor = "\(swiftName).Method.\(name)"
        let kind: String
        let requirement: String
        let client: String
        let registration: String
        switch (method.clientStreaming, method.serverStreaming) {
        case (false, false):
            kind = "unary"
            requirement = "func \(name)(request: \(input), context: ServerContext) async throws -> \(output)"
            client = """
                \(access)func \(name)(_ request: \(input), options: CallOptions = CallOptions()) async throws -> \(output) {
                  try await channel.unary(Method.\(name), request, options: options).message
                }
                """
            registration = ".unary(\(descriptor).path) { try await self.\(name)(request: $0, context: $1) },"
        case (false, true):
            kind = "serverStreaming"
            requirement = "func \(name)(request: \(input), responses: ResponseWriter<\(output)>, context: ServerContext) async throws"
            client = """
                \(access)func \(name)<Result: Sendable>(
                  _ request: \(input), options: CallOptions = CallOptions(),
                  onResponses handle: @escaping @Sendable (ResponseStream<\(output)>) async throws -> Result
                ) async throws -> Result {
                  try await channel.serverStreaming(Method.\(name), request, options: options, handle)
                }
                """
            registration = ".serverStreaming(\(descriptor).path) { try await self.\(name)(request: $0, responses: $1, context: $2) },"
        case (true, false):
            kind = "clientStreaming"
            requirement = "func \(name)(requests: RequestStream<\(input)>, context: ServerContext) async throws -> \(output)"
            client = """
                \(access)func \(name)(
                  options: CallOptions = CallOptions(),
                  requests: @escaping @Sendable (RequestWriter<\(input)>) async throws -> Void
                ) async throws -> \(output) {
                  try await channel.clientStreaming(Method.\(name), options: options, requests: requests).message
                }
                """
            registration = ".clientStreaming(\(descriptor).path) { try await self.\(name)(requests: $0, context: $1) },"
        case (true, true):
            kind = "bidirectionalStreaming"
            requirement = "func \(name)(requests: RequestStream<\(input)>, responses: ResponseWriter<\(output)>, context: ServerContext) async throws"
            client = """
                \(access)func \(name)<Result: Sendable>(
                  options: CallOptions = CallOptions(),
                  requests: @escaping @Sendable (RequestWriter<\(input)>) async throws -> Void,
                  responses: @escaping @Sendable (ResponseStream<\(output)>) async throws -> Result
                ) async throws -> Result {
                  try await channel.bidirectionalStreaming(Method.\(name), options: options, requests: requests, responses: responses)
                }
                """
            registration = ".bidirectionalStreaming(\(descriptor).path) { try await self.\(name)(requests: $0, responses: $1, context: $2) },"
        }
        return [
            "name": .text(name),
            "doc": .text(Doc.comment(method.comments)),
            "input": .text(input),
            "output": .text(output),
            "path": .text("/\(protoName)/\(method.name)"),
            "kind": .text(kind),
            "requirement": .text(requirement),
            "clientMethod": .text(client),
            "registration": .text(registration),
        ]
    }
}

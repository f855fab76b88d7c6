/// The registered methods by path.
struct Router: Sendable {
    private var methods: [String: ServerMethod] = [:]

    init(services: [any GRPCService]) {
        for service in services {
            for method in service.methods { methods[method.path] = method }
        }
    }

    func method(for path: String) -> ServerMethod? { methods[path] }
}

// migration-before, ported to this toolkit: the same service and client on ProtoWire and
// GRPCRuntime, with the Swift generated at build time by SwiftGRPCPlugin from the same
// helloworld.proto. Documentation/Migrating.md walks through the differences line by line.
//   migration-after serve PORT       prints "listening on PORT" (0 picks a free port), serves until killed
//   migration-after call PORT NAME   prints what the calls return
import Foundation
import GRPCRuntime
import ProtoWire

struct Greeter: Helloworld_Greeter.Servicer {
    static let greetings = ["Hello", "Bonjour", "Hallo", "Hola"]

    func sayHello(request: Helloworld_HelloRequest, context: ServerContext) async throws -> Helloworld_HelloReply {
        try reply("Hello", to: request)
    }

    func sayHelloInLanguages(
        request: Helloworld_HelloRequest, responses: ResponseWriter<Helloworld_HelloReply>, context: ServerContext
    ) async throws {
        for greeting in Self.greetings { try await responses.write(try reply(greeting, to: request)) }
    }

    func reply(_ greeting: String, to request: Helloworld_HelloRequest) throws -> Helloworld_HelloReply {
        guard !request.name.isEmpty else { throw RPCError(.invalidArgument, "name must not be empty") }
        return Helloworld_HelloReply(message: "\(greeting), \(request.name)!", sentAt: try Google_Protobuf_Timestamp(date: Date()))
    }
}

func serve(port: Int) async throws {
    let server = GRPCServer(configuration: .init(host: "127.0.0.1", port: port), services: [Greeter()])
    try await withThrowingDiscardingTaskGroup { group in
        group.addTask { try await server.serve() }
        if let port = try await server.listeningAddress.port { print("listening on \(port)") }
        fflush(nil)
    }
}

func call(port: Int, name: String) async throws {
    let channel = GRPCChannel(host: "127.0.0.1", port: port)
    defer { channel.close() }
    let greeter = Helloworld_Greeter.Client(channel: channel)
    let request = Helloworld_HelloRequest(name: name)
    let bytes: Data = request.serializedData()
    let decoded = try Helloworld_HelloRequest(serializedData: bytes)
    print("request: \(bytes.count) bytes, name \(decoded.name)")

    let reply = try await greeter.sayHello(request, options: CallOptions(timeout: .seconds(5)))
    print("unary: \(reply.message) (sent_at set: \(reply.sentAt != nil))")

    let replies = try await greeter.sayHelloInLanguages(request) { responses in
        var messages: [String] = []
        for try await reply in responses { messages.append(reply.message) }
        return messages
    }
    print("stream: \(replies.joined(separator: " | "))")

    do {
        _ = try await greeter.sayHello(Helloworld_HelloRequest())
        print("empty name: accepted")
    } catch let error as RPCError {
        print("empty name: status \(error.code.rawValue), \(error.message)")
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch (arguments.first, arguments.count) {
case ("serve", 2): try await serve(port: Int(arguments[1]) ?? 0)
case ("call", 3): try await call(port: Int(arguments[1]) ?? 0, name: arguments[2])
default:
    print("usage: migration-after serve PORT | call PORT NAME")
    exit(64)
}

// The helloworld.Greeter service and a client as written for swift-protobuf and grpc-swift-2
// (grpc-swift-protobuf's generated code, grpc-swift-nio-transport's HTTP/2 transport): the
// starting point of the migration guide (Documentation/Migrating.md). migration-after is the
// same program on this toolkit; Scripts/migration-check.sh runs each client against each server.
//   migration-before serve PORT       prints "listening on PORT" (0 picks a free port), serves until killed
//   migration-before call PORT NAME   prints what the calls return
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import SwiftProtobuf

struct Greeter: Helloworld_Greeter.SimpleServiceProtocol {
    static let greetings = ["Hello", "Bonjour", "Hallo", "Hola"]

    func sayHello(request: Helloworld_HelloRequest, context: ServerContext) async throws -> Helloworld_HelloReply {
        try reply("Hello", to: request)
    }

    func sayHelloInLanguages(
        request: Helloworld_HelloRequest, response: RPCWriter<Helloworld_HelloReply>, context: ServerContext
    ) async throws {
        for greeting in Self.greetings { try await response.write(try reply(greeting, to: request)) }
    }

    func reply(_ greeting: String, to request: Helloworld_HelloRequest) throws -> Helloworld_HelloReply {
        guard !request.name.isEmpty else { throw RPCError(code: .invalidArgument, message: "name must not be empty") }
        var reply = Helloworld_HelloReply()
        reply.message = "\(greeting), \(request.name)!"
        reply.sentAt = Google_Protobuf_Timestamp(date: Date())
        return reply
    }
}

func serve(port: Int) async throws {
    let server = GRPCServer(
        transport: .http2NIOPosix(address: .ipv4(host: "127.0.0.1", port: port), transportSecurity: .plaintext),
        services: [Greeter()]
    )
    try await withThrowingDiscardingTaskGroup { group in
        group.addTask { try await server.serve() }
        if let address = try await server.listeningAddress?.ipv4 { print("listening on \(address.port)") }
        fflush(nil)
    }
}

func call(port: Int, name: String) async throws {
    try await withGRPCClient(
        transport: .http2NIOPosix(target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)
    ) { client in
        let greeter = Helloworld_Greeter.Client(wrapping: client)
        var request = Helloworld_HelloRequest()
        request.name = name
        let bytes: Data = try request.serializedData()
        let decoded = try Helloworld_HelloRequest(serializedBytes: bytes)
        print("request: \(bytes.count) bytes, name \(decoded.name)")

        var options = CallOptions.defaults
        options.timeout = .seconds(5)
        let reply = try await greeter.sayHello(request, options: options)
        print("unary: \(reply.message) (sent_at set: \(reply.hasSentAt))")

        let replies = try await greeter.sayHelloInLanguages(request) { response in
            var messages: [String] = []
            for try await reply in response.messages { messages.append(reply.message) }
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
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch (arguments.first, arguments.count) {
case ("serve", 2): try await serve(port: Int(arguments[1]) ?? 0)
case ("call", 3): try await call(port: Int(arguments[1]) ?? 0, name: arguments[2])
default:
    print("usage: migration-before serve PORT | call PORT NAME")
    exit(64)
}

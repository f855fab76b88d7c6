import Foundation
import GRPCRuntime
import ProtoWire

/// The `helloworld.Greeter` service. `Helloworld_Greeter.Servicer` and the message types are
/// generated from `helloworld.proto` during the build.
public struct GreeterService: Helloworld_Greeter.Servicer {
    /// The greetings `SayHelloInLanguages` sends, one reply each.
    static let greetings = ["Hello", "Bonjour", "Hallo", "Hola"]

    public init() {}

    public func sayHello(request: Helloworld_HelloRequest, context: ServerContext) async throws -> Helloworld_HelloReply {
        try reply("Hello", to: request)
    }

    public func sayHelloInLanguages(
        request: Helloworld_HelloRequest, responses: ResponseWriter<Helloworld_HelloReply>, context: ServerContext
    ) async throws {
        for greeting in Self.greetings {
            try await responses.write(try reply(greeting, to: request))
        }
    }

    private func reply(_ greeting: String, to request: Helloworld_HelloRequest) throws -> Helloworld_HelloReply {
        guard !request.name.isEmpty else { throw RPCError(.invalidArgument, "name must not be empty") }
        return Helloworld_HelloReply(message: "\(greeting), \(request.name)!", sentAt: try Google_Protobuf_Timestamp(date: Date()))
    }
}

// greeter-server [PORT]: serves helloworld.Greeter on 127.0.0.1 (port 0 picks a free one) and
// prints the port it listens on.
import Foundation
import GRPCRuntime
import Greeting

let port = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 50051
let server = GRPCServer(configuration: .init(host: "127.0.0.1", port: port), services: [GreeterService()])
try await withThrowingTaskGroup(of: Void.self) { group in
    group.addTask { try await server.serve() }
    let address = try await server.listeningAddress
    print("listening on port \(address.port ?? port)")
    fflush(nil)  // the test reads the port through a pipe
    try await group.next()
}

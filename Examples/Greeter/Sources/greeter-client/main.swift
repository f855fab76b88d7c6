// greeter-client PORT NAME: calls helloworld.Greeter on 127.0.0.1:PORT, once and streaming.
import Foundation
import GRPCRuntime
import Greeting

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count == 2, let port = Int(arguments[0]) else {
    print("usage: greeter-client PORT NAME")
    exit(64)
}
let channel = GRPCChannel(host: "127.0.0.1", port: port)
defer { channel.close() }
let client = Helloworld_Greeter.Client(channel: channel)
let request = Helloworld_HelloRequest(name: arguments[1])
do {
    let reply = try await client.sayHello(request, options: CallOptions(timeout: .seconds(5)))
    print(reply.message)
    let replies = try await client.sayHelloInLanguages(request) { stream in
        var messages: [String] = []
        for try await reply in stream { messages.append(reply.message) }
        return messages
    }
    print(replies.joined(separator: " | "))
} catch let error as RPCError {
    print("failed: \(error)")
    exit(1)
}

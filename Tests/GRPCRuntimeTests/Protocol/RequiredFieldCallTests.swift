import GeneratedFixtures
import GRPCRuntime
import GRPCTestSupport
import NIOConcurrencyHelpers
import ProtoWire
import Testing

/// Calls whose messages are proto2 types with required fields (`fixtures.required.Outer`): a
/// message that lacks one is never sent. The client's call fails before anything goes out; the
/// server ends the call with INTERNAL instead of sending the response; both name the field's path.
@Suite struct RequiredFieldCallTests {
    typealias Outer = Fixtures_Required_Outer
    typealias Item = Fixtures_Required_Item

    static let unary = MethodDescriptor<Outer, Outer>(path: "/fixtures.required.Echo/Unary", kind: .unary)
    static let bidi = MethodDescriptor<Outer, Outer>(path: "/fixtures.required.Echo/Bidi", kind: .bidirectionalStreaming)

    /// Echoes each request, or, for one whose `label` is `incomplete`, answers with a message
    /// whose third item lacks its id. Counts the requests it saw.
    final class Echo: GRPCService {
        let seen = NIOLockedValueBox(0)

        func answer(_ request: Outer) -> Outer {
            seen.withLockedValue { $0 += 1 }
            guard request.choice == .label("incomplete") else { return request }
            var response = request
            response.items = [item(1), item(2), Item()]
            return response
        }

        var methods: [ServerMethod] {
            [
                .unary(RequiredFieldCallTests.unary) { request, _ in self.answer(request) },
                .bidirectionalStreaming(RequiredFieldCallTests.bidi) { requests, responses, _ in
                    for try await request in requests { try await responses.write(self.answer(request)) }
                },
            ]
        }
    }

    static func item(_ id: Int32?) -> Item { Item.with { $0.id = id } }

    static func request(_ label: String) -> Outer {
        Outer.with {
            $0.id = 1
            $0.name = "n"
            $0.choice = .label(label)
        }
    }

    static let missingItem = "cannot send fixtures.required.Outer: required field items[2].id (number 1) is not set"

    func expectRefused(_ error: any Error, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let rpc = error as? RPCError
        #expect(rpc?.code == .internal, "\(error)", sourceLocation: sourceLocation)
        #expect(rpc?.message == message, sourceLocation: sourceLocation)
    }

    @Test(arguments: TestTransport.allCases)
    func aRequestLackingARequiredFieldIsNotSent(_ transport: TestTransport) async throws {
        let echo = Echo()
        try await withChannel(transport, services: [echo]) { _, channel in
            var request = Self.request("complete")
            request.items = [Self.item(1), Self.item(2), Item()]
            await #expect(throws: RPCError.self) { try await channel.unary(Self.unary, request) }
            do {
                _ = try await channel.unary(Self.unary, request)
            } catch {
                expectRefused(error, Self.missingItem)
            }
            request.id = nil
            do {
                _ = try await channel.unary(Self.unary, request)
                Issue.record("a request without its id was sent")
            } catch {
                expectRefused(error, "cannot send fixtures.required.Outer: required field id (number 1) is not set")
            }
            // The channel still works, and the server never saw the refused requests.
            let complete = Self.request("complete")
            let answer = try await channel.unary(Self.unary, complete)
            #expect(answer.message == complete)
            #expect(echo.seen.withLockedValue { $0 } == 1)
        }
    }

    @Test(arguments: TestTransport.allCases, [false, true])
    func aUnaryResponseLackingARequiredFieldEndsTheCallWithInternal(_ transport: TestTransport, intercepted: Bool) async throws {
        // Without server interceptors the handler's response goes straight out (`finishUnary`);
        // with them it goes through the response writer.
        try await withChannel(transport, services: [Echo()], serverInterceptors: intercepted ? GRPCServer.defaultInterceptors : []) { _, channel in
            do {
                let response = try await channel.unary(Self.unary, Self.request("incomplete"))
                Issue.record("an incomplete response arrived: \(response.message)")
            } catch {
                expectRefused(error, Self.missingItem)
            }
        }
    }

    @Test(arguments: TestTransport.allCases)
    func aStreamedResponseLackingARequiredFieldEndsTheCallAfterThoseBeforeIt(_ transport: TestTransport) async throws {
        try await withChannel(transport, services: [Echo()]) { _, channel in
            let received = NIOLockedValueBox<[Outer]>([])
            do {
                try await channel.bidirectionalStreaming(Self.bidi) { writer in
                    try await writer.write(Self.request("first"))
                    try await writer.write(Self.request("incomplete"))
                    // The server may have ended the call by now; later writes may fail.
                    try? await writer.write(Self.request("after"))
                } responses: { responses in
                    for try await response in responses { received.withLockedValue { $0.append(response) } }
                }
                Issue.record("the call ended without an error")
            } catch {
                expectRefused(error, Self.missingItem)
            }
            #expect(received.withLockedValue { $0 } == [Self.request("first")])
        }
    }
}

import NIOConcurrencyHelpers
import NIOCore
import NIOHPACK
import NIOHTTP2
import ProtoWire

/// One call on a channel: opens a stream, writes requests concurrently with reading
/// responses, and enforces the deadline. Task cancellation and an early return from
/// the response handler reset the stream (RST_STREAM), which cancels the call on the server.
struct ClientCall: Sendable {
    let channel: GRPCChannel
    let path: String
    let options: CallOptions

    private enum Outcome<Result: Sendable>: Sendable {
        case requestsDone
        case finished(Result)
    }

    /// What one attempt got to, to tell whether the server can have seen the call.
    final class AttemptProgress: Sendable {
        private struct State {
            var headersWritten = false
            var received = false
            var refused = false
        }

        private let state = NIOLockedValueBox(State())

        func headersWritten() { state.withLockedValue { $0.headersWritten = true } }
        func received() { state.withLockedValue { $0.received = true } }
        func refused() { state.withLockedValue { $0.refused = true } }

        /// The server cannot have started the call: its headers never left us, or the server
        /// refused the stream (RST_STREAM REFUSED_STREAM, or above a GOAWAY's last stream id).
        /// Headers handed to the stream may still have died with it: a stream that the
        /// connection closed before it flushed the headers never got a stream id.
        func neverReachedServer(_ stream: StreamChannel, goAway: GoAwayRecord) async -> Bool {
            let (received, written, refused) = state.withLockedValue { ($0.received, $0.headersWritten, $0.refused) }
            if received { return false }
            if !written || refused { return true }
            guard let id = try? await stream.channel.getOption(HTTP2StreamChannelOptions.streamID).get() else { return true }
            // A GOAWAY promises that streams above its last stream id were not processed.
            if let last = goAway.lastStreamID, id > last { return true }
            return false
        }
    }

    func run<Request: ProtoMessage, Response: ProtoMessage, Result: Sendable>(
        requests: @escaping @Sendable (RequestWriter<Request>) async throws -> Void,
        responses: @escaping @Sendable (ResponseStream<Response>) async throws -> Result
    ) async throws -> Result {
        let deadline = options.effectiveDeadline
        if let deadline, deadline <= .now { throw RPCError(.deadlineExceeded, "deadline exceeded before the call started") }
        // Endpoints this call failed on before reaching a server; a balanced channel retries
        // such calls transparently on another endpoint.
        var tried = Set<Endpoint>()
        while true {
            let opened: (StreamChannel, GoAwayRecord, Endpoint?, @Sendable () -> Void)
            do {
                opened = try await channel.openStream(waitForReady: options.waitForReady, tried: &tried)
            } catch is CancellationError {
                throw RPCError(.cancelled, "the call was cancelled")
            }
            let (stream, goAway, endpoint, release) = opened
            // Only a balanced channel retries, so only it needs to know how far the attempt got.
            let progress = endpoint == nil ? nil : AttemptProgress()
            do {
                let result: Result = try await attempt(stream, progress: progress, deadline: deadline, requests: requests, responses: responses)
                release()
                return result
            } catch {
                release()
                if let endpoint, let progress, !Task.isCancelled, !(error is CancellationError), await progress.neverReachedServer(stream, goAway: goAway) {
                    if let deadline, deadline <= .now { throw RPCError(.deadlineExceeded, "deadline exceeded") }
                    tried.insert(endpoint)
                    continue
                }
                throw error
            }
        }
    }

    private func attempt<Request: ProtoMessage, Response: ProtoMessage, Result: Sendable>(
        _ stream: StreamChannel, progress: AttemptProgress?, deadline: ContinuousClock.Instant?,
        requests: @escaping @Sendable (RequestWriter<Request>) async throws -> Void,
        responses: @escaping @Sendable (ResponseStream<Response>) async throws -> Result
    ) async throws -> Result {
        let headers = requestHeaders(deadline: deadline)
        let maximumSize = channel.configuration.maximumReceiveMessageSize
        let compression = options.compression
        do {
            return try await stream.executeThenClose { inbound, outbound in
                let writer = RequestWriter<Request>(outbound: outbound, headers: headers, compression: compression, allocator: stream.channel.allocator)
                let reader = ResponseStream<Response>(inbound: UnsafeTransfer(inbound.makeAsyncIterator()), maximumMessageSize: maximumSize, progress: progress)
                return try await withThrowingTaskGroup(of: Outcome<Result>.self) { group in
                    group.addTask {
                        try await writer.start()
                        progress?.headersWritten()
                        try await requests(writer)
                        try await writer.finish()
                        return .requestsDone
                    }
                    group.addTask {
                        let result = try await responses(reader)
                        return .finished(result)
                    }
                    if let deadline {
                        group.addTask {
                            try await Task.sleep(until: deadline, clock: .continuous)
                            throw RPCError(.deadlineExceeded, "deadline exceeded")
                        }
                    }
                    while let outcome = try await group.next() {
                        if case .finished(let result) = outcome {
                            group.cancelAll()
                            return result
                        }
                    }
                    throw RPCError(.internal, "the call ended without a result")
                }
            }
        } catch let error as RPCError {
            throw error
        } catch is CancellationError {
            throw RPCError(.cancelled, "the call was cancelled")
        } catch {
            throw RPCError(.unavailable, "the call failed: \(error)")
        }
    }

    private func requestHeaders(deadline: ContinuousClock.Instant?) -> HPACKHeaders {
        var headers = HPACKHeaders()
        headers.add(name: ":method", value: "POST")
        headers.add(name: ":scheme", value: channel.scheme)
        headers.add(name: ":path", value: path)
        headers.add(name: ":authority", value: channel.authority)
        headers.add(name: "content-type", value: GRPCHeader.contentType)
        headers.add(name: "te", value: "trailers")
        headers.add(name: "user-agent", value: GRPCHeader.userAgent)
        if let deadline {
            let remaining = ContinuousClock.now.duration(to: deadline)
            let (s, a) = remaining.components
            headers.add(name: GRPCHeader.timeout, value: GRPCTimeout.format(nanoseconds: s * 1_000_000_000 + a / 1_000_000_000))
        }
        if let compression = options.compression, compression != .identity {
            headers.add(name: GRPCHeader.encoding, value: compression.name)
        }
        headers.add(name: GRPCHeader.acceptEncoding, value: "gzip,deflate,identity")
        options.metadata.write(to: &headers)
        return headers
    }
}

/// Writes a call's request messages. Returning from the `requests` closure half-closes the call.
public struct RequestWriter<Element: ProtoMessage>: Sendable {
    let outbound: NIOAsyncChannelOutboundWriter<HTTP2Frame.FramePayload>
    let headers: HPACKHeaders
    let allocator: ByteBufferAllocator
    private let compressor: UnsafeTransfer<MessageCompressor?>

    init(outbound: NIOAsyncChannelOutboundWriter<HTTP2Frame.FramePayload>, headers: HPACKHeaders, compression: CompressionAlgorithm?, allocator: ByteBufferAllocator) {
        self.outbound = outbound
        self.headers = headers
        self.allocator = allocator
        self.compressor = UnsafeTransfer(compression.flatMap { $0 == .identity ? nil : MessageCompressor(algorithm: $0) })
    }

    func start() async throws {
        try await outbound.write(.headers(.init(headers: headers)))
    }

    /// Sends one request message. With request compression on (`CallOptions.compression`),
    /// `compressed: false` sends this one message uncompressed.
    public func write(_ message: Element, compressed: Bool = true) async throws {
        let buffer = try MessageFramer.frame(message, compressor: &compressor.value, compress: compressed, allocator: allocator)
        try await outbound.write(.data(.init(data: .byteBuffer(buffer))))
    }

    func finish() async throws {
        try await outbound.write(.data(.init(data: .byteBuffer(ByteBuffer()), endStream: true)))
    }
}

/// The responses of a call, decoded as they arrive, with the response headers and trailers.
/// Iterating past the last message checks the status: a call that did not end `ok` throws `RPCError`.
public final class ResponseStream<Element: ProtoMessage>: AsyncSequence, Sendable {
    private struct State: @unchecked Sendable {
        var deframer: MessageDeframer
        var headers: Metadata?
        var trailers: Metadata?
        var ended = false
        var encodingChecked = false
        /// Whether `progress` has been told that the server answered (once is enough).
        var answerReported = false
    }

    private let inbound: UnsafeTransfer<NIOAsyncChannelInboundStream<HTTP2Frame.FramePayload>.AsyncIterator>
    private let state: UnsafeTransfer<State>
    private let progress: ClientCall.AttemptProgress?

    init(
        inbound: UnsafeTransfer<NIOAsyncChannelInboundStream<HTTP2Frame.FramePayload>.AsyncIterator>, maximumMessageSize: Int,
        progress: ClientCall.AttemptProgress? = nil
    ) {
        self.inbound = inbound
        self.state = UnsafeTransfer(State(deframer: MessageDeframer(maximumMessageSize: maximumMessageSize, encoding: nil)))
        self.progress = progress
    }

    /// The response headers, reading up to them if needed (empty for a trailers-only response).
    public func responseHeaders() async throws -> Metadata {
        while state.value.headers == nil, !state.value.ended {
            try await pump()
        }
        return state.value.headers ?? [:]
    }

    /// The trailers, once the stream has ended.
    public var trailers: Metadata { state.value.trailers ?? [:] }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let stream: ResponseStream

        public mutating func next() async throws -> Element? {
            try await stream.nextMessage()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(stream: self) }

    func nextMessage() async throws -> Element? {
        while true {
            if let payload = try state.value.deframer.next() {
                return try Element.decode(from: payload)
            }
            if state.value.ended { return nil }
            try await pump()
        }
    }

    /// Exactly one message, for unary and client-streaming calls.
    func single() async throws -> UnaryResponse<Element> {
        guard let message = try await nextMessage() else {
            throw RPCError(.internal, "the server sent no response message")
        }
        guard try await nextMessage() == nil else {
            throw RPCError(.internal, "the server sent more than one response message")
        }
        return UnaryResponse(message: message, headers: state.value.headers ?? [:], trailers: trailers)
    }

    /// Reads one frame and updates the state; throws the call's status when it ends in error.
    private func pump() async throws {
        let next: HTTP2Frame.FramePayload?
        do {
            next = try await inbound.value.next()
        } catch let error as NIOHTTP2Errors.StreamClosed where error.errorCode == .refusedStream {
            // Closed by a GOAWAY whose last stream id is below ours: the server never saw it.
            progress?.refused()
            state.value.ended = true
            throw RPCError(.unavailable, "the server refused the stream")
        }
        guard let frame = next else {
            state.value.ended = true
            throw RPCError(.unavailable, "the stream closed before the call's status arrived")
        }
        if let progress, !state.value.answerReported {
            switch frame {
            case .headers, .data:
                state.value.answerReported = true
                progress.received()
            default: break
            }
        }
        switch frame {
        case .headers(let block):
            if state.value.headers == nil && !block.endStream {
                try receiveHeaders(block.headers)
            } else {
                try receiveStatus(block.headers, trailersOnly: state.value.headers == nil)
            }
        case .data(let data):
            if case .byteBuffer(let bytes) = data.data { state.value.deframer.append(bytes) }
            if data.endStream {
                state.value.ended = true
                throw RPCError(.internal, "the server ended the stream without a status")
            }
        case .rstStream(let code):
            if code == .refusedStream, state.value.headers == nil { progress?.refused() }
            state.value.ended = true
            throw RPCError(code == .refusedStream ? .unavailable : .cancelled, "the server reset the stream (\(code))")
        default:
            break
        }
    }

    private func receiveHeaders(_ headers: HPACKHeaders) throws {
        try checkHTTPStatus(headers)
        if let name = headers.first(name: GRPCHeader.encoding), name != "identity" {
            guard let algorithm = CompressionAlgorithm(name: name) else {
                throw RPCError(.internal, "the server used an unknown message encoding: \(name)")
            }
            state.value.deframer = MessageDeframer(maximumMessageSize: state.value.deframer.maximumMessageSize, encoding: algorithm)
        }
        state.value.headers = Metadata(headers: headers)
    }

    private func receiveStatus(_ headers: HPACKHeaders, trailersOnly: Bool) throws {
        state.value.ended = true
        if trailersOnly {
            try checkHTTPStatus(headers)
            state.value.headers = [:]
        }
        let trailers = Metadata(headers: headers)
        state.value.trailers = trailers
        guard let statusText = headers.first(name: GRPCHeader.status), let raw = Int(statusText) else {
            throw RPCError(.internal, "the server sent no grpc-status", metadata: trailers)
        }
        guard raw != 0 else {
            guard state.value.deframer.isEmpty else { throw RPCError(.internal, "the stream ended inside a message") }
            return
        }
        let message = headers.first(name: GRPCHeader.message).map(PercentEncoding.decode) ?? ""
        throw RPCError(RPCError.Code(rawValue: raw), message, metadata: trailers)
    }

    /// Maps a non-200 HTTP status to a gRPC code, as the protocol's HTTP mapping says.
    private func checkHTTPStatus(_ headers: HPACKHeaders) throws {
        let status = headers.first(name: ":status") ?? ""
        guard status != "200" else {
            if let type = headers.first(name: "content-type"), !GRPCHeader.isGRPCContentType(type) {
                throw RPCError(.unknown, "the response is not gRPC (content-type \(type))")
            }
            return
        }
        let code: RPCError.Code
        switch status {
        case "400": code = .internal
        case "401": code = .unauthenticated
        case "403": code = .permissionDenied
        case "404": code = .unimplemented
        case "429", "502", "503", "504": code = .unavailable
        default: code = .unknown
        }
        throw RPCError(code, "HTTP status \(status)")
    }
}

import Logging
import NIOCore
import NIOHPACK
import NIOHTTP2

/// Runs one HTTP/2 stream as one gRPC call: checks the request headers, routes to the
/// method, feeds it the request messages, enforces the deadline, and makes sure the
/// call ends with exactly one status.
struct ServerStream {
    let channel: NIOAsyncChannel<HTTP2Frame.FramePayload, HTTP2Frame.FramePayload>
    let router: Router
    let configuration: GRPCServer.Configuration
    let logger: Logger
    let peer: String

    private enum Outcome: Sendable { case streamClosed, handlerDone, deadlinePassed }

    func run() async {
        let clock = ContinuousClock()
        let started = clock.now
        do {
            try await channel.executeThenClose { inbound, outbound in
                let frames = UnsafeTransfer(inbound.makeAsyncIterator())
                guard let first = try await frames.value.next(), case .headers(let request) = first else { return }
                try await serve(request, frames: frames, outbound: outbound, started: started)
                // Closing now would reset the stream and drop responses still waiting for flow
                // control. The stream closes by itself once the status is sent and the client has
                // finished; a client that never finishes gets a reset after a grace period.
                let stream = channel.channel
                let reset = stream.eventLoop.scheduleTask(in: .seconds(10)) { stream.close(promise: nil) }
                try? await stream.closeFuture.get()
                reset.cancel()
            }
        } catch {
            logger.debug("stream closed: \(error)")
        }
    }

    private func respond(_ outbound: NIOAsyncChannelOutboundWriter<HTTP2Frame.FramePayload>, httpStatus: String) async throws {
        var headers = HPACKHeaders()
        headers.add(name: ":status", value: httpStatus)
        try await outbound.write(.headers(.init(headers: headers, endStream: true)))
    }

    private func serve(
        _ request: HTTP2Frame.FramePayload.Headers,
        frames: UnsafeTransfer<NIOAsyncChannelInboundStream<HTTP2Frame.FramePayload>.AsyncIterator>,
        outbound: NIOAsyncChannelOutboundWriter<HTTP2Frame.FramePayload>,
        started: ContinuousClock.Instant
    ) async throws {
        let headers = request.headers
        guard headers.first(name: ":method") == "POST" else {
            return try await respond(outbound, httpStatus: "405")
        }
        guard let contentType = headers.first(name: "content-type"), GRPCHeader.isGRPCContentType(contentType) else {
            return try await respond(outbound, httpStatus: "415")
        }
        let path = headers.first(name: ":path") ?? ""
        let deadline = headers.first(name: GRPCHeader.timeout).flatMap(GRPCTimeout.parse).map {
            ContinuousClock.now.advanced(by: .nanoseconds($0))
        }
        let accepted = (headers.first(name: GRPCHeader.acceptEncoding) ?? "")
            .split(separator: ",").compactMap { CompressionAlgorithm(name: String($0.trimmingSpaces())) }
        let context = ServerContext(
            path: path, requestMetadata: Metadata(headers: headers), deadline: deadline, peer: peer, acceptedEncodings: accepted
        )
        let sink = ResponseSink(outbound: outbound, context: context, allocator: channel.channel.allocator)
        let instruments = router.instruments(for: path)
        var logger = logger
        // The call's log lines carry its method and peer. With the access log (info) off, the
        // metadata is not built at all: it is most of the cost of logging on a fast call.
        let accessLog = logger.logLevel <= .info
        if accessLog {
            logger[metadataKey: "grpc.method"] = "\(path)"
            logger[metadataKey: "grpc.peer"] = "\(peer)"
        }
        let callLogger = logger
        defer {
            let code = sink.endStatus.withLockedValue { $0 } ?? .cancelled
            let duration = ContinuousClock.now - started
            instruments.record(code: code, duration: duration)
            if accessLog {
                let milliseconds = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
                var fields: Logger.Metadata = [
                    "grpc.status": "\(code)", "grpc.duration_ms": "\((milliseconds * 1000).rounded() / 1000)",
                ]
                for (key, value) in context.response.withLockedValue({ $0.logMetadata }) { fields[key] = "\(value)" }
                callLogger.info("rpc finished", metadata: fields)
            }
        }
        callLogger.debug("rpc started")

        guard let method = router.method(for: path) else {
            try await sink.finish(status: RPCError(.unimplemented, "method not found: \(path)"))
            return
        }
        var requestEncoding: CompressionAlgorithm?
        if let name = headers.first(name: GRPCHeader.encoding), name != "identity" {
            guard let algorithm = CompressionAlgorithm(name: name), configuration.compression.contains(algorithm) else {
                var status = RPCError(.unimplemented, "message encoding \(name) is not supported")
                status.metadata.add(GRPCHeader.acceptEncoding, configuration.acceptEncodingHeader)
                try await sink.finish(status: status)
                return
            }
            requestEncoding = algorithm
        }
        let encoding = requestEncoding
        if let deadline, deadline <= ContinuousClock.now {
            try await sink.finish(status: RPCError(.deadlineExceeded, "deadline exceeded before the call started"))
            return
        }

        let (requests, requestSource) = AsyncThrowingStream<RequestPayload, any Error>.makeStream()
        let call = ServerCall(context: context, requests: requests, sink: sink)
        let maximumSize = configuration.maximumReceiveMessageSize
        let requestEndedInHeaders = request.endStream

        // A method that takes one request (unary, server streaming) gets it read here, before
        // the handler starts: the handler then finds it buffered instead of waiting on the reader
        // task, a task switch less per call. Streaming methods read as frames arrive.
        var requestsOpen = !requestEndedInHeaders
        if !requestsOpen { requestSource.finish() }
        var deframer = MessageDeframer(maximumMessageSize: maximumSize, encoding: encoding)
        if method.kind == .unary || method.kind == .serverStreaming {
            do {
                while requestsOpen, let frame = try await frames.value.next() {
                    try Self.deliver(frame, deframer: &deframer, requestsOpen: &requestsOpen, to: requestSource)
                }
            } catch let error as RPCError {
                requestSource.finish(throwing: error)
                try await sink.finish(status: error)
                return
            } catch {
                // Reset by the client before the request ended.
                requestSource.finish(throwing: CancellationError())
                sink.markCancelled()
                return
            }
        }
        let readerState = UnsafeTransfer((deframer, requestsOpen))

        try await withThrowingTaskGroup(of: Outcome.self) { group in
            // Requests: deframed as DATA frames arrive. After the last one the stream is still
            // watched: a reset from the client (RST_STREAM) ends the call and cancels the handler.
            group.addTask {
                var (deframer, requestsOpen) = readerState.value
                do {
                    while let frame = try await frames.value.next() {
                        guard requestsOpen else { continue }
                        try Self.deliver(frame, deframer: &deframer, requestsOpen: &requestsOpen, to: requestSource)
                    }
                } catch let error as RPCError {
                    requestSource.finish(throwing: error)
                    try await sink.finish(status: error)
                    throw error
                } catch {
                    // Reset by the client, or cancelled because the call is over.
                }
                requestSource.finish(throwing: CancellationError())
                return .streamClosed
            }
            // The service method.
            group.addTask {
                do {
                    try await method.run(call)
                } catch let error as RPCError {
                    try await sink.finish(status: error)
                } catch is CancellationError {
                    try await sink.finish(status: RPCError(.cancelled, "the call was cancelled"))
                } catch {
                    // Details of other errors stay on the server.
                    callLogger.warning("handler failed: \(error)", metadata: accessLog ? nil : ["grpc.method": "\(path)", "grpc.peer": "\(peer)"])
                    try await sink.finish(status: RPCError(.unknown, "unknown error"))
                }
                return .handlerDone
            }
            if let deadline {
                group.addTask {
                    try await Task.sleep(until: deadline, clock: .continuous)
                    return .deadlinePassed
                }
            }
            while let outcome = try await group.next() {
                switch outcome {
                case .streamClosed:
                    // The stream ended before the handler did: the client went away.
                    if !sink.isFinished {
                        sink.markCancelled()
                        group.cancelAll()
                        return
                    }
                case .handlerDone:
                    group.cancelAll()
                    return
                case .deadlinePassed:
                    try await sink.finish(status: RPCError(.deadlineExceeded, "deadline exceeded"))
                    group.cancelAll()
                    return
                }
            }
        }
    }
    /// Feeds one inbound frame to the request stream: DATA is deframed into messages, the end
    /// of the stream (on DATA or trailers) finishes it.
    private static func deliver(
        _ frame: HTTP2Frame.FramePayload, deframer: inout MessageDeframer, requestsOpen: inout Bool,
        to requestSource: AsyncThrowingStream<RequestPayload, any Error>.Continuation
    ) throws {
        guard case .data(let data) = frame, case .byteBuffer(let bytes) = data.data else {
            if case .headers(let trailers) = frame, trailers.endStream {
                requestsOpen = false
                requestSource.finish()
            }
            return
        }
        deframer.append(bytes)
        while let (payload, compressed) = try deframer.nextWithFlag() {
            requestSource.yield(RequestPayload(bytes: payload, compressed: compressed))
        }
        if data.endStream {
            guard deframer.isEmpty else { throw RPCError(.internal, "request ended inside a message") }
            requestsOpen = false
            requestSource.finish()
        }
    }
}

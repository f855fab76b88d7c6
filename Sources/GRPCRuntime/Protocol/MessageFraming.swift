import NIOCore
import ProtoWire

/// Writes gRPC length-prefixed messages: a compressed flag byte, a 4-byte big-endian
/// length, then the message, encoded straight into one exactly sized buffer.
enum MessageFramer {
    static func frame<M: ProtoMessage>(
        _ message: M, compressor: inout MessageCompressor?, compress: Bool = true, allocator: ByteBufferAllocator
    ) throws(RPCError) -> ByteBuffer {
        let size = message.encodedSize()
        if compressor == nil || !compress {
            var buffer = allocator.buffer(capacity: 5 + size)
            buffer.writeInteger(UInt8(0))
            buffer.writeInteger(UInt32(size))
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { raw in
                if size > 0 { _ = message.encode(at: raw.baseAddress!) }
                return size
            }
            return buffer
        }
        // Whether the message may be sent (its required fields) was decided before it got here.
        var plain = [UInt8](repeating: 0, count: size)
        if size > 0 { plain.withUnsafeMutableBytes { _ = message.encode(at: $0.baseAddress!) } }
        var buffer = allocator.buffer(capacity: 5 + size / 2 + 64)
        buffer.writeInteger(UInt8(1))
        buffer.writeInteger(UInt32(0))  // length, patched below
        var failure: CompressionError?
        plain.withUnsafeBytes { raw in
            do throws(CompressionError) { try compressor!.compress(raw, into: &buffer) } catch { failure = error }
        }
        if let failure { throw RPCError(.internal, "compression failed: \(failure)") }
        buffer.setInteger(UInt32(buffer.readableBytes - 5), at: buffer.readerIndex + 1)
        return buffer
    }
}

/// Reads gRPC length-prefixed messages out of DATA frames, which may split or join them.
struct MessageDeframer {
    private var buffer = ByteBuffer()
    let maximumMessageSize: Int
    private var decompressor: MessageCompressor?

    init(maximumMessageSize: Int, encoding: CompressionAlgorithm?) {
        self.maximumMessageSize = maximumMessageSize
        if let encoding, encoding != .identity { decompressor = MessageCompressor(algorithm: encoding) }
    }

    mutating func append(_ data: ByteBuffer) {
        if buffer.readableBytes == 0 {
            buffer = data
        } else {
            var data = data
            buffer.writeBuffer(&data)
        }
    }

    /// True when no partial message is waiting.
    var isEmpty: Bool { buffer.readableBytes == 0 }

    /// The next whole message's bytes, or nil until more data arrives.
    mutating func next() throws(RPCError) -> ByteBuffer? {
        try nextWithFlag()?.0
    }

    /// The next whole message's bytes and whether it arrived compressed.
    mutating func nextWithFlag() throws(RPCError) -> (ByteBuffer, Bool)? {
        guard buffer.readableBytes >= 5,
              let flag = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self),
              let length = buffer.getInteger(at: buffer.readerIndex + 1, as: UInt32.self)
        else { return nil }
        guard Int(length) <= maximumMessageSize else {
            throw RPCError(.resourceExhausted, "message of \(length) bytes exceeds the maximum of \(maximumMessageSize)")
        }
        guard buffer.readableBytes >= 5 + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 5)
        let payload = buffer.readSlice(length: Int(length))!
        if buffer.readableBytes == 0 { buffer.clear() }
        switch flag {
        case 0:
            return (payload, false)
        case 1:
            guard decompressor != nil else {
                throw RPCError(.internal, "compressed message without a grpc-encoding")
            }
            var out = ByteBuffer()
            var failure: CompressionError?
            let limit = maximumMessageSize
            payload.withUnsafeReadableBytes { raw in
                do throws(CompressionError) {
                    try decompressor!.decompress(raw, into: &out, limit: limit)
                } catch {
                    failure = error
                }
            }
            if let failure {
                if failure.code == .limitExceeded {
                    throw RPCError(.resourceExhausted, "decompressed message exceeds the maximum of \(limit) bytes")
                }
                throw RPCError(.internal, "cannot decompress message: \(failure)")
            }
            return (out, true)
        default:
            throw RPCError(.internal, "invalid compressed flag \(flag)")
        }
    }
}

extension ProtoMessage {
    /// Refuses to send a message that lacks a required field (proto2's `required`, here or in a
    /// message below): the status names the field's path, `cannot send fixtures.Outer: required
    /// field items[2].id (number 1) is not set`. Costs nothing for a type that cannot hold one.
    func checkSendable() throws(RPCError) {
        do {
            try checkInitialized()
        } catch {
            throw RPCError(.internal, "cannot send \(Self.protoMessageName): \(error.missing)")
        }
    }

    /// Decodes a message from a gRPC payload, as the status the peer should see if it is malformed.
    static func decode(from payload: ByteBuffer) throws(RPCError) -> Self {
        let result: Result<Self, WireDecodingError> = payload.withUnsafeReadableBytes { raw in
            Result { () throws(WireDecodingError) in try Self(unsafeBytes: raw) }
        }
        switch result {
        case .success(let message): return message
        case .failure(let error): throw RPCError(.internal, "cannot decode \(Self.protoMessageName): \(error)")
        }
    }
}

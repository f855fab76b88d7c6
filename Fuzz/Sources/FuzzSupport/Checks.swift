import ProtoWire

/// Ends the run with `message` on standard error: libFuzzer sees the trap, saves the input
/// that caused it and prints it, so the check names what broke.
public func fuzzFailure(_ message: @autoclosure () -> String) -> Never {
    fatalError(message())
}

/// Decodes `bytes` as an `M` and checks what every decoded message owes its user: it encodes
/// to exactly `encodedSize()` bytes, those bytes decode again and encode to themselves (an
/// encoding is canonical after one round), and it can be hashed and described. Returns the
/// message, or nil when the bytes are rejected (with an error that can be described).
@inline(never)
@discardableResult
public func decodeAndCheck<M: ProtoMessage>(_ type: M.Type, _ bytes: UnsafeRawBufferPointer) -> M? {
    let message: M
    do {
        message = try M(unsafeBytes: bytes)
    } catch {
        guard error.offset >= 0, error.offset <= bytes.count else {
            fuzzFailure("\(M.protoMessageName): error offset \(error.offset) outside the \(bytes.count)-byte input")
        }
        _ = error.description
        return nil
    }
    // A decoded message holds every required field (decoding checks them), so it must encode.
    let encoded: [UInt8]
    do {
        encoded = try message.serializedBytes()
    } catch {
        fuzzFailure("\(M.protoMessageName): a decoded message does not encode: \(error)")
    }
    guard encoded.count == message.encodedSize() else {
        fuzzFailure("\(M.protoMessageName): encodedSize \(message.encodedSize()) but \(encoded.count) bytes written")
    }
    let again: M
    do {
        again = try M(serializedBytes: encoded)
    } catch {
        fuzzFailure("\(M.protoMessageName): its own encoding does not decode: \(error)")
    }
    guard (try? again.serializedBytes()) == encoded else {
        fuzzFailure("\(M.protoMessageName): re-encoding a decoded encoding changed its bytes")
    }
    _ = message.hashValue
    _ = message.debugDescription
    return message
}

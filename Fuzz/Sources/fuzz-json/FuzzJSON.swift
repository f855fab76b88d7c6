// The fuzz target: JSON decoding of the fixtures' messages.
import FuzzFixtures
import FuzzSupport
import ProtoWire

/// Input: one byte choosing the message type, then JSON text.
func fuzzJSON(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let (type, bytes) = selectFixtureType(UnsafeRawBufferPointer(start: start, count: count)) else { return 0 }
    checkJSON(type, bytes)
    return 0
}

/// Whatever decodes prints as JSON that decodes to the same message (compared by its binary
/// encoding, which also holds for NaN), and passes the binary checks; a rejection names a
/// position inside the input.
private func checkJSON<M: ProtoMessage>(_ type: M.Type, _ bytes: UnsafeRawBufferPointer) {
    let message: M
    do {
        message = try M(jsonUTF8Bytes: bytes)
    } catch {
        guard error.offset >= 0, error.offset <= bytes.count else {
            fuzzFailure("\(M.protoMessageName): JSON error offset \(error.offset) outside the \(bytes.count)-byte input")
        }
        _ = error.description
        return
    }
    // Compared as partial encodings, so that this check does not depend on whether the reader
    // refused a message lacking a required field.
    guard let binary = try? message.serializedBytes(partial: true) else {
        fuzzFailure("\(M.protoMessageName): a partial encoding failed")
    }
    binary.withUnsafeBytes { _ = decodeAndCheck(M.self, $0) }
    let printed: [UInt8]
    do {
        printed = try message.jsonUTF8Bytes()
    } catch {
        fuzzFailure("\(M.protoMessageName): a message read from JSON cannot be written as JSON: \(error)")
    }
    do {
        let again = try M(jsonUTF8Bytes: printed)
        guard (try? again.serializedBytes(partial: true)) == binary else {
            fuzzFailure("\(M.protoMessageName): its JSON reads back as a different message: \(String(decoding: printed, as: UTF8.self))")
        }
    } catch {
        fuzzFailure("\(M.protoMessageName): its own JSON does not decode: \(error): \(String(decoding: printed, as: UTF8.self))")
    }
}

// The fuzz target: text-format parsing of the fixtures' messages.
import FuzzFixtures
import FuzzSupport
import ProtoWire

/// Input: one byte choosing the message type, then text format.
func fuzzText(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let (type, bytes) = selectFixtureType(UnsafeRawBufferPointer(start: start, count: count)) else { return 0 }
    checkText(type, String(decoding: bytes, as: UTF8.self))
    return 0
}

/// Whatever parses prints as text that parses to the same message (compared by its binary
/// encoding), and passes the binary checks; a rejection names a line and column inside the input.
private func checkText<M: ProtoMessage>(_ type: M.Type, _ text: String) {
    let message: M
    do {
        message = try M(textFormatString: text)
    } catch {
        guard error.offset >= 0, error.offset <= text.utf8.count, error.line >= 1, error.column >= 1 else {
            fuzzFailure("\(M.protoMessageName): text error at offset \(error.offset), line \(error.line), column \(error.column), outside the \(text.utf8.count)-byte input")
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
    let printed = message.textFormatString()
    do {
        let again = try M(textFormatString: printed)
        guard (try? again.serializedBytes(partial: true)) == binary else {
            fuzzFailure("\(M.protoMessageName): its text reads back as a different message: \(printed)")
        }
    } catch {
        fuzzFailure("\(M.protoMessageName): its own text does not parse: \(error): \(printed)")
    }
}

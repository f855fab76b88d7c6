// The fuzz target: binary decoding of the fixtures' messages.
import FuzzFixtures
import FuzzSupport
import ProtoWire

/// Input: one byte choosing the message type, then the message's bytes.
func fuzzWire(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let (type, bytes) = selectFixtureType(UnsafeRawBufferPointer(start: start, count: count)) else { return 0 }
    decodeAndCheck(type, bytes)
    return 0
}

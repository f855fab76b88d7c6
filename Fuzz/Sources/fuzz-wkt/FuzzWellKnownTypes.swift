// The fuzz target: binary decoding of the well-known types, and their helpers on
// whatever decodes (conversions, validation, normalization, unpacking).
import FuzzSupport
import ProtoWire

/// Input: one byte choosing the type, then the message's bytes.
func fuzzWellKnownTypes(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: start, count: count)
    guard let selector = input.first else { return 0 }
    checks[Int(selector) % checks.count](UnsafeRawBufferPointer(rebasing: input.dropFirst()))
    return 0
}

private let checks: [@Sendable (UnsafeRawBufferPointer) -> Void] = [
    { bytes in
        guard let any = decodeAndCheck(Google_Protobuf_Any.self, bytes) else { return }
        _ = any.typeName
        // Whatever the URL says, unpacking as each type either works or throws.
        _ = try? any.unpack(Google_Protobuf_Struct.self)
        _ = try? any.unpack(Google_Protobuf_Timestamp.self)
        if let inner = try? any.unpack(Google_Protobuf_Any.self) { _ = inner.typeName }
    },
    { bytes in
        guard let duration = decodeAndCheck(Google_Protobuf_Duration.self, bytes) else { return }
        _ = duration.swiftDuration
        _ = duration.timeInterval
        if let normalized = try? duration.normalized(), !normalized.timeInterval.isFinite {
            fuzzFailure("normalized Duration is not finite")
        }
        // A valid duration survives Swift.Duration exactly.
        if duration.isValid {
            guard let back = try? Google_Protobuf_Duration(duration.swiftDuration),
                  back.seconds == duration.seconds, back.nanos == duration.nanos
            else { fuzzFailure("Duration \(duration.seconds) s \(duration.nanos) ns changed through Swift.Duration") }
        }
        _ = try? Google_Protobuf_Duration(timeInterval: duration.timeInterval)
    },
    { bytes in
        guard let timestamp = decodeAndCheck(Google_Protobuf_Timestamp.self, bytes) else { return }
        _ = timestamp.isValid
        _ = try? timestamp.normalized()
        _ = try? Google_Protobuf_Timestamp(date: timestamp.date)
        _ = try? Google_Protobuf_Timestamp(timeIntervalSince1970: timestamp.timeIntervalSince1970)
    },
    { bytes in
        guard let object = decodeAndCheck(Google_Protobuf_Struct.self, bytes) else { return }
        for key in object.fields.keys where object[key] == nil { fuzzFailure("a Struct key without its value") }
    },
    { decodeAndCheck(Google_Protobuf_Value.self, $0) },
    { decodeAndCheck(Google_Protobuf_ListValue.self, $0) },
    { bytes in
        guard let mask = decodeAndCheck(Google_Protobuf_FieldMask.self, bytes) else { return }
        for path in mask.paths where !mask.contains(path: path) { fuzzFailure("a FieldMask without its own path") }
    },
    { decodeAndCheck(Google_Protobuf_Empty.self, $0) },
    { decodeAndCheck(Google_Protobuf_Type.self, $0) },
    { decodeAndCheck(Google_Protobuf_Enum.self, $0) },
    { decodeAndCheck(Google_Protobuf_Api.self, $0) },
    { decodeAndCheck(Google_Protobuf_SourceContext.self, $0) },
    { decodeAndCheck(Google_Protobuf_DoubleValue.self, $0) },
    { decodeAndCheck(Google_Protobuf_FloatValue.self, $0) },
    { decodeAndCheck(Google_Protobuf_Int64Value.self, $0) },
    { decodeAndCheck(Google_Protobuf_UInt64Value.self, $0) },
    { decodeAndCheck(Google_Protobuf_Int32Value.self, $0) },
    { decodeAndCheck(Google_Protobuf_UInt32Value.self, $0) },
    { decodeAndCheck(Google_Protobuf_BoolValue.self, $0) },
    { decodeAndCheck(Google_Protobuf_StringValue.self, $0) },
    { decodeAndCheck(Google_Protobuf_BytesValue.self, $0) },
]

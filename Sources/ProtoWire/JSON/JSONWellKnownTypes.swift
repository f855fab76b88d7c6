// The well-known types whose JSON form is not an object of their fields: Timestamp and Duration
// as strings, FieldMask as a string of lowerCamelCase paths, Struct/Value/ListValue as any JSON,
// the wrappers as their bare value, and Any as its message's object plus "@type".

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `value` as `U`, which is its own type: the callers have checked, through the schema's
/// identity (`WellKnownType(M.self)`), that the generic type is this concrete one.
@inline(__always)
func sameType<T, U>(_ value: T, as _: U.Type) -> U {
    unsafeBitCast(value, to: U.self)
}

// MARK: Writing

extension ProtoJSONEncoder {
    mutating func writeWellKnown<M: ProtoMessage>(_ kind: WellKnownType, _ message: M) throws(JSONEncodingError) {
        switch kind {
        case .timestamp:
            let t = sameType(message, as: Google_Protobuf_Timestamp.self)
            out.append(UInt8(ascii: "\""))
            guard TimeText.appendTimestamp(seconds: t.seconds, nanos: t.nanos, to: &out) else {
                throw JSONEncodingError(.invalidTimestamp, message: "timestamp (seconds: \(t.seconds), nanos: \(t.nanos)) is outside 0001-01-01 to 9999-12-31")
            }
            out.append(UInt8(ascii: "\""))
        case .duration:
            let d = sameType(message, as: Google_Protobuf_Duration.self)
            out.append(UInt8(ascii: "\""))
            guard TimeText.appendDuration(seconds: d.seconds, nanos: d.nanos, to: &out) else {
                throw JSONEncodingError(.invalidDuration, message: "duration (seconds: \(d.seconds), nanos: \(d.nanos)) is out of range")
            }
            out.append(UInt8(ascii: "\""))
        case .fieldMask:
            try writeFieldMask(sameType(message, as: Google_Protobuf_FieldMask.self))
        case .struct:
            try writeStruct(sameType(message, as: Google_Protobuf_Struct.self))
        case .value:
            try writeValue(sameType(message, as: Google_Protobuf_Value.self))
        case .listValue:
            try writeList(sameType(message, as: Google_Protobuf_ListValue.self))
        case .any:
            try writeAny(sameType(message, as: Google_Protobuf_Any.self))
        case .doubleValue: writeDouble(sameType(message, as: Google_Protobuf_DoubleValue.self).value)
        case .floatValue: writeFloat(sameType(message, as: Google_Protobuf_FloatValue.self).value)
        case .int64Value: writeQuotedInt(sameType(message, as: Google_Protobuf_Int64Value.self).value)
        case .uint64Value: writeQuotedUInt(sameType(message, as: Google_Protobuf_UInt64Value.self).value)
        case .int32Value: writeInt(Int64(sameType(message, as: Google_Protobuf_Int32Value.self).value))
        case .uint32Value: writeUInt(UInt64(sameType(message, as: Google_Protobuf_UInt32Value.self).value))
        case .boolValue: writeBool(sameType(message, as: Google_Protobuf_BoolValue.self).value)
        case .stringValue: writeString(sameType(message, as: Google_Protobuf_StringValue.self).value)
        case .bytesValue: sameType(message, as: Google_Protobuf_BytesValue.self).value.withUnsafeBytes { writeBytes($0) }
        }
    }

    /// Paths joined by commas, each in lowerCamelCase. A path that would not read back the same
    /// (an uppercase letter, `_` not followed by a lowercase letter) is refused.
    private mutating func writeFieldMask(_ mask: Google_Protobuf_FieldMask) throws(JSONEncodingError) {
        out.append(UInt8(ascii: "\""))
        for (i, path) in mask.paths.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            guard let camel = FieldMaskPath.lowerCamel(path) else {
                throw JSONEncodingError(.invalidFieldMask, message: "field mask path \(String(reflecting: path)) cannot be written in lowerCamelCase and read back")
            }
            out.append(camel)
        }
        out.append(UInt8(ascii: "\""))
    }

    private mutating func writeStruct(_ s: Google_Protobuf_Struct) throws(JSONEncodingError) {
        out.append(UInt8(ascii: "{"))
        var first = true
        for key in s.fields.keys.sorted(by: String.mapKeyPrecedes) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            writeString(key)
            out.append(UInt8(ascii: ":"))
            do {
                try writeValue(s.fields[key]!)
            } catch {
                throw error.inside(.member(key))
            }
        }
        out.append(UInt8(ascii: "}"))
    }

    private mutating func writeList(_ list: Google_Protobuf_ListValue) throws(JSONEncodingError) {
        out.append(UInt8(ascii: "["))
        for (i, v) in list.values.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            do {
                try writeValue(v)
            } catch {
                throw error.inside(.index(i))
            }
        }
        out.append(UInt8(ascii: "]"))
    }

    private mutating func writeValue(_ value: Google_Protobuf_Value) throws(JSONEncodingError) {
        guard depth < ProtoJSONEncoder.depthLimit else {
            throw JSONEncodingError(.recursionLimitExceeded, message: "values nested more than \(ProtoJSONEncoder.depthLimit) deep")
        }
        depth += 1
        defer { depth -= 1 }
        switch value.kind {
        case .nullValue?: out.append("null")
        case .numberValue(let d)?:
            guard d.isFinite else {
                throw JSONEncodingError(.invalidValue, message: "a Value holding \(d) cannot be written as JSON")
            }
            writeDouble(d)
        case .stringValue(let s)?: writeString(s)
        case .boolValue(let b)?: writeBool(b)
        case .structValue(let s)?: try writeStruct(s)
        case .listValue(let l)?: try writeList(l)
        case nil:
            throw JSONEncodingError(.invalidValue, message: "a Value with no kind set cannot be written as JSON")
        }
    }

    /// `{"@type": url, fields…}`, or `{"@type": url, "value": …}` when the packed type has a
    /// JSON form of its own.
    private mutating func writeAny(_ any: Google_Protobuf_Any) throws(JSONEncodingError) {
        if any.typeUrl.isEmpty {
            guard any.value.isEmpty else {
                throw JSONEncodingError(.invalidAny, message: "Any has a value but no type URL")
            }
            out.append("{}")
            return
        }
        guard let type = options.typeRegistry.messageType(forTypeURL: any.typeUrl) else {
            throw JSONEncodingError(
                .invalidAny, message: "Any holds \(String(reflecting: any.typeUrl)), a type that is not registered (TypeRegistry)")
        }
        try writeAnyPayload(type, any)
    }

    private mutating func writeAnyPayload<P: ProtoMessage>(_: P.Type, _ any: Google_Protobuf_Any) throws(JSONEncodingError) {
        let payload: P
        do {
            payload = try P(serializedData: any.value)
        } catch {
            throw JSONEncodingError(.invalidAny, message: "Any's value does not decode as \(P.protoMessageName): \(error)")
        }
        let schema = P.messageSchema
        out.append("{\"@type\":")
        writeString(any.typeUrl)
        if schema.wellKnown != nil {
            out.append(",\"value\":")
            try writeMessage(payload)
        } else {
            guard !schema.isOpaque else {
                throw JSONEncodingError(.unsupportedMessage, message: "\(schema.messageName) was generated without a field table; regenerate it to write JSON")
            }
            try writeFields(of: payload, schema: schema, afterMember: true)
        }
        out.append(UInt8(ascii: "}"))
    }
}

/// FieldMask paths between `.proto` names (`user.display_name`) and JSON (`user.displayName`).
enum FieldMaskPath {
    /// The lowerCamelCase form, or nil when it would not convert back to `path`.
    static func lowerCamel(_ path: String) -> String? {
        var out: [UInt8] = []
        var afterUnderscore = false
        for b in path.utf8 {
            if b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") { return nil }
            if b == UInt8(ascii: "_") {
                if afterUnderscore { return nil }
                afterUnderscore = true
                continue
            }
            if afterUnderscore {
                guard b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z") else { return nil }
                out.append(b - 32)
                afterUnderscore = false
            } else {
                out.append(b)
            }
        }
        if afterUnderscore { return nil }
        return String(decoding: out, as: UTF8.self)
    }

    /// The `.proto` form of a lowerCamelCase path: each uppercase letter becomes `_` and its
    /// lowercase. Nil when the path holds an `_` (JSON paths are lowerCamelCase).
    static func snakeCase(_ path: UnsafeRawBufferPointer) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(path.count + 4)
        for b in path {
            if b == UInt8(ascii: "_") { return nil }
            if b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") {
                out.append(UInt8(ascii: "_"))
                out.append(b + 32)
            } else {
                out.append(b)
            }
        }
        return String(validating: out, as: UTF8.self)
    }
}

// MARK: Reading

extension ProtoJSONDecoder {
    mutating func readWellKnown<M: ProtoMessage>(_ kind: WellKnownType, _ message: inout M) throws(JSONDecodingError) {
        switch kind {
        case .timestamp:
            let t = try readTimeText("a timestamp string") { bytes in
                TimeText.parseTimestamp(bytes).map { Google_Protobuf_Timestamp(seconds: $0.seconds, nanos: $0.nanos) }
            }
            guard let t else {
                throw JSONDecodingError(.invalidTimestamp, message: "not an RFC 3339 timestamp between 0001 and 9999 (\"1972-01-01T10:00:20.021Z\")", offset: scanner.offset)
            }
            message = sameType(t, as: M.self)
        case .duration:
            let d = try readTimeText("a duration string") { bytes in
                TimeText.parseDuration(bytes).map { Google_Protobuf_Duration(seconds: $0.seconds, nanos: $0.nanos) }
            }
            guard let d else {
                throw JSONDecodingError(.invalidDuration, message: "not a duration within ±315576000000s (\"1.5s\")", offset: scanner.offset)
            }
            message = sameType(d, as: M.self)
        case .fieldMask:
            message = sameType(try readFieldMask(), as: M.self)
        case .struct:
            message = sameType(try readStruct(), as: M.self)
        case .value:
            message = sameType(try readValue(), as: M.self)
        case .listValue:
            message = sameType(try readList(), as: M.self)
        case .any:
            message = sameType(try readAny(), as: M.self)
        case .doubleValue: message = sameType(Google_Protobuf_DoubleValue(value: try readDouble()), as: M.self)
        case .floatValue: message = sameType(Google_Protobuf_FloatValue(value: try readFloat()), as: M.self)
        case .int64Value: message = sameType(Google_Protobuf_Int64Value(value: try readInt64()), as: M.self)
        case .uint64Value: message = sameType(Google_Protobuf_UInt64Value(value: try readUInt64()), as: M.self)
        case .int32Value: message = sameType(Google_Protobuf_Int32Value(value: try readInt32()), as: M.self)
        case .uint32Value: message = sameType(Google_Protobuf_UInt32Value(value: try readUInt32()), as: M.self)
        case .boolValue: message = sameType(Google_Protobuf_BoolValue(value: try readBool()), as: M.self)
        case .stringValue: message = sameType(Google_Protobuf_StringValue(value: try readString()), as: M.self)
        case .bytesValue: message = sameType(Google_Protobuf_BytesValue(value: try readBytes()), as: M.self)
        }
    }

    /// Reads a string and parses it with `parse`; nil from `parse` leaves the cursor at the
    /// string's start, for the caller's error.
    private mutating func readTimeText<T>(
        _ what: String, _ parse: (UnsafeRawBufferPointer) -> T?
    ) throws(JSONDecodingError) -> T? {
        guard scanner.peek() == UInt8(ascii: "\"") else { throw wrongType("expected \(what)") }
        let start = scanner.cursor
        let value = try scanner.readString { bytes, _ throws(JSONDecodingError) -> T? in parse(bytes) }
        if value == nil { scanner.cursor = start }
        return value
    }

    private mutating func readFieldMask() throws(JSONDecodingError) -> Google_Protobuf_FieldMask {
        guard scanner.peek() == UInt8(ascii: "\"") else { throw wrongType("expected a field mask string") }
        let start = scanner.offset
        let paths: [String]? = try scanner.readString { bytes, _ throws(JSONDecodingError) -> [String]? in
            if bytes.isEmpty { return [] }
            var paths: [String] = []
            for part in bytes.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
                guard let p = FieldMaskPath.snakeCase(UnsafeRawBufferPointer(rebasing: part)) else { return nil }
                paths.append(p)
            }
            return paths
        }
        guard let paths else {
            throw JSONDecodingError(.invalidFieldMask, message: "field mask paths must be lowerCamelCase, without '_'", offset: start)
        }
        return Google_Protobuf_FieldMask(paths: paths)
    }

    private mutating func readStruct() throws(JSONDecodingError) -> Google_Protobuf_Struct {
        var s = Google_Protobuf_Struct()
        guard try enterObject(for: "google.protobuf.Struct") else { return s }
        repeat {
            let key = try scanner.string()
            try scanner.expectColon()
            do {
                s.fields[key] = try readValue()
            } catch {
                throw error.inside(.member(key))
            }
        } while try scanner.nextMember()
        return s
    }

    private mutating func readList() throws(JSONDecodingError) -> Google_Protobuf_ListValue {
        var list = Google_Protobuf_ListValue()
        guard scanner.peek() == UInt8(ascii: "[") else { throw wrongType("expected an array for google.protobuf.ListValue") }
        guard try scanner.enterArray() else { return list }
        repeat {
            do {
                list.values.append(try readValue())
            } catch {
                throw error.inside(.index(list.values.count))
            }
        } while try scanner.nextElement()
        return list
    }

    private mutating func readValue() throws(JSONDecodingError) -> Google_Protobuf_Value {
        switch scanner.peek() {
        case UInt8(ascii: "{"): return Google_Protobuf_Value(kind: .structValue(try readStruct()))
        case UInt8(ascii: "["): return Google_Protobuf_Value(kind: .listValue(try readList()))
        case UInt8(ascii: "\""): return Google_Protobuf_Value(kind: .stringValue(try scanner.string()))
        case UInt8(ascii: "n"):
            guard scanner.consumeNull() else { throw scanner.unexpected("expected a value") }
            return Google_Protobuf_Value(kind: .nullValue(.nullValue))
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            guard let b = scanner.bool() else { throw scanner.unexpected("expected a value") }
            return Google_Protobuf_Value(kind: .boolValue(b))
        default:
            let start = scanner.offset
            let d = try scanner.number().double()
            guard d.isFinite else { throw JSONDecodingError(.numberOutOfRange, message: "number out of range for a double", offset: start) }
            return Google_Protobuf_Value(kind: .numberValue(d))
        }
    }

    /// An `Any`: finds `@type` first (it may come anywhere in the object), then reads the object
    /// again as that type and packs it.
    private mutating func readAny() throws(JSONDecodingError) -> Google_Protobuf_Any {
        guard scanner.peek() == UInt8(ascii: "{") else { throw wrongType("expected an object for google.protobuf.Any") }
        let start = scanner.cursor
        var probe = scanner
        guard try probe.enterObject() else {
            scanner = probe
            return Google_Protobuf_Any()
        }
        var typeURL: String?
        repeat {
            let key = try probe.string()
            try probe.expectColon()
            if key == "@type" {
                guard typeURL == nil else { throw probe.error(.invalidAny, "@type appears twice") }
                guard probe.peek() == UInt8(ascii: "\"") else { throw probe.error(.invalidAny, "@type must be a string") }
                typeURL = try probe.string()
            } else {
                try probe.skipValue()
            }
        } while try probe.nextMember()
        guard let typeURL else {
            throw JSONDecodingError(.invalidAny, message: "Any without \"@type\"", offset: start - scanner.base)
        }
        guard let type = options.typeRegistry.messageType(forTypeURL: typeURL) else {
            throw JSONDecodingError(
                .invalidAny, message: "Any holds \(String(reflecting: typeURL)), a type that is not registered (TypeRegistry)",
                offset: start - scanner.base)
        }
        let bytes = try readAnyPayload(type)
        return Google_Protobuf_Any(typeUrl: typeURL, value: Data(bytes))
    }

    private mutating func readAnyPayload<P: ProtoMessage>(_: P.Type) throws(JSONDecodingError) -> [UInt8] {
        var payload = P()
        let schema = P.messageSchema
        _ = try scanner.enterObject()
        if schema.wellKnown != nil {
            var sawValue = false
            repeat {
                let keyStart = scanner.offset
                let key = try scanner.string()
                try scanner.expectColon()
                switch key {
                case "@type":
                    try scanner.skipValue()
                case "value":
                    guard !sawValue else { throw JSONDecodingError(.duplicateField, message: "value appears twice", offset: keyStart) }
                    sawValue = true
                    do {
                        try readMessage(&payload)
                    } catch {
                        throw error.inside(.member("value"))
                    }
                default:
                    if options.ignoreUnknownFields {
                        try scanner.skipValue()
                    } else {
                        throw JSONDecodingError(
                            .unknownField, message: "an Any holding \(P.protoMessageName) has only \"@type\" and \"value\"", offset: keyStart
                        ).inside(.member(key))
                    }
                }
            } while try scanner.nextMember()
            // Every JSON value is a Value of some kind; a Value of none has no JSON form.
            if schema.wellKnown == .value && !sawValue {
                throw JSONDecodingError(.invalidAny, message: "an Any holding google.protobuf.Value needs \"value\"", offset: scanner.offset)
            }
        } else {
            guard !schema.isOpaque else {
                throw scanner.error(.unsupportedMessage, "\(schema.messageName) was generated without a field table; regenerate it to read JSON")
            }
            try readMembers(of: &payload, schema: schema, skipTypeKey: true)
        }
        return payload.writtenBytes()
    }
}

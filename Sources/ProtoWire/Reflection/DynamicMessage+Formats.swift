#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// The text format and JSON for `DynamicMessage`, through the printers generated messages use,
// so that a dynamic message prints exactly as the generated type of the same message does.

extension DynamicMessage {
    /// The message in the text format, as `textFormatString()` prints a generated message:
    /// one field per line in number order, map entries by key, unknown fields by number.
    public func textFormatString(options: TextFormatEncodingOptions = TextFormatEncodingOptions()) -> String {
        var encoder = TextFormatEncoder(options: options, capacity: 256)
        defer { encoder.out.free() }
        encoder.writeDynamicFields(of: self)
        return encoder.out.makeString()
    }

    /// The message in the protobuf JSON mapping, as `jsonString()` writes a generated message.
    /// - Throws: `JSONEncodingError` for a well-known type (`Timestamp`, `Any`, …), whose own JSON
    ///   forms dynamic messages do not write yet, and for messages nested over 100 deep.
    public func jsonString(options: JSONEncodingOptions = JSONEncodingOptions()) throws(JSONEncodingError) -> String {
        var encoder = ProtoJSONEncoder(options: options, capacity: 256)
        defer { encoder.out.free() }
        try encoder.writeDynamic(self)
        return encoder.out.makeString()
    }
}

extension TextFormatEncoder {
    mutating func writeDynamicFields(of message: DynamicMessage) {
        // An `Any` whose type the registry knows prints expanded, as a generated `Any` does.
        if message.descriptor.fullName == "google.protobuf.Any" {
            var any = Google_Protobuf_Any()
            if case .string(let url)? = message[number: 1] { any.typeUrl = url }
            if case .bytes(let value)? = message[number: 2] { any.value = Data(value) }
            any.unknownFields = message.unknownFields
            if writeExpandedAny(any) { return }
        }
        for (field, value) in message.presentFields {
            switch value {
            case .list(let list):
                for v in list { writeDynamicField(field, v) }
            case .map(let map):
                let entry = field.messageType!
                for k in map.keys.sorted(by: DynamicValue.mapKeyPrecedes) {
                    writeIndent()
                    out.append(field.name)
                    out.append(" {\n")
                    indent += 1
                    writeDynamicField(entry.fields[0], k)
                    writeDynamicField(entry.fields[1], map[k]!)
                    indent -= 1
                    writeIndent()
                    out.append("}\n")
                }
            default:
                writeDynamicField(field, value)
            }
        }
        let unknown = message.unknownFields
        if !unknown.isEmpty {
            let rest = options.extensions.isEmpty ? unknown.bytes : writeRegisteredExtensions(unknown)
            if options.printUnknownFields { rest.withUnsafeBytes { writeUnknown($0, depth: 0) } }
        }
    }

    /// `name: value` or `name { … }` on a line of its own; a group by its type's name.
    private mutating func writeDynamicField(_ field: ProtoFieldDescriptor, _ value: DynamicValue) {
        writeIndent()
        out.append(field.type == .group ? field.messageType!.name : field.name)
        switch value {
        case .int32(let v): writeInt(Int64(v))
        case .int64(let v): writeInt(v)
        case .uint32(let v): writeUInt(UInt64(v))
        case .uint64(let v): writeUInt(v)
        case .float(let v): writeFloat(v)
        case .double(let v): writeDouble(v)
        case .bool(let v): writeBool(v)
        case .string(let v):
            separator()
            var s = v
            s.withUTF8 { appendQuoted(UnsafeRawBufferPointer($0), utf8: true) }
        case .bytes(let v):
            separator()
            v.withUnsafeBytes { appendQuoted($0, utf8: false) }
        case .enum(let v):
            separator()
            if let name = field.enumType?.name(of: v) { out.append(name) } else { out.appendDecimal(Int64(v)) }
        case .message(let m):
            out.append(" {\n")
            indent += 1
            writeDynamicFields(of: m)
            indent -= 1
            writeIndent()
            out.append(UInt8(ascii: "}"))
        case .list, .map:
            break
        }
        out.append(UInt8(ascii: "\n"))
    }
}

extension ProtoJSONEncoder {
    mutating func writeDynamic(_ message: DynamicMessage) throws(JSONEncodingError) {
        if message.descriptor.fullName.hasPrefix("google.protobuf."), message.descriptor.fileName != "google/protobuf/descriptor.proto" {
            throw JSONEncodingError(.unsupportedMessage, message: "\(message.descriptor.fullName) is a well-known type: dynamic messages do not write its JSON form")
        }
        guard depth < ProtoJSONEncoder.depthLimit else {
            throw JSONEncodingError(.recursionLimitExceeded, message: "messages nested more than \(ProtoJSONEncoder.depthLimit) deep")
        }
        depth += 1
        defer { depth -= 1 }
        out.append(UInt8(ascii: "{"))
        var first = true
        for field in message.descriptor.fields {
            var value = message.values[field.number]
            if let v = value, !field.hasPresence, DynamicMessage.isZero(v) { value = nil }
            if value == nil {
                guard options.alwaysPrintFieldsWithoutPresence, !field.hasPresence else { continue }
                value = field.isMap ? .map([:]) : field.isRepeated ? .list([]) : DynamicMessage.defaultValue(field)
            }
            guard let value else { continue }
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out.appendJSONString(options.preserveProtoFieldNames ? field.name : field.jsonName)
            out.append(UInt8(ascii: ":"))
            do {
                switch value {
                case .list(let list):
                    out.append(UInt8(ascii: "["))
                    for (i, v) in list.enumerated() {
                        if i > 0 { out.append(UInt8(ascii: ",")) }
                        try writeDynamicValue(field, v)
                    }
                    out.append(UInt8(ascii: "]"))
                case .map(let map):
                    let entry = field.messageType!
                    out.append(UInt8(ascii: "{"))
                    for (i, k) in map.keys.sorted(by: DynamicValue.mapKeyPrecedes).enumerated() {
                        if i > 0 { out.append(UInt8(ascii: ",")) }
                        let start = out.count
                        try writeDynamicValue(entry.fields[0], k)
                        if out.count > start && out[start] != UInt8(ascii: "\"") {
                            out.insert(UInt8(ascii: "\""), at: start)
                            out.append(UInt8(ascii: "\""))
                        }
                        out.append(UInt8(ascii: ":"))
                        try writeDynamicValue(entry.fields[1], map[k]!)
                    }
                    out.append(UInt8(ascii: "}"))
                default:
                    try writeDynamicValue(field, value)
                }
            } catch {
                throw error.inside(.member(options.preserveProtoFieldNames ? field.name : field.jsonName))
            }
        }
        out.append(UInt8(ascii: "}"))
    }

    private mutating func writeDynamicValue(_ field: ProtoFieldDescriptor, _ value: DynamicValue) throws(JSONEncodingError) {
        switch value {
        case .int32(let v): writeInt(Int64(v))
        case .uint32(let v): writeUInt(UInt64(v))
        case .int64(let v): writeQuotedInt(v)
        case .uint64(let v): writeQuotedUInt(v)
        case .float(let v): writeFloat(v)
        case .double(let v): writeDouble(v)
        case .bool(let v): writeBool(v)
        case .string(let v): writeString(v)
        case .bytes(let v): v.withUnsafeBytes { writeBytes($0) }
        case .enum(let v):
            if field.typeName == "google.protobuf.NullValue" {
                out.append("null")
            } else if !options.enumsAsIntegers, let name = field.enumType?.name(of: v) {
                out.appendJSONString(name)
            } else {
                out.appendDecimal(Int64(v))
            }
        case .message(let m): try writeDynamic(m)
        case .list, .map: break
        }
    }
}

// The field table each message hands ProtoWire for the JSON mapping and the text format: one
// line of text per field (`2 page_number int32`, `5 origin optional message 0`), the message and
// enum types the lines index, and the oneofs' names. The runtime reads it once, at first use;
// as a string literal it costs a few bytes of code where an array of values would cost a call
// per element.

/// The message and enum types a field table refers to, each listed once, in order of first use.
struct SchemaTypes {
    private(set) var messages: [String] = []
    private(set) var enums: [String] = []

    mutating func index(message swiftName: String) -> Int {
        if let i = messages.firstIndex(of: swiftName) { return i }
        messages.append(swiftName)
        return messages.count - 1
    }

    mutating func index(enum swiftName: String) -> Int {
        if let i = enums.firstIndex(of: swiftName) { return i }
        enums.append(swiftName)
        return enums.count - 1
    }
}

extension FieldPlan {
    /// The JSON name protoc derives from a field name: underscores dropped, the letter after each
    /// uppercased. A table line names the JSON name only when `json_name` sets another one.
    static func derivedJSONName(_ name: String) -> String {
        var out = ""
        var upper = false
        for c in name {
            if c == "_" {
                upper = true
            } else {
                out.append(upper ? Character(c.uppercased()) : c)
                upper = false
            }
        }
        return out
    }

    /// The field's line in its message's field table (see ProtoWire's `MessageSchema`);
    /// `oneof` is the position of its oneof among the message's oneofs.
    func tableLine(oneof: Int?, types: inout SchemaTypes, file: String, message: String) throws(GeneratorError) -> String {
        var words = [String(number), descriptor.name]
        if let json = descriptor.jsonName, json != Self.derivedJSONName(descriptor.name) {
            guard !json.isEmpty, !json.contains(where: { $0 == " " || $0 == ";" || $0.isNewline }) else {
                throw GeneratorError(
                    file: file, element: "\(message).\(descriptor.name)",
                    message: "json_name \"\(json)\" is empty or holds a space or `;`, which the field table cannot write"
                )
            }
            words.append("json=" + json)
        }
        switch cardinality {
        case .implicit: break
        case .explicit: words.append(features.presence == .legacyRequired ? "required" : "optional")
        case .expanded: words.append("repeated")
        case .packed: words.append("packed")
        case .map(let key, let value):
            words.append("map")
            words.append(key.protoType)
            words.append(Self.tableType(value, &types))
            return words.joined(separator: " ")
        case .oneofMember: words.append("oneof \(oneof ?? 0)")
        }
        words.append(Self.tableType(value, &types))
        return words.joined(separator: " ")
    }

    private static func tableType(_ value: ValueKind, _ types: inout SchemaTypes) -> String {
        if value.isMessage {
            // A group's text-format name is its type's name: the runtime reads `group` for that.
            return (value.wireType == 3 ? "group " : "message ") + String(types.index(message: value.swiftType))
        }
        if value.enumType != nil { return "enum \(types.index(enum: value.swiftType))" }
        return value.protoType
    }
}

extension MessagePlan {
    /// The keys of `message-fields.mustache`: the table's lines and the lists after it.
    func schemaContext(file: String) throws(GeneratorError) -> TemplateContext {
        var types = SchemaTypes()
        var lines: [(Int, String)] = []
        for f in fields {
            lines.append((f.number, try f.tableLine(oneof: nil, types: &types, file: file, message: String(protoName.dropFirst()))))
        }
        for (position, o) in oneofs.enumerated() {
            for m in o.members {
                lines.append((m.number, try m.tableLine(oneof: position, types: &types, file: file, message: String(protoName.dropFirst()))))
            }
        }
        lines.sort { $0.0 < $1.0 }
        func list(_ names: [String]) -> TemplateValue {
            .list(names.enumerated().map { ["type": .text($1), "last": .flag($0 == names.count - 1)] })
        }
        let oneofNames = oneofs.map(\.descriptor.name)
        return [
            "tableLines": .list(lines.map { ["line": .text($0.1)] }),
            "hasSchemaMessages": .flag(!types.messages.isEmpty),
            "schemaMessages": list(types.messages),
            "hasSchemaEnums": .flag(!types.enums.isEmpty),
            "schemaEnums": list(types.enums),
            "hasSchemaOneofs": .flag(!oneofNames.isEmpty),
            "schemaOneofs": list(oneofNames),
        ]
    }
}

extension ValueKind {
    /// A scalar type as the `.proto` spells it (`sint32`, `bytes`), for field tables.
    var protoType: String { kind.lowercased() }
}

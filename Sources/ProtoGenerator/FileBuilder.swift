// Walks one `.proto` file's messages and enums, plans every field with its
// resolved features, and fills the templates.

struct FileBuilder {
    let file: FileDescriptor
    let generator: Generator
    let defaults: FeatureDefaults
    var usesBytes = false
    /// `extension T: ProtoMessage` blocks, gathered at file level.
    var conformances: [String] = []

    init(file: FileDescriptor, generator: Generator) {
        self.file = file
        self.generator = generator
        defaults = .of(file)
    }

    var access: String { generator.options.access }
    var symbols: SymbolTable { generator.symbols }
    var templates: TemplateSet { generator.templates }

    mutating func render() throws -> String {
        let scope = file.package.isEmpty ? "" : "." + file.package
        var declarations: [TemplateContext] = []
        for e in file.enums {
            declarations.append(["code": .text(try renderEnum(e, protoName: "\(scope).\(e.name)"))])
        }
        for m in file.messages {
            declarations.append(["code": .text(try renderMessage(m, protoName: "\(scope).\(m.name)"))])
        }
        return try templates.file.render([
            "protoFile": .text(file.name),
            "importFoundation": .flag(usesBytes),
            "importRuntime": .flag(generator.options.importRuntime),
            "declarations": .list(declarations),
            "conformances": .list(conformances.map { ["code": .text($0)] }),
        ])
    }

    func renderEnum(_ e: EnumDescriptor, protoName: String) throws -> String {
        let symbol = symbols.enums[protoName]!
        return try EnumPlan.render(e, swiftName: symbol.swiftName, enumType: symbol.enumType, access: access, templates: templates)
    }

    mutating func renderMessage(_ m: MessageDescriptor, protoName: String) throws -> String {
        let swiftName = symbols.messages[protoName]!.swiftName
        let local = String(swiftName.split(separator: ".").last!)

        var fields: [FieldPlan] = []
        var oneofs: [OneofPlan] = []
        for (index, oneof) in m.oneofs.enumerated() {
            let members = m.fields.filter { $0.oneofIndex == index && !$0.proto3Optional }
            if members.isEmpty { continue }  // the synthetic oneof of a proto3 `optional`
            oneofs.append(OneofPlan(index: index, descriptor: oneof, members: []))
        }
        for f in m.fields {
            let plan = try plan(f, in: m, protoName: protoName)
            if case .oneofMember(let index) = plan.cardinality {
                oneofs[oneofs.firstIndex { $0.index == index }!].members.append(plan)
            } else {
                fields.append(plan)
            }
        }
        oneofs = OneofPlan.named(oneofs, avoiding: Set(fields.map(\.bareName)))
        let byNumber = fields.sorted { $0.number < $1.number }

        // Nested types, then the struct itself.
        var nested: [TemplateContext] = []
        for e in m.enums {
            nested.append(["code": .text(try renderEnum(e, protoName: "\(protoName).\(e.name)"))])
        }
        for n in m.messages where !n.isMapEntry {
            nested.append(["code": .text(try renderMessage(n, protoName: "\(protoName).\(n.name)"))])
        }

        let members: [(name: String, type: String, initial: String)] =
            fields.map { ($0.name, $0.propertyType, $0.initialValue) }
            + oneofs.map { ($0.property, $0.typeName + "?", "nil") }
        let declaration = try templates.message.render([
            "doc": .text(Doc.comment(m.comments)),
            "access": .text(access),
            "name": .text(local),
            "fields": .list(fields.map { ["declaration": .text($0.declaration(access: access, doc: Doc.comment($0.descriptor.comments)))] }),
            "oneofs": .list(oneofs.map { $0.context(access: access) }),
            "hasMembers": .flag(!members.isEmpty),
            "parameters": .text(members.map { "\($0.name): \($0.type) = \($0.initial)" }.joined(separator: ",\n")),
            "assignments": .text(members.map { "self.\($0.name) = \($0.name)" }.joined(separator: "\n")),
            "nested": .list(nested),
        ])

        conformances.append(try templates.coding.render([
            "access": .text(access),
            "fullName": .text(swiftName),
            "protoName": .text(String(protoName.dropFirst())),
            "hasFields": .flag(!fields.isEmpty || !oneofs.isEmpty),
            "sizeLines": .text((byNumber.map(\.sizeLine) + oneofs.map(\.sizeSwitch)).joined(separator: "\n")),
            "encodeLines": .text(encodeLines(fields: fields, oneofs: oneofs).joined(separator: "\n")),
            "decodeCases": .text(decodeCases(fields: byNumber, oneofs: oneofs).joined(separator: "\n")),
        ]))
        return declaration
    }

    /// Fields are written in field-number order, as every protobuf implementation
    /// writes them; consecutive members of one oneof share a `switch`.
    func encodeLines(fields: [FieldPlan], oneofs: [OneofPlan]) -> [String] {
        enum Item { case field(FieldPlan), member(FieldPlan, OneofPlan) }
        var items: [(Int, Item)] = fields.map { ($0.number, .field($0)) }
        for o in oneofs { items += o.members.map { ($0.number, .member($0, o)) } }
        items.sort { $0.0 < $1.0 }

        var lines: [String] = []
        var i = 0
        while i < items.count {
            switch items[i].1 {
            case .field(let f):
                lines.append(f.encodeLine)
                i += 1
            case .member(_, let o):
                var run: [FieldPlan] = []
                while i < items.count, case .member(let f, let other) = items[i].1, other.index == o.index {
                    run.append(f)
                    i += 1
                }
                lines += o.encodeSwitch(run)
            }
        }
        return lines
    }

    /// `case N:` blocks in field-number order.
    func decodeCases(fields: [FieldPlan], oneofs: [OneofPlan]) -> [String] {
        var cases = fields.map { ($0.number, $0.decodeCase) }
        for o in oneofs { cases += zip(o.members.map(\.number), o.decodeCases) }
        return cases.sorted { $0.0 < $1.0 }.map(\.1)
    }

    // MARK: Field planning

    mutating func plan(_ f: FieldDescriptor, in m: MessageDescriptor, protoName: String) throws -> FieldPlan {
        let element = "\(protoName.dropFirst()).\(f.name)"
        let (codec, valueType, valueDefault, closed) = try scalarOrNamed(f, element: element)
        let name = Naming.property(f.name)
        var plan = FieldPlan(
            descriptor: f, name: name, bareName: name.filter { $0 != "`" }, cardinality: .singular(.implicit),
            codec: codec, valueType: valueType, boxed: false, closedEnum: closed, valueDefault: valueDefault
        )

        if f.label == .repeated {
            if f.type == .message, let entry = symbols.messages[f.typeName]?.descriptor, entry.isMapEntry {
                guard let k = entry.fields.first(where: { $0.number == 1 }),
                      let v = entry.fields.first(where: { $0.number == 2 })
                else {
                    throw GeneratorError(file: file.name, element: element, message: "map entry without key or value")
                }
                let key = try scalarOrNamed(k, element: element)
                let value = try scalarOrNamed(v, element: element)
                plan.cardinality = .map(key: k, value: v)
                plan.mapKeyCodec = key.codec
                plan.codec = value.codec
                plan.valueType = "[\(key.swiftType): \(value.swiftType)]"
                plan.closedEnum = false
                return plan
            }
            let packable = f.type != .string && f.type != .bytes && f.type != .message
            let encoding = f.packed.map { $0 ? RepeatedEncoding.packed : .expanded } ?? defaults.repeatedEncoding
            plan.cardinality = .repeated(packable ? encoding : .expanded)
            return plan
        }

        if let index = f.oneofIndex, !f.proto3Optional {
            plan.cardinality = .oneofMember(index: index)
            if f.type == .message {
                plan.boxed = symbols.inlineReaches(from: f.typeName, to: protoName)
            }
            return plan
        }

        if f.type == .message {
            plan.cardinality = .singular(.explicit)
            plan.boxed = symbols.inlineReaches(from: f.typeName, to: protoName)
        } else if f.proto3Optional || f.label == .required {
            plan.cardinality = .singular(.explicit)
        } else {
            plan.cardinality = .singular(defaults.presence)
        }
        return plan
    }

    /// The codec, Swift type and default of one value of `f`'s type.
    mutating func scalarOrNamed(_ f: FieldDescriptor, element: String) throws
        -> (codec: String, swiftType: String, valueDefault: String, closed: Bool)
    {
        switch f.type {
        case .double: return ("ProtoDouble", "Double", "0", false)
        case .float: return ("ProtoFloat", "Float", "0", false)
        case .int64: return ("ProtoInt64", "Int64", "0", false)
        case .uint64: return ("ProtoUInt64", "UInt64", "0", false)
        case .int32: return ("ProtoInt32", "Int32", "0", false)
        case .fixed64: return ("ProtoFixed64", "UInt64", "0", false)
        case .fixed32: return ("ProtoFixed32", "UInt32", "0", false)
        case .bool: return ("ProtoBool", "Bool", "false", false)
        case .string:
            let codec = defaults.utf8Validation == .verify ? "ProtoString" : "ProtoUncheckedString"
            return (codec, "String", "\"\"", false)
        case .bytes:
            usesBytes = true
            return ("ProtoBytes", "Data", "Data()", false)
        case .uint32: return ("ProtoUInt32", "UInt32", "0", false)
        case .sfixed32: return ("ProtoSFixed32", "Int32", "0", false)
        case .sfixed64: return ("ProtoSFixed64", "Int64", "0", false)
        case .sint32: return ("ProtoSInt32", "Int32", "0", false)
        case .sint64: return ("ProtoSInt64", "Int64", "0", false)
        case .enum:
            guard let e = symbols.enums[f.typeName] else {
                throw GeneratorError(file: file.name, element: element, message: "unknown enum type \(f.typeName)")
            }
            let closed = e.enumType == .closed
            return ((closed ? "ClosedEnumCodec" : "EnumCodec") + "<\(e.swiftName)>", e.swiftName, "." + e.defaultCase, closed)
        case .message:
            guard let m = symbols.messages[f.typeName] else {
                throw GeneratorError(file: file.name, element: element, message: "unknown message type \(f.typeName)")
            }
            return ("MessageCodec<\(m.swiftName)>", m.swiftName, "\(m.swiftName)()", false)
        case .group:
            throw GeneratorError(file: file.name, element: element, message: "groups are not supported yet")
        }
    }
}

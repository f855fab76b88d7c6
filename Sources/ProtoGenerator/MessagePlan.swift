// A message: its fields and oneofs planned, its nested types, and the order in which the
// conformance sizes, writes and reads them. One context serves both the declaration
// (`message.mustache`) and the conformance (`message-coding.mustache`).

struct MessagePlan {
    let descriptor: MessageDescriptor
    /// The fully qualified proto name with a leading dot, such as `.pkg.Outer.Inner`.
    let protoName: String
    let swiftName: String
    var fields: [FieldPlan] = []
    var oneofs: [OneofPlan] = []

    init(_ m: MessageDescriptor, protoName: String, file: FileDescriptor, symbols: SymbolTable) throws(GeneratorError) {
        descriptor = m
        self.protoName = protoName
        swiftName = symbols.messages[protoName]!.swiftName
        var members: [Int: [FieldPlan]] = [:]
        for f in m.fields {
            let plan = try FieldPlan(f, message: protoName, file: file, symbols: symbols)
            if case .oneofMember(let index) = plan.cardinality {
                members[index, default: []].append(plan)
            } else {
                fields.append(plan)
            }
        }
        if m.isMessageSet, !m.fields.isEmpty {
            throw GeneratorError(
                file: file.name, element: String(protoName.dropFirst()),
                message: "a MessageSet (message_set_wire_format) cannot declare fields, only extensions")
        }
        let fieldNames = Set(fields.map(\.bareName))
        for (index, oneof) in m.oneofs.enumerated() {
            // The synthetic oneof of a proto3 `optional` has no members here.
            guard let planned = members[index] else { continue }
            oneofs.append(OneofPlan(index: index, descriptor: oneof, members: planned, avoiding: fieldNames))
        }
    }

    /// The message's context, with its nested messages' contexts inside it; `all` collects every
    /// message context, this one first, for the conformances written at file level.
    func context(file: FileDescriptor, symbols: SymbolTable, all: inout [TemplateContext]) throws(GeneratorError) -> TemplateContext {
        var c: TemplateContext = [
            "doc": .text(Doc.comment(descriptor.comments)),
            "name": .text(String(swiftName.split(separator: ".").last!)),
            "fullName": .text(swiftName),
            "protoName": .text(String(protoName.dropFirst())),
            "hasFields": .flag(!fields.isEmpty || !oneofs.isEmpty),
            "hasMembers": .flag(!fields.isEmpty || !oneofs.isEmpty),
            "isMessageSet": .flag(descriptor.isMessageSet),
        ]
        c["fields"] = .list(fields.enumerated().map { $1.context(separated: $0 > 0) })
        c["oneofs"] = .list(oneofs.enumerated().map { $1.context(separated: fields.count + $0 > 0) })
        var members: [TemplateContext] = fields.map {
            ["name": .text($0.name), "storage": .text($0.storage), "type": .text($0.propertyType), "initial": .text($0.initialValue), "last": .flag(false)]
        }
        members += oneofs.map {
            ["name": .text($0.property), "storage": .text($0.property), "type": .text($0.typeName + "?"), "initial": .text("nil"), "last": .flag(false)]
        }
        if !members.isEmpty { members[members.count - 1]["last"] = .flag(true) }
        c["members"] = .list(members)

        let byNumber = fields.sorted { $0.number < $1.number }
        c["fieldsByNumber"] = .list(byNumber.map { $0.context(separated: false) })
        c["encodeSteps"] = .list(encodeSteps())
        c["decodeSteps"] = .list(decodeSteps())
        for (key, value) in try schemaContext(file: file.name) { c[key] = value }
        for (key, value) in requiredContext(symbols: symbols) { c[key] = value }

        c["enums"] = .list(descriptor.enums.map {
            EnumPlan(e: $0, symbol: symbols.enums["\(protoName).\($0.name)"]!, protoName: "\(protoName).\($0.name)").context()
        })
        let index = all.count
        all.append([:])
        var nested: [TemplateContext] = []
        for n in descriptor.messages where !n.isMapEntry {
            let plan = try MessagePlan(n, protoName: "\(protoName).\(n.name)", file: file, symbols: symbols)
            nested.append(try plan.context(file: file, symbols: symbols, all: &all))
        }
        c["messages"] = .list(nested)
        all[index] = c
        return c
    }

    /// Fields in field-number order, as every protobuf implementation writes them; consecutive
    /// members of one oneof share a `switch`.
    func encodeSteps() -> [TemplateContext] {
        enum Item { case field(FieldPlan), member(FieldPlan, OneofPlan) }
        var items: [(Int, Item)] = fields.map { ($0.number, .field($0)) }
        for o in oneofs { items += o.members.map { ($0.number, .member($0, o)) } }
        items.sort { $0.0 < $1.0 }

        var steps: [TemplateContext] = []
        var i = 0
        while i < items.count {
            switch items[i].1 {
            case .field(let f):
                steps.append(["field": .list([f.context(separated: false)]), "oneof": .list([])])
                i += 1
            case .member(_, let o):
                var run: [FieldPlan] = []
                while i < items.count, case .member(let f, let other) = items[i].1, other.index == o.index {
                    run.append(f)
                    i += 1
                }
                let oneof: TemplateContext = [
                    "property": .text(o.property),
                    "run": .list(run.map(o.memberContext)),
                    "wholeOneof": .flag(run.count == o.members.count),
                ]
                steps.append(["field": .list([]), "oneof": .list([oneof])])
            }
        }
        return steps
    }

    /// The `case`s of `merge(from:)`, in field-number order.
    func decodeSteps() -> [TemplateContext] {
        var steps: [(Int, TemplateContext)] = fields.map {
            ($0.number, ["field": .list([$0.context(separated: false)]), "member": .list([])])
        }
        for o in oneofs {
            steps += o.members.map { ($0.number, ["field": .list([]), "member": .list([o.memberContext($0)])]) }
        }
        return steps.sorted { $0.0 < $1.0 }.map(\.1)
    }
}

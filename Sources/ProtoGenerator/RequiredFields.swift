// proto2's `required` fields (editions' `LEGACY_REQUIRED`): which message types can hold one, here
// or in a message below them, decided at generation time so that the others carry no check at
// all; and, for the ones that can, the lines of their `firstMissingRequiredField()`.

extension SymbolTable {
    /// Whether a message of `protoName` can hold a required field: one of its own, or one in a
    /// message it holds (singular, repeated, map value, oneof member or group), at any depth.
    func canHoldRequired(_ protoName: String) -> Bool {
        var seen: Set<String> = []
        var stack = [protoName]
        while let next = stack.popLast() {
            guard seen.insert(next).inserted, let m = messages[next] else { continue }
            for f in m.descriptor.fields {
                if f.label == .required || m.features.field(f).presence == .legacyRequired { return true }
                // A map's entry type is a message too: its value leads on.
                if f.type == .message || f.type == .group { stack.append(f.typeName) }
            }
        }
        return false
    }
}

extension MessagePlan {
    /// The keys of `required-fields.mustache`: whether this type checks required fields, and one
    /// check per field that is required or holds a message that can hold one, in number order.
    func requiredContext(symbols: SymbolTable) -> TemplateContext {
        guard symbols.canHoldRequired(protoName) else { return ["checksRequired": .flag(false)] }
        var checks: [(Int, TemplateContext)] = []
        func check(_ f: FieldPlan, _ shape: String, property: String? = nil) {
            var c: TemplateContext = [
                "storage": .text(f.storage), "protoName": .text(f.descriptor.name), "number": .text(String(f.number)),
                "name": .text(f.name), "property": .text(property ?? ""),
            ]
            for s in ["required", "singular", "repeated", "map", "member"] { c[s] = .flag(s == shape) }
            checks.append((f.number, c))
        }
        for f in fields {
            if f.features.presence == .legacyRequired, f.cardinality == .explicit {
                check(f, "required")
            }
            switch f.cardinality {
            case .explicit where f.value.isMessage && symbols.canHoldRequired(f.descriptor.typeName):
                check(f, "singular")
            case .expanded where f.value.isMessage && symbols.canHoldRequired(f.descriptor.typeName):
                check(f, "repeated")
            case .map(_, let value) where value.isMessage && symbols.canHoldRequired(f.descriptor.typeName):
                check(f, "map")
            default: break
            }
        }
        for o in oneofs {
            for m in o.members where m.value.isMessage && symbols.canHoldRequired(m.descriptor.typeName) {
                check(m, "member", property: o.property)
            }
        }
        return [
            "checksRequired": .flag(true),
            "requiredChecks": .list(checks.sorted { $0.0 < $1.0 }.map(\.1)),
        ]
    }
}

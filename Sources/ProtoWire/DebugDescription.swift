// A readable `debugDescription` for every message, built by reflection so that
// generated code carries none: `SearchRequest(query: "x", lat: 1.5)`, leaving
// out fields at their default.

extension ProtoMessage {
    public var debugDescription: String {
        var out = ""
        describe(self, into: &out)
        return out
    }
}

private func describe(_ value: Any, into out: inout String) {
    if let message = value as? any ProtoMessage {
        out += type(of: message).protoMessageName
        out += "("
        var first = true
        for child in Mirror(reflecting: message).children {
            guard var label = child.label else { continue }
            if label == "unknownFields", let u = child.value as? UnknownFields {
                if u.isEmpty { continue }
                label = "unknownFields"
                if !first { out += ", " }
                first = false
                out += "unknownFields: \(u.count) bytes"
                continue
            }
            let shown = unwrap(child.value)
            guard let shown, !isDefault(shown) else { continue }
            if label.hasPrefix("_") { label.removeFirst() }
            if !first { out += ", " }
            first = false
            out += label
            out += ": "
            describe(shown, into: &out)
        }
        out += ")"
    } else if let s = value as? String {
        out += String(reflecting: s)
    } else if let array = value as? [Any] {
        out += "["
        for (i, e) in array.enumerated() {
            if i > 0 { out += ", " }
            describe(e, into: &out)
        }
        out += "]"
    } else {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .enum, let child = mirror.children.first, let label = child.label {
            // An enum case with a payload: a oneof member or an unrecognized enum number.
            out += ".\(label)("
            describe(child.value, into: &out)
            out += ")"
        } else if mirror.displayStyle == .enum {
            out += ".\(value)"
        } else {
            out += String(reflecting: value)
        }
    }
}

/// Strips `Optional` and `ProtoBox` wrappers; `nil` for an absent value.
private func unwrap(_ value: Any) -> Any? {
    let mirror = Mirror(reflecting: value)
    if mirror.displayStyle == .optional {
        guard let some = mirror.children.first else { return nil }
        return unwrap(some.value)
    }
    if mirror.displayStyle == .class, let boxed = mirror.children.first(where: { $0.label == "value" }) {
        return unwrap(boxed.value)
    }
    return value
}

private func isDefault(_ value: Any) -> Bool {
    switch value {
    case let v as String: return v.isEmpty
    case let v as Bool: return !v
    case let v as Int32: return v == 0
    case let v as Int64: return v == 0
    case let v as UInt32: return v == 0
    case let v as UInt64: return v == 0
    case let v as Float: return v.bitPattern == 0
    case let v as Double: return v.bitPattern == 0
    case let v as any ProtoEnum: return v.rawValue == 0
    case let v as any Collection: return v.isEmpty
    default: return false
    }
}

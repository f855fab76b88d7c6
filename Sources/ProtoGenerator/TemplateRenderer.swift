// A small logic-less template language, enough for the skeletons in `Templates/`:
//
//   {{name}}            the value of `name`, verbatim (no HTML escaping: the output is Swift)
//   {{#name}}…{{/name}} the block once if `name` is true or a non-empty string; once per item of a list
//   {{^name}}…{{/name}} the block if `name` is false, empty or missing from the list's item
//
// A tag alone on its line is "standalone": a section tag's line disappears, and a
// variable's value is indented to the tag's column on every line, or its line
// disappears when the value is empty. So templates own indentation, and values
// (doc comments, nested types, bodies) can be multi-line. A name that no context
// defines is an error, never a silent blank.

/// A value a template can show.
enum TemplateValue: Sendable {
    case text(String)
    case flag(Bool)
    case list([TemplateContext])
}

typealias TemplateContext = [String: TemplateValue]

struct TemplateError: Error, CustomStringConvertible {
    let description: String
}

struct Template: Sendable {
    private indirect enum Node: Sendable {
        case text(String)
        /// A variable; `indent` is set when the tag stands alone on its line.
        case variable(String, indent: String?)
        case section(String, inverted: Bool, body: [Node])
    }

    private let nodes: [Node]
    let name: String

    init(_ source: String, name: String) throws(TemplateError) {
        self.name = name
        var parser = Parser(source: source, name: name)
        nodes = try parser.parse(until: nil)
    }

    func render(_ context: TemplateContext) throws(TemplateError) -> String {
        var out = ""
        try render(nodes, stack: [context], into: &out)
        return out
    }

    private func lookup(_ key: String, _ stack: [TemplateContext]) -> TemplateValue? {
        for context in stack.reversed() {
            if let v = context[key] { return v }
        }
        return nil
    }

    private func render(_ nodes: [Node], stack: [TemplateContext], into out: inout String) throws(TemplateError) {
        for node in nodes {
            switch node {
            case .text(let s):
                out += s
            case .variable(let key, let indent):
                guard case .text(let value)? = lookup(key, stack) else {
                    throw TemplateError(description: "template \(name): no text value for {{\(key)}}")
                }
                if let indent {
                    if value.isEmpty { continue }
                    if value.utf8.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) {
                        // ASCII without CR: lines split by byte, the same lines as by Character
                        // and a fraction of the cost (this split was a third of the plugin's time).
                        for line in value.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
                            if !line.isEmpty { out += indent }
                            out += Substring(line)
                            out += "\n"
                        }
                        continue
                    }
                    for line in value.split(separator: "\n", omittingEmptySubsequences: false) {
                        if !line.isEmpty { out += indent }
                        out += line
                        out += "\n"
                    }
                } else {
                    out += value
                }
            case .section(let key, let inverted, let body):
                let value = lookup(key, stack)
                if value == nil && !inverted {
                    throw TemplateError(description: "template \(name): no value for {{#\(key)}}")
                }
                switch value {
                case .list(let items):
                    if inverted {
                        if items.isEmpty { try render(body, stack: stack, into: &out) }
                    } else {
                        for item in items { try render(body, stack: stack + [item], into: &out) }
                    }
                case .flag(let b):
                    if b != inverted { try render(body, stack: stack, into: &out) }
                case .text(let s):
                    if s.isEmpty == inverted { try render(body, stack: stack, into: &out) }
                case nil:
                    try render(body, stack: stack, into: &out)
                }
            }
        }
    }

    private struct Parser {
        let chars: [Character]
        let name: String
        var i = 0

        init(source: String, name: String) {
            chars = Array(source)
            self.name = name
        }

        /// The text from the start of the current line to `pos`, if it is all blanks.
        func blankPrefix(before pos: Int) -> String? {
            var j = pos
            while j > 0, chars[j - 1] != "\n" {
                guard chars[j - 1] == " " || chars[j - 1] == "\t" else { return nil }
                j -= 1
            }
            return String(chars[j..<pos])
        }

        /// The index just past the line end after `pos`, if only blanks come before it.
        func lineEnd(after pos: Int) -> Int? {
            var j = pos
            while j < chars.count, chars[j] == " " || chars[j] == "\t" { j += 1 }
            if j == chars.count { return j }
            return chars[j] == "\n" ? j + 1 : nil
        }

        mutating func parse(until closing: String?) throws(TemplateError) -> [Node] {
            var nodes: [Node] = []
            var text = ""
            func flush() {
                if !text.isEmpty { nodes.append(.text(text)) }
                text = ""
            }
            while i < chars.count {
                guard chars[i] == "{", i + 1 < chars.count, chars[i + 1] == "{" else {
                    text.append(chars[i])
                    i += 1
                    continue
                }
                let tagStart = i
                var j = i + 2
                while j + 1 < chars.count, !(chars[j] == "}" && chars[j + 1] == "}") { j += 1 }
                guard j + 1 < chars.count else { throw TemplateError(description: "template \(name): unclosed tag") }
                let tag = String(chars[(i + 2)..<j]).trimmingBlanks()
                let tagEnd = j + 2
                let prefix = blankPrefix(before: tagStart)
                let standaloneEnd = prefix != nil ? lineEnd(after: tagEnd) : nil
                let kind = tag.first
                if kind == "#" || kind == "^" || kind == "/" {
                    if let prefix, let end = standaloneEnd {
                        text.removeLast(prefix.count)
                        i = end
                    } else {
                        i = tagEnd
                    }
                    let key = String(tag.dropFirst()).trimmingBlanks()
                    if kind == "/" {
                        guard key == closing else {
                            throw TemplateError(description: "template \(name): unexpected {{/\(key)}}")
                        }
                        flush()
                        return nodes
                    }
                    flush()
                    let body = try parse(until: key)
                    nodes.append(.section(key, inverted: kind == "^", body: body))
                } else {
                    if let prefix, let end = standaloneEnd {
                        text.removeLast(prefix.count)
                        flush()
                        nodes.append(.variable(tag, indent: prefix))
                        i = end
                    } else {
                        flush()
                        nodes.append(.variable(tag, indent: nil))
                        i = tagEnd
                    }
                }
            }
            if let closing { throw TemplateError(description: "template \(name): missing {{/\(closing)}}") }
            flush()
            return nodes
        }
    }
}

extension String {
    func trimmingBlanks() -> String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}

// A small logic-less template language, enough for the skeletons in `Templates/`:
//
//   {{name}}            the value of `name`, verbatim (no HTML escaping: the output is Swift)
//   {{#name}}…{{/name}} the block once if `name` is true or a non-empty string; once per item of a list
//   {{^name}}…{{/name}} the block if `name` is false, empty or missing from the list's item
//   {{>name}}           the template `name.mustache`, rendered in the current context
//
// A tag alone on its line is "standalone": a section tag's line disappears; a variable's value
// is indented to the tag's column on every line, or its line disappears when the value is
// empty; a partial's every line is indented to the tag's column. A partial used inside a line
// is inserted without its final newline. So templates own all the text and its indentation,
// and the generator only computes names, types and numbers. A name that no context defines is
// an error, never a silent blank.

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
    fileprivate indirect enum Node: Sendable {
        case text(String)
        /// A variable; `indent` is set when the tag stands alone on its line.
        case variable(String, indent: String?)
        case section(String, inverted: Bool, body: [Node])
        /// A partial; `indent` is set when the tag stands alone on its line.
        case partial(String, indent: String?)
    }

    fileprivate let nodes: [Node]
    let name: String

    init(_ source: String, name: String) throws(TemplateError) {
        self.name = name
        var parser = Parser(source: source, name: name)
        nodes = try parser.parse(until: nil)
    }

    /// Renders with no partials available.
    func render(_ context: TemplateContext) throws(TemplateError) -> String {
        try render(context, partials: [:])
    }

    func render(_ context: TemplateContext, partials: [String: Template]) throws(TemplateError) -> String {
        var renderer = Renderer(partials: partials)
        try renderer.render(nodes, template: name, stack: [context])
        return renderer.out
    }
}

private struct Renderer {
    let partials: [String: Template]
    var out = ""

    func lookup(_ key: String, _ stack: [TemplateContext]) -> TemplateValue? {
        for context in stack.reversed() {
            if let v = context[key] { return v }
        }
        return nil
    }

    /// Appends `text` with `indent` before each non-empty line; `text` ends with a newline.
    mutating func appendIndented(_ text: String, _ indent: String) {
        if text.utf8.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) {
            // ASCII without CR: lines split by byte, the same lines as by Character and a
            // fraction of the cost (splitting by Character was a third of the plugin's time).
            var lines = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false)
            if lines.last?.isEmpty == true { lines.removeLast() }
            for line in lines {
                if !line.isEmpty { out += indent }
                out += Substring(line)
                out += "\n"
            }
            return
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        for line in lines {
            if !line.isEmpty { out += indent }
            out += line
            out += "\n"
        }
    }

    mutating func render(_ nodes: [Template.Node], template name: String, stack: [TemplateContext]) throws(TemplateError) {
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
                    appendIndented(value.hasSuffix("\n") ? value : value + "\n", indent)
                } else {
                    out += value
                }
            case .partial(let key, let indent):
                guard let partial = partials[key] else {
                    throw TemplateError(description: "template \(name): no partial {{>\(key)}}")
                }
                if let indent {
                    var inner = Renderer(partials: partials)
                    try inner.render(partial.nodes, template: partial.name, stack: stack)
                    appendIndented(inner.out, indent)
                } else {
                    let start = out.utf8.count
                    try render(partial.nodes, template: partial.name, stack: stack)
                    // Inside a line: the partial's own final newline is not part of the line.
                    if out.utf8.count > start, out.hasSuffix("\n") { out.removeLast() }
                }
            case .section(let key, let inverted, let body):
                let value = lookup(key, stack)
                if value == nil && !inverted {
                    throw TemplateError(description: "template \(name): no value for {{#\(key)}}")
                }
                switch value {
                case .list(let items):
                    if inverted {
                        if items.isEmpty { try render(body, template: name, stack: stack) }
                    } else {
                        for item in items { try render(body, template: name, stack: stack + [item]) }
                    }
                case .flag(let b):
                    if b != inverted { try render(body, template: name, stack: stack) }
                case .text(let s):
                    if s.isEmpty == inverted { try render(body, template: name, stack: stack) }
                case nil:
                    try render(body, template: name, stack: stack)
                }
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

    mutating func parse(until closing: String?) throws(TemplateError) -> [Template.Node] {
        var nodes: [Template.Node] = []
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
            let standalone = prefix.flatMap { p in standaloneEnd.map { (p, $0) } }
            let kind = tag.first
            if kind == "#" || kind == "^" || kind == "/" {
                if let (prefix, end) = standalone {
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
                let isPartial = kind == ">"
                let key = isPartial ? String(tag.dropFirst()).trimmingBlanks() : tag
                if let (prefix, end) = standalone {
                    text.removeLast(prefix.count)
                    flush()
                    nodes.append(isPartial ? .partial(key, indent: prefix) : .variable(key, indent: prefix))
                    i = end
                } else {
                    flush()
                    nodes.append(isPartial ? .partial(key, indent: nil) : .variable(key, indent: nil))
                    i = tagEnd
                }
            }
        }
        if let closing { throw TemplateError(description: "template \(name): missing {{/\(closing)}}") }
        flush()
        return nodes
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

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
    /// Written before every non-empty line while standalone partials and variables are rendered:
    /// their indentations joined, outermost first. The text is indented as it is written, so
    /// nested partials are not rendered apart and split into lines again at every level.
    var indent = ""
    /// Whether the next byte written begins a line.
    var atLineStart = true
    /// Whether the last byte written was a CR: a LF after it ends no line, as a CRLF is one
    /// `Character` and not the `Character` "\n".
    var afterCR = false

    func lookup(_ key: String, _ stack: [TemplateContext]) -> TemplateValue? {
        for context in stack.reversed() {
            if let v = context[key] { return v }
        }
        return nil
    }

    /// Appends `text`, with `indent` before each non-empty line.
    mutating func write(_ text: String) {
        let bytes = text.utf8
        guard !bytes.isEmpty else { return }
        if indent.isEmpty {
            out += text
            syncLineState()
            return
        }
        var segment = bytes.startIndex
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if atLineStart, byte != 0x0A {
                out += Substring(bytes[segment..<index])
                out += indent
                segment = index
                atLineStart = false
            }
            if byte == 0x0A, !afterCR { atLineStart = true }
            afterCR = byte == 0x0D
            bytes.formIndex(after: &index)
        }
        out += Substring(bytes[segment..<bytes.endIndex])
    }

    /// Sets `atLineStart` and `afterCR` from what `out` ends with.
    mutating func syncLineState() {
        let bytes = out.utf8
        guard let last = bytes.last else {
            atLineStart = true
            afterCR = false
            return
        }
        afterCR = last == 0x0D
        atLineStart = last == 0x0A && (bytes.count < 2 || bytes[bytes.index(bytes.endIndex, offsetBy: -2)] != 0x0D)
    }

    /// Renders `body` with `extra` added to the indentation, from the start of a line; what it
    /// writes ends with a line end if it writes anything.
    mutating func indented(_ extra: String, _ body: (inout Renderer) throws(TemplateError) -> Void) throws(TemplateError) {
        let outer = indent
        let start = out.utf8.count
        indent = outer + extra
        atLineStart = true
        afterCR = false
        defer { indent = outer }
        try body(&self)
        if out.utf8.count == start {
            syncLineState()
        } else if !atLineStart {
            write("\n")
        }
    }

    mutating func render(_ nodes: [Template.Node], template name: String, stack: [TemplateContext]) throws(TemplateError) {
        for node in nodes {
            switch node {
            case .text(let s):
                write(s)
            case .variable(let key, let indent):
                guard case .text(let value)? = lookup(key, stack) else {
                    throw TemplateError(description: "template \(name): no text value for {{\(key)}}")
                }
                if let indent {
                    try indented(indent) { (renderer: inout Renderer) throws(TemplateError) in renderer.write(value) }
                } else {
                    write(value)
                }
            case .partial(let key, let indent):
                guard let partial = partials[key] else {
                    throw TemplateError(description: "template \(name): no partial {{>\(key)}}")
                }
                if let indent {
                    try indented(indent) { (renderer: inout Renderer) throws(TemplateError) in
                        try renderer.render(partial.nodes, template: partial.name, stack: stack)
                    }
                } else {
                    let start = out.utf8.count
                    try render(partial.nodes, template: partial.name, stack: stack)
                    // Inside a line: the partial's own final newline is not part of the line.
                    if out.utf8.count > start, out.hasSuffix("\n") {
                        out.removeLast()
                        syncLineState()
                    }
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
    /// The source's UTF-8: every byte the syntax looks at is ASCII, and text is copied through.
    let chars: [UInt8]
    let name: String
    var i = 0

    init(source: String, name: String) {
        chars = Array(source.utf8)
        self.name = name
    }

    private static let openBrace = UInt8(ascii: "{"), closeBrace = UInt8(ascii: "}")
    private static let newline = UInt8(ascii: "\n"), space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")

    private func string(_ range: Range<Int>) -> String {
        String(decoding: chars[range], as: UTF8.self)
    }

    /// The text from the start of the current line to `pos`, if it is all blanks.
    func blankPrefix(before pos: Int) -> String? {
        var j = pos
        while j > 0, chars[j - 1] != Self.newline {
            guard chars[j - 1] == Self.space || chars[j - 1] == Self.tab else { return nil }
            j -= 1
        }
        return string(j..<pos)
    }

    /// The index just past the line end after `pos`, if only blanks come before it.
    func lineEnd(after pos: Int) -> Int? {
        var j = pos
        while j < chars.count, chars[j] == Self.space || chars[j] == Self.tab { j += 1 }
        if j == chars.count { return j }
        return chars[j] == Self.newline ? j + 1 : nil
    }

    mutating func parse(until closing: String?) throws(TemplateError) -> [Template.Node] {
        var nodes: [Template.Node] = []
        /// Where the text not yet in a node starts, and where it ends (a standalone tag's blank
        /// prefix is not part of it).
        var textStart = i
        var textEnd = i
        func flush() {
            if textEnd > textStart { nodes.append(.text(string(textStart..<textEnd))) }
        }
        while i < chars.count {
            guard chars[i] == Self.openBrace, i + 1 < chars.count, chars[i + 1] == Self.openBrace else {
                i += 1
                textEnd = i
                continue
            }
            let tagStart = i
            var j = i + 2
            while j + 1 < chars.count, !(chars[j] == Self.closeBrace && chars[j + 1] == Self.closeBrace) { j += 1 }
            guard j + 1 < chars.count else { throw TemplateError(description: "template \(name): unclosed tag") }
            let tag = string((i + 2)..<j).trimmingBlanks()
            let tagEnd = j + 2
            let prefix = blankPrefix(before: tagStart)
            let standaloneEnd = prefix != nil ? lineEnd(after: tagEnd) : nil
            let standalone = prefix.flatMap { p in standaloneEnd.map { (p, $0) } }
            let kind = tag.first
            if kind == "#" || kind == "^" || kind == "/" {
                if let (prefix, end) = standalone {
                    textEnd -= prefix.utf8.count
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
                    textEnd -= prefix.utf8.count
                    flush()
                    nodes.append(isPartial ? .partial(key, indent: prefix) : .variable(key, indent: prefix))
                    i = end
                } else {
                    flush()
                    nodes.append(isPartial ? .partial(key, indent: nil) : .variable(key, indent: nil))
                    i = tagEnd
                }
            }
            textStart = i
            textEnd = i
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

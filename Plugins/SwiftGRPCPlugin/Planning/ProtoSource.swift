/// What the build plugin needs to know about a `.proto` file before protoc reads it: whether it
/// declares a service (so that a `.grpc.swift` file will be written for it) and which files it
/// imports (to check that the well-known types can be found).
///
/// The build system must be told every output file in advance, and the generator writes a
/// services file only for a `.proto` that declares services, so the plugin reads the source
/// itself. The scan is a tokenizer, not a parser: it skips comments and string literals and
/// recognises `service NAME {` at the top level and `import [public|weak] "path";`.
struct ProtoSource: Equatable {
    /// Whether the file declares at least one `service` at its top level.
    var declaresServices: Bool
    /// The paths the file imports, as written.
    var imports: [String]

    init(declaresServices: Bool, imports: [String]) {
        self.declaresServices = declaresServices
        self.imports = imports
    }

    /// Scans `text`, the contents of a `.proto` file.
    init(scanning text: String) {
        let tokens = ProtoSource.tokens(of: text)
        var declaresServices = false
        var imports: [String] = []
        var depth = 0
        var i = 0
        while i < tokens.count {
            switch tokens[i] {
            case .symbol("{"): depth += 1
            case .symbol("}"): depth = max(0, depth - 1)
            case .word("service") where depth == 0:
                if i + 2 < tokens.count, case .word = tokens[i + 1], tokens[i + 2] == .symbol("{") {
                    declaresServices = true
                }
            case .word("import") where depth == 0:
                var j = i + 1
                if j < tokens.count, tokens[j] == .word("public") || tokens[j] == .word("weak") { j += 1 }
                if j < tokens.count, case .string(let path) = tokens[j] { imports.append(path) }
            default: break
            }
            i += 1
        }
        self.init(declaresServices: declaresServices, imports: imports)
    }

    enum Token: Equatable {
        case word(String)
        case string(String)
        case symbol(Character)
    }

    /// Splits proto source into identifiers (dotted names included), string literals and single
    /// punctuation characters, dropping whitespace and comments.
    static func tokens(of text: String) -> [Token] {
        var tokens: [Token] = []
        let chars = Array(text)
        var i = 0
        func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "." }
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace {
                i += 1
            } else if c == "/", i + 1 < chars.count, chars[i + 1] == "/" {
                while i < chars.count, chars[i] != "\n" { i += 1 }
            } else if c == "/", i + 1 < chars.count, chars[i + 1] == "*" {
                i += 2
                while i < chars.count, !(chars[i] == "*" && i + 1 < chars.count && chars[i + 1] == "/") { i += 1 }
                i += 2
            } else if c == "\"" || c == "'" {
                var value = ""
                i += 1
                while i < chars.count, chars[i] != c {
                    if chars[i] == "\\", i + 1 < chars.count { value.append(chars[i]); i += 1 }
                    value.append(chars[i])
                    i += 1
                }
                i += 1
                tokens.append(.string(value))
            } else if isWordCharacter(c) {
                let start = i
                while i < chars.count, isWordCharacter(chars[i]) { i += 1 }
                tokens.append(.word(String(chars[start..<i])))
            } else {
                tokens.append(.symbol(c))
                i += 1
            }
        }
        return tokens
    }
}

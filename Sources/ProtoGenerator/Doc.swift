/// Doc comments from `.proto` comments.
enum Doc {
    /// `///` lines for the leading comment, or the trailing one when there is no leading comment.
    static func comment(_ c: Comments) -> String {
        let text = c.leading.isBlank ? c.trailing : c.leading
        if text.isBlank { return "" }
        var lines: [String]
        if text.utf8.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) {
            // ASCII without CR: the same lines split by byte, at a fraction of the cost.
            lines = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { line -> String in
                var l = line
                while let b = l.last, b == 0x20 || b == 0x09 { l.removeLast() }
                return String(Substring(l))
            }
        } else {
            lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
                var l = String(line)
                while l.last == " " || l.last == "\t" || l.last == "\r" { l.removeLast() }
                return l
            }
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        while lines.first?.isEmpty == true { lines.removeFirst() }
        return lines.map { $0.isEmpty ? "///" : ($0.first == " " ? "///" + $0 : "/// " + $0) }
            .joined(separator: "\n")
    }
}

extension String {
    /// Whether every `Character` is a space, tab, LF or CR (a CRLF is one `Character`, none of these).
    var isBlank: Bool {
        var afterCR = false
        for byte in utf8 {
            switch byte {
            case 0x20, 0x09, 0x0D: break
            case 0x0A where !afterCR: break
            default: return false
            }
            afterCR = byte == 0x0D
        }
        return true
    }
}

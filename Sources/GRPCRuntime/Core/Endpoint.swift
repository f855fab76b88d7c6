/// One address a target resolves to.
public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`, `[v6]:port`; a missing port is `defaultPort`, or an error without one.
    public init(parsing text: some StringProtocol, defaultPort: Int? = nil) throws(TargetError) {
        let text = String(text)
        var host = text
        var portText: String?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw TargetError("unclosed [ in address \(text)") }
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if rest.hasPrefix(":") { portText = String(rest.dropFirst()) } else if !rest.isEmpty { throw TargetError("bad address \(text)") }
        } else if let colon = text.lastIndex(of: ":") {
            // More than one colon without brackets is a bare IPv6 address.
            if text.firstIndex(of: ":") == colon {
                host = String(text[..<colon])
                portText = String(text[text.index(after: colon)...])
            }
        }
        let port: Int
        if let portText {
            guard let p = Int(portText), (0...65535).contains(p) else { throw TargetError("bad port in \(text)") }
            port = p
        } else if let defaultPort {
            port = defaultPort
        } else {
            throw TargetError("\(text) has no port (HOST:PORT)")
        }
        guard !host.isEmpty else { throw TargetError("\(text) has no host") }
        self.init(host: host, port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// A target string that cannot be used, with the reason.
public struct TargetError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

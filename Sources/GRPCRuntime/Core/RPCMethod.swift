import ProtoWire

/// The four kinds of RPC, by whether each side sends one message or a stream.
public enum RPCKind: Sendable, Hashable {
    case unary, clientStreaming, serverStreaming, bidirectionalStreaming

    /// Whether the client sends exactly one request message.
    public var hasSingleRequest: Bool { self == .unary || self == .serverStreaming }
    /// Whether the server sends exactly one response message.
    public var hasSingleResponse: Bool { self == .unary || self == .clientStreaming }
}

/// The method a call is for: what interceptors, logs and metrics know of it without its types.
public struct RPCMethod: Sendable, Hashable, CustomStringConvertible {
    /// `/package.Service/Method`.
    public let path: String
    public let kind: RPCKind

    public init(path: String, kind: RPCKind) {
        self.path = path
        self.kind = kind
    }

    /// `package.Service`: the path's first segment (empty for a malformed path).
    public var service: Substring {
        let trimmed = path.utf8.first == UInt8(ascii: "/") ? path.dropFirst() : Substring(path)
        guard let slash = trimmed.firstIndex(of: "/") else { return "" }
        return trimmed[..<slash]
    }

    /// `Method`: the path's last segment.
    public var name: Substring {
        guard let slash = path.lastIndex(of: "/") else { return Substring(path) }
        return path[path.index(after: slash)...]
    }

    public var description: String { path }
}

/// A method as clients call it and servers register it: its path and kind, typed by its messages.
public struct MethodDescriptor<Request: ProtoMessage, Response: ProtoMessage>: Sendable, Hashable {
    /// `/package.Service/Method`.
    public let path: String
    public let kind: RPCKind

    public init(path: String, kind: RPCKind) {
        self.path = path
        self.kind = kind
    }

    /// The method without its types.
    public var method: RPCMethod { RPCMethod(path: path, kind: kind) }
}

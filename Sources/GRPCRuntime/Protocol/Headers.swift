import NIOHPACK
import ProtoWire

/// Header names and values of the gRPC over HTTP/2 protocol, and the mapping
/// between HTTP/2 header blocks and `Metadata`.
enum GRPCHeader {
    static let contentType = "application/grpc"
    static let status = "grpc-status"
    static let message = "grpc-message"
    static let timeout = "grpc-timeout"
    static let encoding = "grpc-encoding"
    static let acceptEncoding = "grpc-accept-encoding"
    static let userAgent = "grpc-swift-toolkit/0.1"

    /// True for a header the protocol owns, which is never shown as metadata.
    static func isReserved(_ name: String) -> Bool {
        if name.hasPrefix(":") { return true }
        switch name {
        case "content-type", "te", "content-length", "host", "connection", "keep-alive", "transfer-encoding", "upgrade":
            return true
        default:
            // The retry headers are the calls' business: servers read the attempt count and
            // set the pushback, as in other gRPC implementations.
            return name.hasPrefix("grpc-") && name != "grpc-status-details-bin"
                && name != "grpc-previous-rpc-attempts" && name != "grpc-retry-pushback-ms"
        }
    }

    /// True when a `content-type` is gRPC: `application/grpc` or `application/grpc+…`/`;…`.
    static func isGRPCContentType(_ value: String) -> Bool {
        guard value.hasPrefix(contentType) else { return false }
        let rest = value.dropFirst(contentType.count)
        return rest.isEmpty || rest.first == "+" || rest.first == ";"
    }
}

extension Metadata {
    /// The custom metadata in a header block; protocol headers are left out.
    init(headers: HPACKHeaders) {
        self.init()
        for (name, value, _) in headers where !GRPCHeader.isReserved(name) {
            if name.hasSuffix("-bin") {
                // Several values may arrive joined with commas.
                for part in value.split(separator: ",") {
                    if let bytes = Base64.bytes(Substring(part.trimmingSpaces())) {
                        add(Entry(key: name, value: .binary(bytes)))
                    }
                }
            } else {
                add(Entry(key: name, value: .string(value)))
            }
        }
    }

    /// Appends the metadata to a header block; binary values base64-encoded, reserved keys dropped.
    func write(to headers: inout HPACKHeaders) {
        for entry in self where !GRPCHeader.isReserved(entry.key) {
            switch entry.value {
            case .string(let s): headers.add(name: entry.key, value: s)
            case .binary(let b): headers.add(name: entry.key, value: Base64.unpaddedString(b))
            }
        }
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var s = self
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return s
    }
}

extension RequestHead {
    /// The head of a request as a server reads it from its HEADERS. A malformed `grpc-timeout`
    /// counts as none.
    init(requestHeaders headers: HPACKHeaders) {
        self.init(
            path: headers.first(name: ":path") ?? "",
            metadata: Metadata(headers: headers),
            timeout: headers.first(name: GRPCHeader.timeout).flatMap(GRPCTimeout.parse).map { .nanoseconds($0) },
            encoding: headers.first(name: GRPCHeader.encoding),
            acceptedEncodings: (headers.first(name: GRPCHeader.acceptEncoding) ?? "")
                .split(separator: ",").compactMap { CompressionAlgorithm(name: String($0.trimmingSpaces())) }
        )
    }

    /// The request's HEADERS as a client sends them.
    func requestHeaders(scheme: String, authority: String) -> HPACKHeaders {
        var headers = HPACKHeaders()
        headers.add(name: ":method", value: "POST")
        headers.add(name: ":scheme", value: scheme)
        headers.add(name: ":path", value: path)
        headers.add(name: ":authority", value: authority)
        headers.add(name: "content-type", value: GRPCHeader.contentType)
        headers.add(name: "te", value: "trailers")
        headers.add(name: "user-agent", value: GRPCHeader.userAgent)
        if let timeout {
            headers.add(name: GRPCHeader.timeout, value: GRPCTimeout.format(nanoseconds: timeout.nanoseconds))
        }
        if let encoding, encoding != "identity" {
            headers.add(name: GRPCHeader.encoding, value: encoding)
        }
        headers.add(name: GRPCHeader.acceptEncoding, value: acceptedEncodings.isEmpty ? "identity" : acceptedEncodings.map(\.name).joined(separator: ","))
        metadata.write(to: &headers)
        return headers
    }
}

extension Status {
    /// The status of a response's trailers (or trailers-only headers); INTERNAL when it has none.
    init(trailers headers: HPACKHeaders) {
        guard let text = headers.first(name: GRPCHeader.status), let raw = Int(text) else {
            self.init(.internal, "the server sent no grpc-status")
            return
        }
        self.init(RPCError.Code(rawValue: raw), headers.first(name: GRPCHeader.message).map(PercentEncoding.decode) ?? "")
    }

    /// `grpc-status` and `grpc-message` added to a header block.
    func write(to headers: inout HPACKHeaders) {
        headers.add(name: GRPCHeader.status, value: String(code.rawValue))
        if !message.isEmpty {
            headers.add(name: GRPCHeader.message, value: PercentEncoding.encode(message))
        }
    }
}

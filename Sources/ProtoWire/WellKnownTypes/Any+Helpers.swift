// Hand-written conveniences for google.protobuf.Any (generated as
// `Google_Protobuf_Any`): packing a message, checking its type and
// unpacking it. Not generated: edit freely.

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Thrown by `Google_Protobuf_Any.unpack(_:)`.
public enum AnyUnpackError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The type URL names a different message.
    ///
    /// - `expected`: the `protoMessageName` of the type asked for.
    /// - `typeURL`: the `Any`'s whole `typeUrl`.
    case typeMismatch(expected: String, typeURL: String)

    /// The type URL matched but `value` is not a valid encoding of the message;
    /// carries the decoder's error unchanged.
    case malformedValue(WireDecodingError)

    /// A one-line explanation naming the types involved or the decode error.
    public var description: String {
        switch self {
        case .typeMismatch(let expected, let typeURL):
            "Any holds \"\(typeURL)\", not \(expected)"
        case .malformedValue(let error):
            "Any value does not decode: \(error)"
        }
    }
}

extension Google_Protobuf_Any {
    /// The type URL prefix that protobuf libraries use by default.
    public static let defaultTypePrefix = "type.googleapis.com"

    /// Packs `message`: its wire bytes go in `value` and `typeUrl` becomes
    /// `"<typePrefix>/<protoMessageName>"`, such as
    /// `type.googleapis.com/google.protobuf.Duration`. A trailing `/` on
    /// `typePrefix` is not doubled. A message that lacks a required field is packed as it is, as
    /// C++ and Python pack it; check `isInitialized` first where that matters.
    public init<M: ProtoMessage>(packing message: M, typePrefix: String = Google_Protobuf_Any.defaultTypePrefix) {
        let separator = typePrefix.hasSuffix("/") ? "" : "/"
        self.init(typeUrl: typePrefix + separator + M.protoMessageName, value: message.writtenData())
    }

    /// The fully qualified message name in `typeUrl`: everything after the last `/`
    /// (`"y.z"` for `"foo.bar.com/x/y.z"`), or the whole URL if it has no `/`.
    public var typeName: String {
        guard let slash = typeUrl.lastIndex(of: "/") else { return typeUrl }
        return String(typeUrl[typeUrl.index(after: slash)...])
    }

    /// Whether this `Any` holds a message of type `M`, judged by `typeName` alone
    /// (the URL's host and path prefix are ignored); `value` is not decoded.
    public func isA<M: ProtoMessage>(_ type: M.Type) -> Bool {
        typeName == M.protoMessageName
    }

    /// Decodes the packed message as an `M`.
    ///
    /// - Throws: `AnyUnpackError.typeMismatch` if `typeName` is not `M.protoMessageName`,
    ///   or `AnyUnpackError.malformedValue` wrapping the `WireDecodingError` if `value`
    ///   does not decode.
    public func unpack<M: ProtoMessage>(_ type: M.Type) throws(AnyUnpackError) -> M {
        guard isA(type) else {
            throw .typeMismatch(expected: M.protoMessageName, typeURL: typeUrl)
        }
        do throws(WireDecodingError) {
            return try M(serializedData: value)
        } catch {
            throw .malformedValue(error)
        }
    }
}

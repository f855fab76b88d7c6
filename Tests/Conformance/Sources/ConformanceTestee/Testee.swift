// The conformance testee: reads `ConformanceRequest`s from stdin, answers each with a
// `ConformanceResponse` on stdout, both framed by a little-endian 32-bit length.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ProtoWire

@main
enum ConformanceTestee {
    /// The message types this testee has compiled in, by full name.
    static let messageTypes: [String: any ProtoMessage.Type] = [
        ProtobufTestMessages_Proto3_TestAllTypesProto3.protoMessageName: ProtobufTestMessages_Proto3_TestAllTypesProto3.self,
        ProtobufTestMessages_Proto2_TestAllTypesProto2.protoMessageName: ProtobufTestMessages_Proto2_TestAllTypesProto2.self,
    ]

    /// The extensions of test_messages_proto2.proto, for JSON and the text format (binary keeps
    /// extensions in the unknown fields and needs none).
    static let extensions = ExtensionRegistry([
        ProtobufTestMessages_Proto2_Extensions_extension_int32,
        ProtobufTestMessages_Proto2_TestAllTypesProto2.MessageSetCorrectExtension1.Extensions.message_set_extension,
        ProtobufTestMessages_Proto2_TestAllTypesProto2.MessageSetCorrectExtension2.Extensions.message_set_extension,
    ])

    static func main() {
        // `Any` fields in the test messages hold the test messages themselves.
        TypeRegistry.registerShared(ProtobufTestMessages_Proto3_TestMessagesProto3_MessageTypes)
        while let frame = readFrame() {
            let response: Conformance_ConformanceResponse
            do {
                let request = try Conformance_ConformanceRequest(serializedBytes: frame)
                response = Conformance_ConformanceResponse(result: answer(request))
            } catch {
                response = Conformance_ConformanceResponse(result: .runtimeError("the request did not decode: \(error)"))
            }
            writeFrame(response.serializedBytes())
        }
    }

    static func answer(_ request: Conformance_ConformanceRequest) -> Conformance_ConformanceResponse.ResultOneof {
        // The runner first asks which tests are expected to fail; the list is given to it
        // instead (Tests/Conformance/failure_list.txt), so the set sent back is empty.
        if request.messageType == Conformance_FailureSet.protoMessageName {
            return .protobufPayload(Conformance_FailureSet().serializedData())
        }
        guard let type = messageTypes[request.messageType] else {
            return .skipped("\(request.messageType) is not compiled into this testee")
        }
        return roundTrip(type, request)
    }

    /// Reads the payload as `M` and writes it back in the requested format.
    static func roundTrip<M: ProtoMessage>(_: M.Type, _ request: Conformance_ConformanceRequest) -> Conformance_ConformanceResponse.ResultOneof {
        let message: M
        do {
            switch request.payload {
            case .protobufPayload(let bytes):
                message = try M(serializedData: bytes)
            case .jsonPayload(let json):
                let options = JSONDecodingOptions(
                    ignoreUnknownFields: request.testCategory == .jsonIgnoreUnknownParsingTest, extensions: extensions)
                message = try M(jsonString: json, options: options)
            case .textPayload(let text):
                message = try M(textFormatString: text, options: TextFormatDecodingOptions(extensions: extensions))
            case .jspbPayload:
                return .skipped("JSPB is not supported")
            case nil:
                return .runtimeError("the request has no payload")
            }
        } catch {
            return .parseError("\(error)")
        }
        switch request.requestedOutputFormat {
        case .protobuf:
            do { return .protobufPayload(try message.serializedData()) } catch { return .serializeError("\(error)") }
        case .json:
            do { return .jsonPayload(try message.jsonString(options: JSONEncodingOptions(extensions: extensions))) } catch { return .serializeError("\(error)") }
        case .textFormat:
            return .textPayload(message.textFormatString(options: TextFormatEncodingOptions(printUnknownFields: request.printUnknownFields, extensions: extensions)))
        case .jspb:
            return .skipped("JSPB is not supported")
        default:
            return .runtimeError("unknown output format \(request.requestedOutputFormat)")
        }
    }

    /// The next request's bytes; nil at the end of input.
    static func readFrame() -> [UInt8]? {
        guard let header = readExactly(4) else { return nil }
        let count = Int(header[0]) | Int(header[1]) << 8 | Int(header[2]) << 16 | Int(header[3]) << 24
        return readExactly(count)
    }

    static func readExactly(_ count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = bytes.withUnsafeMutableBytes { read(0, $0.baseAddress! + filled, count - filled) }
            if n <= 0 { return nil }
            filled += n
        }
        return bytes
    }

    static func writeFrame(_ payload: [UInt8]) {
        let count = UInt32(payload.count)
        var frame: [UInt8] = [UInt8(count & 0xff), UInt8(count >> 8 & 0xff), UInt8(count >> 16 & 0xff), UInt8(count >> 24)]
        frame += payload
        var written = 0
        while written < frame.count {
            let n = frame.withUnsafeBytes { write(1, $0.baseAddress! + written, frame.count - written) }
            if n <= 0 { exit(1) }
            written += n
        }
    }
}

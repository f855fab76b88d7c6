/// Fields a message did not recognise when it was decoded, kept as their raw
/// bytes (tags included) and written back after the known fields.
public struct UnknownFields: Hashable, Sendable {
    /// The raw wire bytes, in the order they were read.
    public var bytes: [UInt8]

    @inlinable
    public init() { bytes = [] }

    @inlinable
    public init(bytes: [UInt8]) { self.bytes = bytes }

    @inlinable
    public var isEmpty: Bool { bytes.isEmpty }

    /// The encoded size of the preserved fields.
    @inlinable
    public var count: Int { bytes.count }

    @inlinable
    public mutating func append(_ raw: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: raw)
    }

    @usableFromInline
    mutating func appendVarintField(_ fieldNumber: Int, _ value: UInt64) {
        let size = WireSize.tag(fieldNumber) + Varint.size(value)
        let old = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: size))
        bytes.withUnsafeMutableBytes { buffer in
            var w = WireWriter(start: buffer.baseAddress! + old)
            w.writeTag(fieldNumber, .varint)
            w.writeVarint(value)
        }
    }
}

// Groups: proto2's `group` fields and editions' `message_encoding = DELIMITED`. A group's
// message is written between a start-group and an end-group tag of its field, with no length.

extension WireReader {
    /// Decodes a group (its start-group tag read), merging into `message`, up to its end-group
    /// tag. An end-group tag of another field, or none before the enclosing message ends, is an
    /// error naming the group's field.
    @inlinable @inline(never)
    public mutating func readGroup<M: ProtoMessage>(into message: inout M) throws(WireDecodingError) {
        let field = currentFieldNumber
        guard depth < WireReader.recursionLimit else { throw error(.recursionLimitExceeded, field: field) }
        let outerGroup = openGroup
        let outerGroupDepth = openGroupDepth
        depth += 1
        openGroup = field
        openGroupDepth = depth
        do { try message.merge(from: &self) } catch { throw error.inField(field) }
        guard openGroup == -1 else { throw error(.unterminatedGroup, field: field) }
        depth -= 1
        openGroup = outerGroup
        openGroupDepth = outerGroupDepth
    }

    /// Merges a group into `message`, which is created first if absent.
    @inlinable @inline(never)
    public mutating func readGroup<M: ProtoMessage>(into message: inout M?) throws(WireDecodingError) {
        var m = message ?? M()
        message = nil  // keeps `m` uniquely referenced while it is decoded into
        defer { message = m }
        try readGroup(into: &m)
    }

    /// A group, as an element of a repeated field or a oneof member.
    @inlinable @inline(never)
    public mutating func readGroup<M: ProtoMessage>() throws(WireDecodingError) -> M {
        var m = M()
        try readGroup(into: &m)
        return m
    }
}

extension WireWriter {
    /// A group: the message between start-group and end-group tags of `field`.
    @inlinable
    public mutating func writeGroup<M: ProtoMessage>(_ field: Int, _ message: M) {
        writeTag(field, .startGroup)
        message.encode(to: &self)
        writeTag(field, .endGroup)
    }
}

extension WireSize {
    /// The size of a group after its start-group tag, given its message's `encodedSize()`:
    /// generated code adds the start and end tags (a group's tag size counts twice).
    @inlinable
    public static func group(_ messageSize: Int) -> Int { messageSize }
}

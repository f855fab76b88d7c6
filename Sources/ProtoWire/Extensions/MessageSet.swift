// The MessageSet wire format (`option message_set_wire_format = true;`): a message with no fields
// of its own whose extensions travel as repeated items,
//
//     repeated group Item = 1 { required int32 type_id = 2; required bytes message = 3; }
//
// one item per extension, `type_id` its field number and `message` its value's bytes. Generated
// code for such a message calls `MessageSetWire` instead of reading and writing fields: decoding
// turns each item into the extension field it stands for (`type_id`, length-delimited, the bytes
// of `message`), kept in the unknown fields like any extension, so `get`, `set`, JSON and the text
// format need nothing more; encoding turns each length-delimited unknown field back into an item.

/// Reading and writing a MessageSet's items; called by generated code.
public enum MessageSetWire {
    /// Reads a MessageSet's fields up to the end of the reader's current message. Each item
    /// becomes the extension field it holds, appended to `unknownFields`; `type_id` and
    /// `message` may come in either order, several `message`s are merged (their bytes joined),
    /// and other fields inside an item are dropped. Fields other than items are kept as they came.
    /// - Throws: `WireDecodingError` for malformed bytes, and `.malformedMessageSetItem` (naming
    ///   field 1 and the item's offset) for an item without a valid `type_id`.
    public static func merge(from reader: inout WireReader, into unknownFields: inout UnknownFields) throws(WireDecodingError) {
        while let tag = try reader.nextTag() {
            guard tag.fieldNumber == itemField, tag.wireType == .startGroup else {
                try reader.skip(tag, into: &unknownFields)
                continue
            }
            try readItem(from: &reader, into: &unknownFields)
        }
    }

    /// Reads one item, its start-group tag read.
    static func readItem(from reader: inout WireReader, into unknownFields: inout UnknownFields) throws(WireDecodingError) {
        let itemStart = reader.tagStart
        var typeID: UInt64?
        var payload: [UInt8]?
        while true {
            guard reader.cursor < reader.end else { throw reader.error(.unterminatedGroup, field: itemField) }
            let start = reader.cursor
            let tag = try reader.readTag()
            if tag.wireType == .endGroup {
                guard tag.fieldNumber == itemField else {
                    reader.cursor = start
                    throw reader.error(.unmatchedEndGroup, field: tag.fieldNumber)
                }
                break
            }
            switch (tag.fieldNumber, tag.wireType) {
            case (typeIDField, .varint):
                typeID = try reader.readVarint()
            case (messageField, .lengthDelimited):
                let length = try reader.readLength()
                payload = (payload ?? []) + UnsafeRawBufferPointer(start: reader.cursor, count: length)
                reader.cursor += length
            default:
                do { try reader.skipValue(tag) } catch { throw error.inField(itemField) }
            }
        }
        guard let typeID, typeID >= 1, typeID <= UInt64(maximumFieldNumber) else {
            throw reader.error(.malformedMessageSetItem, at: itemStart)
        }
        let bytes = payload ?? []
        let fieldNumber = Int(typeID)
        let size = WireSize.tag(fieldNumber) + Varint.size(UInt64(bytes.count)) + bytes.count
        let old = unknownFields.bytes.count
        unknownFields.bytes.append(contentsOf: repeatElement(0, count: size))
        unknownFields.bytes.withUnsafeMutableBytes { buffer in
            var writer = WireWriter(start: buffer.baseAddress! + old)
            writer.writeTag(fieldNumber, .lengthDelimited)
            writer.writeVarint(UInt64(bytes.count))
            bytes.withUnsafeBytes { writer.writeBytes($0) }
        }
    }

    /// The size `encode(_:to:)` writes for `unknownFields`.
    public static func encodedSize(_ unknownFields: UnknownFields) -> Int {
        var size = 0
        forEachField(unknownFields) { field in
            switch field {
            case .item(let number, let payload):
                size += itemSize(number, payload.count)
            case .verbatim(let bytes):
                size += bytes.count
            }
        }
        return size
    }

    /// Writes `unknownFields` in the MessageSet format: each length-delimited field as an item
    /// (`type_id` first, then `message`), anything else as it is.
    public static func encode(_ unknownFields: UnknownFields, to writer: inout WireWriter) {
        forEachField(unknownFields) { field in
            switch field {
            case .item(let number, let payload):
                writer.writeTag(itemField, .startGroup)
                writer.writeTag(typeIDField, .varint)
                writer.writeVarint(UInt64(number))
                writer.writeTag(messageField, .lengthDelimited)
                writer.writeVarint(UInt64(payload.count))
                writer.writeBytes(payload)
                writer.writeTag(itemField, .endGroup)
            case .verbatim(let bytes):
                writer.writeBytes(bytes)
            }
        }
    }

    static let itemField = 1
    static let typeIDField = 2
    static let messageField = 3

    /// An item's bytes, start- and end-group tags included.
    static func itemSize(_ number: Int, _ payloadCount: Int) -> Int {
        WireSize.tag(itemField) * 2 + WireSize.tag(typeIDField) + Varint.size(UInt64(number))
            + WireSize.tag(messageField) + Varint.size(UInt64(payloadCount)) + payloadCount
    }

    enum Field {
        /// A length-delimited field: an extension, written as an item.
        case item(Int, UnsafeRawBufferPointer)
        /// Anything else, written as it is.
        case verbatim(UnsafeRawBufferPointer)
    }

    /// Calls `body` with each field of `unknownFields`. Bytes that do not parse (which decoding
    /// never keeps, but a program may set) are handed over verbatim, so that size and encoding agree.
    static func forEachField(_ unknownFields: UnknownFields, _ body: (Field) -> Void) {
        unknownFields.bytes.withUnsafeBytes { bytes in
            var reader = WireReader(bytes)
            while !reader.isAtEnd {
                let start = reader.cursor
                guard let tag = try? reader.nextTag(), (try? reader.skipValue(tag)) != nil else {
                    body(.verbatim(UnsafeRawBufferPointer(start: start, count: reader.end - start)))
                    return
                }
                if tag.wireType == .lengthDelimited {
                    // Past the tag and the length: the payload ends where the field does.
                    var inner = reader
                    inner.cursor = start
                    _ = try? inner.readTag()
                    let length = (try? inner.readLength()) ?? 0
                    body(.item(tag.fieldNumber, UnsafeRawBufferPointer(start: inner.cursor, count: length)))
                } else {
                    body(.verbatim(UnsafeRawBufferPointer(start: start, count: reader.cursor - start)))
                }
            }
        }
    }
}

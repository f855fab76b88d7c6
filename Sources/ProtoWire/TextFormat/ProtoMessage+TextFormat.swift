// The protobuf text format for every message: `textFormatString()`, `init(textFormatString:)`
// and `description`. Messages reach the printer and the parser through their field hook
// (`messageSchema`, `visitFields(_:)`, `decodeField(_:from:)`); see ProtoMessage.

extension ProtoMessage {
    /// The message in the text format: one field per line, nested messages indented, unknown
    /// fields by number (unless `options` says otherwise).
    public func textFormatString(options: TextFormatEncodingOptions = TextFormatEncodingOptions()) -> String {
        var encoder = TextFormatEncoder(options: options, capacity: 256)
        defer { encoder.out.free() }
        encoder.writeFields(of: self)
        return encoder.out.makeString()
    }

    /// Reads a message from the text format.
    ///
    /// - Throws: `TextFormatDecodingError` naming the line, the column and the field path of
    ///   the first problem. Never traps on bad input; messages may nest at most 100 deep.
    public init(textFormatString text: String, options: TextFormatDecodingOptions = TextFormatDecodingOptions()) throws(TextFormatDecodingError) {
        self.init()
        var text = text
        var failure: TextFormatDecodingError?
        var message = Self()
        text.withUTF8 { utf8 in
            var decoder = TextFormatDecoder(UnsafeRawBufferPointer(utf8), options: options)
            do throws(TextFormatDecodingError) {
                try decoder.decodeDocument(into: &message)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        self = message
    }

    /// The message in the text format (`textFormatString()`). For a type generated before
    /// field tables existed, its `debugDescription`.
    public var description: String {
        Self.messageSchema.isOpaque ? debugDescription : textFormatString()
    }
}

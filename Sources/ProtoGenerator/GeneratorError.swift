/// A problem with the input that stops generation, naming the file and the element.
public struct GeneratorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The `.proto` file, as named in the request.
    public var file: String
    /// The element, such as `fixtures.Outer.field_name`; empty for the file as a whole.
    public var element: String
    public var message: String

    public init(file: String, element: String, message: String) {
        self.file = file
        self.element = element
        self.message = message
    }

    public var description: String {
        [file, element, message].filter { !$0.isEmpty }.joined(separator: ": ")
    }
}

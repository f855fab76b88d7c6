/// An enum type's value names: what the JSON mapping and the text format write for each number,
/// and read back. Aliases (several names for one number) are all accepted on input; the first
/// declared name is the one written.
///
/// Generated code builds one per enum, once, as a `static let`, from its values in text
/// (see `init(for:_:values:)`):
///
///     public static let enumSchema = EnumSchema(for: Self.self, "fixtures.Color",
///                                               values: "0 COLOR_UNSPECIFIED 1 COLOR_RED 2 COLOR_GREEN")
public final class EnumSchema: @unchecked Sendable {
    /// The fully qualified name from the `.proto`, such as `google.protobuf.NullValue`.
    public let enumName: String
    /// Every declared value, aliases included, in declaration order.
    public let values: [(number: Int32, name: String)]
    /// Whether the enum is closed (proto2): numbers it does not declare are not values of it.
    public let isClosed: Bool

    /// Names by number for a dense range of numbers starting at `denseBase`; else empty.
    private let denseNames: [Int32]
    private let denseBase: Int32
    /// Number → index in `values` of its first name, for sparse enums.
    private let sparseNames: [Int32: Int]
    private let names: NameTable
    /// Each value's JSON string (`"NAME"`), by index in `values`; owned (the schema is
    /// immutable, hence `@unchecked Sendable`).
    let jsonStrings: KeyBytes

    /// Builds the schema of `type` from its values, aliases included, in declaration order.
    public init<E: ProtoEnum>(for type: E.Type, _ name: String, _ values: [(Int32, String)]) {
        self.enumName = name
        self.values = values.map { (number: $0.0, name: $0.1) }
        self.isClosed = !(type is any OpenProtoEnum.Type)
        var sparse: [Int32: Int] = [:]
        for (i, v) in values.enumerated() where sparse[v.0] == nil { sparse[v.0] = i }
        let low = values.map(\.0).min() ?? 0, high = values.map(\.0).max() ?? 0
        if Int(high) - Int(low) < 4 * values.count + 16 {
            var dense = [Int32](repeating: -1, count: Int(high) - Int(low) + 1)
            for (number, index) in sparse { dense[Int(number) - Int(low)] = Int32(index) }
            self.denseNames = dense
            self.denseBase = low
            self.sparseNames = [:]
        } else {
            self.denseNames = []
            self.denseBase = 0
            self.sparseNames = sparse
        }
        self.names = NameTable(values.enumerated().map { ($0.element.1, $0.offset) })
        self.jsonStrings = KeyBytes(values.map { JSONKey.quoted($0.1) })
    }

    deinit {
        jsonStrings.deallocate()
    }

    private static let namelessSchemas = Locked<[ObjectIdentifier: EnumSchema]>([:])

    /// The shared schema of an enum generated before schemas existed: no names, so its values
    /// are written and read as numbers.
    static func nameless<E: ProtoEnum>(for type: E.Type) -> EnumSchema {
        namelessSchemas.withLock { cache in
            if let s = cache[ObjectIdentifier(type)] { return s }
            let s = EnumSchema(for: type, String(describing: type), [])
            cache[ObjectIdentifier(type)] = s
            return s
        }
    }

    /// The index in `values` of the first name of `number`, or nil for a number without a name.
    @inline(__always)
    func index(ofNumber number: Int32) -> Int? {
        if !denseNames.isEmpty {
            let offset = Int(number) - Int(denseBase)
            guard offset >= 0, offset < denseNames.count else { return nil }
            let i = denseNames[offset]
            return i < 0 ? nil : Int(i)
        }
        return sparseNames[number]
    }

    /// The name written for `number`, or nil when the enum declares no such number.
    public func name(of number: Int32) -> String? {
        index(ofNumber: number).map { values[$0].name }
    }

    /// The number of the value (or alias) called `name`, or nil.
    public func number(named name: String) -> Int32? {
        names.lookup(name).map { values[$0].number }
    }

    /// The number for the name in `count` bytes at `start`, or nil.
    func number(named start: UnsafeRawPointer?, _ count: Int) -> Int32? {
        names.lookup(start, count).map { values[$0].number }
    }
}

import Foundation
import GeneratedFixtures
import ProtoWire
import TestSupport

/// Random fixture messages full of edge values, built in Swift for the Swift → Python direction.
///
/// Mirrors the shape of differential.py's generator: each message is empty, sparse, half full or
/// dense; fields with presence are sometimes set to their zero value; nesting stops at
/// `maxDepth`; deeper levels get fewer repeated, map and message fields.
final class FixtureRandom {
    static let maxDepth = 5

    private var rng: SplitMix64
    /// The share of fields set in the message being built.
    private var density = 0.5
    /// Whether the message built last holds a NaN anywhere (then `==` cannot hold after decoding).
    private(set) var producedNaN = false

    /// Message `index` of a run depends only on `(seed, index)`.
    init(seed: UInt64, index: Int) {
        var mixer = SplitMix64(seed: seed ^ (UInt64(index) &* 0xD1B5_4A32_D192_ED03))
        rng = SplitMix64(seed: mixer.next())
    }

    /// Starts a root message: picks its density and clears the NaN flag.
    func beginMessage() {
        producedNaN = false
        let r = unit()
        density = r < 0.03 ? 0 : r < 0.2 ? 0.9 : r < 0.5 ? 0.2 : 0.5
    }

    // MARK: Primitive randomness

    func next() -> UInt64 { rng.next() }

    /// Uniform in [0, 1).
    func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    func chance(_ p: Double) -> Bool { unit() < p }

    /// Uniform in `range`.
    func int(_ range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next() % width)
    }

    func pick<T>(_ choices: [T]) -> T { choices[int(0...choices.count - 1)] }

    /// The top `bits` bits of a random word (1...64).
    private func randomBits(_ bits: Int) -> UInt64 { next() >> UInt64(64 - bits) }

    // MARK: Field decisions

    /// A singular field without presence, or a proto3 `optional`.
    func field() -> Bool { chance(density) }
    /// A repeated or map field of scalars at `depth`.
    func repeatedField(_ depth: Int) -> Bool { chance(density * pow(0.6, Double(depth))) }
    /// A message field (singular, repeated or map of messages) of a message at `depth`.
    func messageField(_ depth: Int) -> Bool {
        depth < Self.maxDepth && chance(density * pow(0.75, Double(depth)))
    }
    /// Whether a oneof gets a member.
    func oneof() -> Bool { density > 0 && chance(density + 0.2) }

    /// A value for a field with explicit presence: sometimes the zero value, which is still written.
    func present<T>(_ zero: T, _ make: () -> T) -> T { chance(0.2) ? zero : make() }

    /// A sub-message: usually filled, sometimes empty (which is still written).
    func sub<T: ProtoMessage>(_ make: () -> T) -> T { chance(0.85) ? make() : T() }

    /// How many elements a repeated field or map gets.
    func count(_ depth: Int, message: Bool) -> Int {
        if message {
            if depth == 0 && chance(0.03) { return int(8...20) }
            return int(0...max(0, 3 - depth))
        }
        let r = unit()
        if r < 0.2 { return 0 }
        if r < 0.85 || (depth > 0 && r < 0.99) { return int(1...4) }
        if r < 0.99 { return int(5...30) }
        return depth == 0 ? int(50...200) : int(5...12)
    }

    func list<T>(_ depth: Int, _ make: () -> T) -> [T] {
        (0..<count(depth, message: false)).map { _ in make() }
    }

    func messages<T: ProtoMessage>(_ depth: Int, _ make: () -> T) -> [T] {
        (0..<count(depth, message: true)).map { _ in sub(make) }
    }

    /// A map: keys are sometimes the zero key, scalar values sometimes the zero value. A key equal
    /// to one already present (for strings: canonically equivalent, "é" and "e\u{301}") is skipped,
    /// since a Swift dictionary cannot hold both.
    func map<K: Hashable, V>(_ depth: Int, message: Bool = false, key: () -> K, zeroKey: K,
                             value: () -> V, zeroValue: V) -> [K: V] {
        var result: [K: V] = [:]
        for _ in 0..<count(depth, message: message) {
            let k = chance(0.1) ? zeroKey : key()
            let v = !message && chance(0.1) ? zeroValue : value()
            if result[k] == nil { result[k] = v }
        }
        return result
    }

    // MARK: Scalars

    static let int32Edges: [Int32] = [0, 1, -1, 2, -2, 63, -64, 64, -65, 127, 128, -128, 255, 256, 300, 16383, 16384,
                                      -16384, 2_097_151, 2_097_152, 268_435_455, 268_435_456, .max, .min, .max - 1,
                                      .min + 1]
    static let int64Edges: [Int64] = int32Edges.map { Int64($0) } + int64OnlyEdges
    private static let int64OnlyEdges: [Int64] = [
        4_294_967_295, 4_294_967_296, 34_359_738_367, 34_359_738_368, 4_398_046_511_103, 562_949_953_421_311,
        72_057_594_037_927_935, 9_007_199_254_740_991, 9_007_199_254_740_992, 9_007_199_254_740_993,
        -9_007_199_254_740_993, Int64.max, Int64.min, Int64.max - 1, Int64.min + 1,
    ]
    static let uint32Edges: [UInt32] = [0, 1, 2, 127, 128, 255, 256, 16383, 16384, 2_097_151, 2_097_152, 268_435_455,
                                        268_435_456, 2_147_483_647, 2_147_483_648, UInt32.max, UInt32.max - 1]
    static let uint64Edges: [UInt64] = uint32Edges.map { UInt64($0) } + uint64OnlyEdges
    private static let uint64OnlyEdges: [UInt64] = [
        4_294_967_296, 34_359_738_367, 34_359_738_368, 9_007_199_254_740_993, 9_223_372_036_854_775_807,
        9_223_372_036_854_775_808, UInt64.max, UInt64.max - 1,
    ]

    func int32() -> Int32 {
        let r = unit()
        if r < 0.3 { return pick(Self.int32Edges) }
        if r < 0.55 { return Int32(int(-300...300)) }
        let value = Int32(truncatingIfNeeded: randomBits(int(1...32)))
        return chance(0.4) ? 0 &- value : value
    }

    func int64() -> Int64 {
        let r = unit()
        if r < 0.3 { return pick(Self.int64Edges) }
        if r < 0.55 { return Int64(int(-300...300)) }
        let value = Int64(truncatingIfNeeded: randomBits(int(1...64)))
        return chance(0.4) ? 0 &- value : value
    }

    func uint32() -> UInt32 {
        let r = unit()
        if r < 0.3 { return pick(Self.uint32Edges) }
        if r < 0.55 { return UInt32(int(0...300)) }
        return UInt32(truncatingIfNeeded: randomBits(int(1...32)))
    }

    func uint64() -> UInt64 {
        let r = unit()
        if r < 0.3 { return pick(Self.uint64Edges) }
        if r < 0.55 { return UInt64(int(0...300)) }
        return randomBits(int(1...64))
    }

    func bool() -> Bool { chance(0.5) }

    static let doubleEdges: [Double] = [
        0, -0.0, 1, -1, 0.5, -2.5, 0.1, 9_007_199_254_740_992, 9_007_199_254_740_994, .infinity, -.infinity, .nan, -.nan,
        Double(bitPattern: 0x7FF8_0000_0000_0001),  // quiet NaN with a payload
        Double(bitPattern: 0x7FF0_0000_0000_0001),  // signalling NaN
        Double(bitPattern: 0xFFF4_0000_DEAD_BEEF),  // negative signalling NaN with a payload
        .leastNonzeroMagnitude, -.leastNonzeroMagnitude, Double(bitPattern: 0x000F_FFFF_FFFF_FFFF),
        .leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .pi, 1e300, -1e-300,
    ]
    static let floatEdges: [Float] = [
        0, -0.0, 1, -1, 0.5, -2.5, 0.1, 16_777_216, 16_777_218, .infinity, -.infinity, .nan, -.nan,
        Float(bitPattern: 0x7FC0_0001),  // quiet NaN with a payload
        Float(bitPattern: 0x7F80_0001),  // signalling NaN (Python keeps it when it only parses it)
        Float(bitPattern: 0xFFC0_0000),  // negative quiet NaN
        .leastNonzeroMagnitude, Float(bitPattern: 0x007F_FFFF), .leastNormalMagnitude, .greatestFiniteMagnitude,
        -.greatestFiniteMagnitude,
    ]

    func double() -> Double {
        let r = unit()
        let value: Double
        if r < 0.35 {
            value = pick(Self.doubleEdges)
        } else if r < 0.5 {
            value = Double(bitPattern: next())  // any bit pattern, NaN payloads included
        } else if r < 0.7 {
            value = Double(int(-1000...1000))
        } else {
            value = (unit() * 2 - 1) * 1e6 * pow(10, Double(int(-30...30)))
        }
        if value.isNaN { producedNaN = true }
        return value
    }

    func float() -> Float {
        let r = unit()
        let value: Float
        if r < 0.35 {
            value = pick(Self.floatEdges)
        } else if r < 0.5 {
            value = Float(bitPattern: UInt32(truncatingIfNeeded: next()))
        } else if r < 0.7 {
            value = Float(int(-1000...1000))
        } else {
            value = Float((unit() * 2 - 1) * 1e6)
        }
        if value.isNaN { producedNaN = true }
        return value
    }

    static let stringPieces: [String] = [
        "a", "Z", "hello", " ", "\t", "\r\n", "\u{0}", "\u{7F}", "\u{80}", "\u{FF}", "é", "e\u{301}", "ß", "\u{7FF}",
        "\u{800}", "中文", "日本語", "한국어", "עברית", "العربية", "\u{FEFF}", "\u{200D}", "\u{FFFD}", "\u{FFFF}",
        "\u{FFFE}", "\u{10000}", "😀", "𝄞", "🦄", "👨\u{200D}👩\u{200D}👧", "🇨🇭", "\u{10FFFF}", "Å", "A\u{30A}",
        "\u{212B}", "\u{2126}", "Ω", "\"quoted\"", "back\\slash", "%s{}",
    ]

    func codePoint() -> Unicode.Scalar {
        let r = unit()
        let value: Int
        if r < 0.5 {
            value = int(0x20...0x7E)
        } else if r < 0.65 {
            value = int(0x80...0x7FF)
        } else if r < 0.85 {
            let c = int(0x800...(0xFFFF - 0x800))
            value = c < 0xD800 ? c : c + 0x800  // skip the surrogates
        } else {
            value = int(0x10000...0x10FFFF)  // astral
        }
        return Unicode.Scalar(UInt32(value))!
    }

    func codePoints(_ count: Int) -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<count { scalars.append(codePoint()) }
        return String(scalars)
    }

    func string() -> String {
        let r = unit()
        if r < 0.15 { return "" }
        if r < 0.45 { return (0..<int(1...4)).map { _ in pick(Self.stringPieces) }.joined() }
        if r < 0.95 { return codePoints(int(1...40)) }
        if r < 0.995 { return codePoints(int(100...1500)) }
        return String(repeating: "x", count: int(1024...4096)) + "🦄"
    }

    /// Map keys Unicode treats as equal or orders differently from their UTF-8 bytes.
    static let trickyKeys: [String] = [
        "\u{E9}", "e\u{301}", "\u{C5}", "A\u{30A}", "\u{212B}", "\u{3A9}", "\u{2126}", "\u{C6}", "\u{1E69}",
        "s\u{323}\u{307}", "s\u{307}\u{323}", "Z", "a", "\u{FF21}", "\u{1F600}", "\u{FB01}", "ab", "abc", "a\u{0}",
    ]

    func stringKey() -> String {
        let r = unit()
        if r < 0.3 { return pick(Self.trickyKeys) }
        if r < 0.32 { return String(repeating: "k", count: int(128...600)) }  // a 2-byte length
        return string()
    }

    static let oddBytes: [[UInt8]] = [[0x00], [0xFF, 0xFE], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0x80], [UInt8](repeating: 0, count: 16)]

    func randomBytes(_ count: Int) -> Data {
        var bytes = [UInt8]()
        bytes.reserveCapacity(count + 8)
        while bytes.count < count {
            var word = next()
            for _ in 0..<8 {
                bytes.append(UInt8(truncatingIfNeeded: word))
                word >>= 8
            }
        }
        return Data(bytes.prefix(count))
    }

    func bytes() -> Data {
        let r = unit()
        if r < 0.15 { return Data() }
        if r < 0.25 { return Data(pick(Self.oddBytes)) }
        if r < 0.9 { return randomBytes(int(1...32)) }
        if r < 0.99 { return randomBytes(int(33...2000)) }
        return randomBytes(int(2001...4096))
    }

    /// A declared value, or (15%) a number the enum does not declare, as `.unrecognized(n)`.
    func enumValue<E: ProtoEnum>(_ unrecognized: (Int32) -> E) -> E {
        let cases = Array(E.allCases)
        if chance(0.15) {
            let declared = Set(cases.map(\.rawValue))
            let candidates = [Int32.min, .max, -1, 3, 7, 99, 1000, -1000, int32()].filter { !declared.contains($0) }
            return unrecognized(pick(candidates))
        }
        return pick(cases)
    }
}

// MARK: - fixtures.Scalars

extension FixtureRandom {
    func scalars() -> Fixtures_Scalars {
        beginMessage()
        var m = Fixtures_Scalars()
        if field() { m.fDouble = double() }
        if field() { m.fFloat = float() }
        if field() { m.fInt32 = int32() }
        if field() { m.fInt64 = int64() }
        if field() { m.fUint32 = uint32() }
        if field() { m.fUint64 = uint64() }
        if field() { m.fSint32 = int32() }
        if field() { m.fSint64 = int64() }
        if field() { m.fFixed32 = uint32() }
        if field() { m.fFixed64 = uint64() }
        if field() { m.fSfixed32 = int32() }
        if field() { m.fSfixed64 = int64() }
        if field() { m.fBool = bool() }
        if field() { m.fString = string() }
        if field() { m.fBytes = bytes() }

        if repeatedField(0) { m.rDouble = list(0, double) }
        if repeatedField(0) { m.rFloat = list(0, float) }
        if repeatedField(0) { m.rInt32 = list(0, int32) }
        if repeatedField(0) { m.rInt64 = list(0, int64) }
        if repeatedField(0) { m.rUint32 = list(0, uint32) }
        if repeatedField(0) { m.rUint64 = list(0, uint64) }
        if repeatedField(0) { m.rSint32 = list(0, int32) }
        if repeatedField(0) { m.rSint64 = list(0, int64) }
        if repeatedField(0) { m.rFixed32 = list(0, uint32) }
        if repeatedField(0) { m.rFixed64 = list(0, uint64) }
        if repeatedField(0) { m.rSfixed32 = list(0, int32) }
        if repeatedField(0) { m.rSfixed64 = list(0, int64) }
        if repeatedField(0) { m.rBool = list(0, bool) }
        if repeatedField(0) { m.rString = list(0, string) }
        if repeatedField(0) { m.rBytes = list(0, bytes) }

        if oneof() { m.oDouble = present(0, double) }
        if oneof() { m.oFloat = present(0, float) }
        if oneof() { m.oInt32 = present(0, int32) }
        if oneof() { m.oInt64 = present(0, int64) }
        if oneof() { m.oUint32 = present(0, uint32) }
        if oneof() { m.oUint64 = present(0, uint64) }
        if oneof() { m.oSint32 = present(0, int32) }
        if oneof() { m.oSint64 = present(0, int64) }
        if oneof() { m.oFixed32 = present(0, uint32) }
        if oneof() { m.oFixed64 = present(0, uint64) }
        if oneof() { m.oSfixed32 = present(0, int32) }
        if oneof() { m.oSfixed64 = present(0, int64) }
        if oneof() { m.oBool = present(false, bool) }
        if oneof() { m.oString = present("", string) }
        if oneof() { m.oBytes = present(Data(), bytes) }

        if repeatedField(0) { m.unpackedInt32 = list(0, int32) }
        if repeatedField(0) { m.unpackedSint64 = list(0, int64) }
        if repeatedField(0) { m.unpackedFixed32 = list(0, uint32) }
        if repeatedField(0) { m.unpackedDouble = list(0, double) }
        if repeatedField(0) { m.unpackedBool = list(0, bool) }
        if repeatedField(0) { m.explicitlyPackedUint64 = list(0, uint64) }

        if messageField(0) { m.fieldNumbers = sub { fieldNumbers(1) } }
        if messageField(0) { m.fieldNumbersList = messages(0) { fieldNumbers(1) } }
        return m
    }

    func fieldNumbers(_ depth: Int) -> Fixtures_FieldNumbers {
        var m = Fixtures_FieldNumbers()
        if field() { m.largest = string() }
        if field() { m.one = int32() }
        if field() { m.twoByteTagFirst = uint64() }
        if field() { m.oneByteTagLast = int32() }
        if field() { m.threeByteTagFirst = bytes() }
        if repeatedField(depth) { m.twoByteTagLast = list(depth, int32) }
        if oneof() { m.fourByteTagFirst = present(false, bool) }
        if field() { m.threeByteTagLast = float() }
        if field() { m.fourByteTagLast = double() }
        if field() { m.fiveByteTagFirst = uint64() }
        if field() { m.justBelowReserved = int64() }
        if field() { m.justAboveReserved = int64() }
        return m
    }
}

// MARK: - fixtures.enums.Enums

extension FixtureRandom {
    func color() -> Fixtures_Enums_Color { enumValue(Fixtures_Enums_Color.unrecognized) }
    func level() -> Fixtures_Enums_Level { enumValue(Fixtures_Enums_Level.unrecognized) }
    func mood() -> Fixtures_Enums_Enums.Mood { enumValue(Fixtures_Enums_Enums.Mood.unrecognized) }
    func innerColor() -> Fixtures_Enums_Holder.Inner.Color { enumValue(Fixtures_Enums_Holder.Inner.Color.unrecognized) }

    func enums() -> Fixtures_Enums_Enums {
        beginMessage()
        var m = Fixtures_Enums_Enums()
        if field() { m.color = color() }
        if repeatedField(0) { m.colors = list(0, color) }
        if oneof() { m.maybeColor = present(.unspecified, color) }
        if repeatedField(0) { m.unpackedColors = list(0, color) }
        if field() { m.level = level() }
        if repeatedField(0) { m.levels = list(0, level) }
        if oneof() { m.maybeLevel = present(.none, level) }
        if field() { m.shape = enumValue(Fixtures_Enums_Shape.unrecognized) }
        if field() { m.lonely = enumValue(Fixtures_Enums_Lonely.unrecognized) }
        if oneof() { m.maybeLonely = present(.zero) { enumValue(Fixtures_Enums_Lonely.unrecognized) } }
        if field() { m.mood = mood() }
        if repeatedField(0) { m.moods = list(0, mood) }
        if oneof() { m.maybeMood = present(.unspecified, mood) }
        if messageField(0) { m.holder = sub { holder(1) } }
        if messageField(0) { m.holders = messages(0) { holder(1) } }
        if oneof() {
            switch int(0...2) {
            case 0: m.choice = .choiceColor(present(.unspecified, color))
            case 1: m.choice = .choiceLevel(present(.none, level))
            default: m.choice = .choiceMood(present(.unspecified, mood))
            }
        }
        return m
    }

    func holder(_ depth: Int) -> Fixtures_Enums_Holder {
        var m = Fixtures_Enums_Holder()
        if field() { m.state = enumValue(Fixtures_Enums_Holder.State.unrecognized) }
        if messageField(depth) {
            m.inner = sub {
                var inner = Fixtures_Enums_Holder.Inner()
                if field() { inner.innerColor = innerColor() }
                if field() { inner.outerColor = color() }
                if repeatedField(depth + 1) { inner.innerColors = list(depth + 1, innerColor) }
                return inner
            }
        }
        if repeatedField(depth) { m.colors = list(depth, innerColor) }
        if oneof() { m.maybeColor = present(.innerColorUnspecified, innerColor) }
        if field() { m.mood = mood() }
        return m
    }
}

// MARK: - fixtures.nested.NestedRoot

extension FixtureRandom {
    func kind() -> Fixtures_Nested_Outer.Middle.Inner.Kind {
        enumValue(Fixtures_Nested_Outer.Middle.Inner.Kind.unrecognized)
    }

    func nestedRoot() -> Fixtures_Nested_NestedRoot {
        beginMessage()
        var m = Fixtures_Nested_NestedRoot()
        if messageField(0) { m.outer = sub { outer(1) } }
        if messageField(0) { m.middle = sub { middle(1) } }
        if messageField(0) { m.inner = sub { inner(1) } }
        if messageField(0) { m.inners = messages(0) { inner(1) } }
        if messageField(0) { m.tree = sub { node(1) } }
        if messageField(0) { m.a = sub { a(1) } }
        if messageField(0) { m.b = sub { b(1) } }
        if messageField(0) { m.choice = sub { choice(1) } }
        if messageField(0) { m.choices = messages(0) { choice(1) } }
        if messageField(0) { m.empty = Fixtures_Nested_Empty() }
        if messageField(0) { m.empties = messages(0) { Fixtures_Nested_Empty() } }
        return m
    }

    func outer(_ depth: Int) -> Fixtures_Nested_Outer {
        var m = Fixtures_Nested_Outer()
        if messageField(depth) { m.middle = sub { middle(depth + 1) } }
        if messageField(depth) { m.middles = messages(depth) { middle(depth + 1) } }
        if messageField(depth) { m.shortcut = sub { inner(depth + 1) } }
        if field() { m.kind = kind() }
        if field() { m.id = int32() }
        return m
    }

    func middle(_ depth: Int) -> Fixtures_Nested_Outer.Middle {
        var m = Fixtures_Nested_Outer.Middle()
        if messageField(depth) { m.inner = sub { inner(depth + 1) } }
        if messageField(depth) { m.inners = messages(depth) { inner(depth + 1) } }
        if field() { m.name = string() }
        return m
    }

    func inner(_ depth: Int) -> Fixtures_Nested_Outer.Middle.Inner {
        var m = Fixtures_Nested_Outer.Middle.Inner()
        if field() { m.value = int64() }
        if field() { m.kind = kind() }
        if field() { m.note = string() }
        if messageField(depth) { m.outer = sub { outer(depth + 1) } }
        return m
    }

    func node(_ depth: Int) -> Fixtures_Nested_Node {
        var m = Fixtures_Nested_Node()
        if messageField(depth) { m.child = sub { node(depth + 1) } }
        if messageField(depth) { m.children = messages(depth) { node(depth + 1) } }
        if field() { m.label = string() }
        if oneof() && depth < Self.maxDepth { m.maybeChild = sub { node(depth + 1) } }
        if messageField(depth) {
            m.namedChildren = map(depth, message: true, key: stringKey, zeroKey: "",
                                  value: { sub { node(depth + 1) } }, zeroValue: Fixtures_Nested_Node())
        }
        return m
    }

    func a(_ depth: Int) -> Fixtures_Nested_A {
        var m = Fixtures_Nested_A()
        if messageField(depth) { m.b = sub { b(depth + 1) } }
        if messageField(depth) { m.bs = messages(depth) { b(depth + 1) } }
        if field() { m.aValue = int32() }
        return m
    }

    func b(_ depth: Int) -> Fixtures_Nested_B {
        var m = Fixtures_Nested_B()
        if messageField(depth) { m.a = sub { a(depth + 1) } }
        if messageField(depth) { m.as = messages(depth) { a(depth + 1) } }
        if field() { m.bValue = string() }
        return m
    }

    func choice(_ depth: Int) -> Fixtures_Nested_Choice {
        var m = Fixtures_Nested_Choice()
        if oneof() {
            let deeper = depth < Self.maxDepth
            switch int(0...(deeper ? 12 : 8)) {
            case 0: m.value = .text(present("", string))
            case 1: m.value = .small(present(0, int32))
            case 2: m.value = .big(present(0, int64))
            case 3: m.value = .real(present(0, double))
            case 4: m.value = .single(present(0, float))
            case 5: m.value = .flag(present(false, bool))
            case 6: m.value = .blob(present(Data(), bytes))
            case 7: m.value = .fixed(present(0, uint64))
            case 8: m.value = .suit(present(.unspecified) { enumValue(Fixtures_Nested_Choice.Suit.unrecognized) })
            case 9: m.value = .inner(sub { inner(depth + 1) })
            case 10: m.value = .node(sub { node(depth + 1) })
            case 11: m.value = .nestedChoice(sub { choice(depth + 1) })
            default: m.value = .nothing(Fixtures_Nested_Empty())
            }
        }
        if field() { m.before = int32() }
        if oneof() {
            if chance(0.5) || depth >= Self.maxDepth {
                m.other = .otherText(present("", string))
            } else {
                m.other = .otherA(sub { a(depth + 1) })
            }
        }
        if field() { m.after = string() }
        return m
    }
}

// MARK: - fixtures.maps.Maps

extension FixtureRandom {
    func fruit() -> Fixtures_Maps_Fruit { enumValue(Fixtures_Maps_Fruit.unrecognized) }

    func maps() -> Fixtures_Maps_Maps {
        beginMessage()
        return maps(0)
    }

    func maps(_ d: Int) -> Fixtures_Maps_Maps {
        var m = Fixtures_Maps_Maps()
        if repeatedField(d) { m.int32Key = map(d, key: int32, zeroKey: 0, value: string, zeroValue: "") }
        if repeatedField(d) { m.int64Key = map(d, key: int64, zeroKey: 0, value: string, zeroValue: "") }
        if repeatedField(d) { m.uint32Key = map(d, key: uint32, zeroKey: 0, value: string, zeroValue: "") }
        if repeatedField(d) { m.uint64Key = map(d, key: uint64, zeroKey: 0, value: string, zeroValue: "") }
        if repeatedField(d) { m.sint32Key = map(d, key: int32, zeroKey: 0, value: string, zeroValue: "") }
        if repeatedField(d) { m.sint64Key = map(d, key: int64, zeroKey: 0, value: string, zeroValue: "") }
        if repeatedField(d) { m.fixed32Key = map(d, key: uint32, zeroKey: 0, value: string, zeroValue: "") }
        if repeatedField(d) { m.fixed64Key = map(d, key: uint64, zeroKey: 0, value: string, zeroValue: "") }
        if repeatedField(d) { m.sfixed32Key = map(d, key: int32, zeroKey: 0, value: string, zeroValue: "") }
        if repeatedField(d) { m.sfixed64Key = map(d, key: int64, zeroKey: 0, value: string, zeroValue: "") }
        if repeatedField(d) { m.boolKey = map(d, key: bool, zeroKey: false, value: string, zeroValue: "") }
        if repeatedField(d) { m.stringKey = map(d, key: stringKey, zeroKey: "", value: string, zeroValue: "") }

        if repeatedField(d) { m.doubleValue = map(d, key: stringKey, zeroKey: "", value: double, zeroValue: 0) }
        if repeatedField(d) { m.floatValue = map(d, key: stringKey, zeroKey: "", value: float, zeroValue: 0) }
        if repeatedField(d) { m.int32Value = map(d, key: stringKey, zeroKey: "", value: int32, zeroValue: 0) }
        if repeatedField(d) { m.int64Value = map(d, key: stringKey, zeroKey: "", value: int64, zeroValue: 0) }
        if repeatedField(d) { m.uint32Value = map(d, key: stringKey, zeroKey: "", value: uint32, zeroValue: 0) }
        if repeatedField(d) { m.uint64Value = map(d, key: stringKey, zeroKey: "", value: uint64, zeroValue: 0) }
        if repeatedField(d) { m.sint32Value = map(d, key: stringKey, zeroKey: "", value: int32, zeroValue: 0) }
        if repeatedField(d) { m.sint64Value = map(d, key: stringKey, zeroKey: "", value: int64, zeroValue: 0) }
        if repeatedField(d) { m.fixed32Value = map(d, key: stringKey, zeroKey: "", value: uint32, zeroValue: 0) }
        if repeatedField(d) { m.fixed64Value = map(d, key: stringKey, zeroKey: "", value: uint64, zeroValue: 0) }
        if repeatedField(d) { m.sfixed32Value = map(d, key: stringKey, zeroKey: "", value: int32, zeroValue: 0) }
        if repeatedField(d) { m.sfixed64Value = map(d, key: stringKey, zeroKey: "", value: int64, zeroValue: 0) }
        if repeatedField(d) { m.boolValue = map(d, key: stringKey, zeroKey: "", value: bool, zeroValue: false) }
        if repeatedField(d) { m.bytesValue = map(d, key: stringKey, zeroKey: "", value: bytes, zeroValue: Data()) }
        if repeatedField(d) { m.enumValue = map(d, key: stringKey, zeroKey: "", value: fruit, zeroValue: .unspecified) }
        if messageField(d) {
            m.messageValue = map(d, message: true, key: stringKey, zeroKey: "",
                                 value: { sub { mapValue(d + 1) } }, zeroValue: Fixtures_Maps_Value())
        }

        if repeatedField(d) { m.int32ToEnum = map(d, key: int32, zeroKey: 0, value: fruit, zeroValue: .unspecified) }
        if messageField(d) {
            m.sint64ToMessage = map(d, message: true, key: int64, zeroKey: 0,
                                    value: { sub { mapValue(d + 1) } }, zeroValue: Fixtures_Maps_Value())
        }
        if repeatedField(d) { m.boolToBytes = map(d, key: bool, zeroKey: false, value: bytes, zeroValue: Data()) }
        if repeatedField(d) { m.uint64ToDouble = map(d, key: uint64, zeroKey: 0, value: double, zeroValue: 0) }
        // A map holding its own message type: kept shallow, or the message grows geometrically.
        if messageField(d + 1) {
            m.sfixed32ToSelf = map(d + 1, message: true, key: int32, zeroKey: 0,
                                   value: { sub { maps(d + 2) } }, zeroValue: Fixtures_Maps_Maps())
        }
        if messageField(d) { m.single = sub { mapValue(d + 1) } }
        return m
    }

    func mapValue(_ d: Int) -> Fixtures_Maps_Value {
        var m = Fixtures_Maps_Value()
        if field() { m.text = string() }
        if field() { m.number = int64() }
        if messageField(d) {
            m.children = map(d, message: true, key: stringKey, zeroKey: "",
                             value: { sub { mapValue(d + 1) } }, zeroValue: Fixtures_Maps_Value())
        }
        return m
    }
}

// MARK: - fixtures.v2.Record

extension FixtureRandom {
    func status() -> Fixtures_V2_Status { enumValue(Fixtures_V2_Status.unrecognized) }

    func recordV2() -> Fixtures_V2_Record {
        beginMessage()
        var m = Fixtures_V2_Record()
        if field() { m.id = int32() }
        if field() { m.name = string() }
        if field() { m.status = status() }
        if messageField(0) { m.inner = sub { recordInner(1) } }
        if repeatedField(0) { m.values = list(0, int64) }
        if oneof() {
            switch int(0...3) {
            case 0: m.choice = .text(present("", string))
            case 1: m.choice = .number(present(0, int32))
            case 2: m.choice = .blob(present(Data(), bytes))
            default: m.choice = .extraChoice(sub { recordExtra(1) })
            }
        }
        if repeatedField(0) { m.counts = map(0, key: stringKey, zeroKey: "", value: int32, zeroValue: 0) }
        if messageField(0) { m.inners = messages(0) { recordInner(1) } }
        if field() { m.big = uint64() }
        if field() { m.crc = uint32() }
        if field() { m.stamp = uint64() }
        if field() { m.ratio = double() }
        if field() { m.scale = float() }
        if field() { m.delta = int64() }
        if field() { m.flag = bool() }
        if field() { m.comment = string() }
        if field() { m.payload = bytes() }
        if messageField(0) { m.extra = sub { recordExtra(1) } }
        if repeatedField(0) { m.packedInts = list(0, int32) }
        if repeatedField(0) { m.tags = list(0, string) }
        if repeatedField(0) { m.labels = map(0, key: int32, zeroKey: 0, value: string, zeroValue: "") }
        if field() { m.previousStatus = status() }
        if repeatedField(0) { m.history = list(0, status) }
        if oneof() { m.maybe = present(0, int32) }
        if field() { m.revived = int32() }
        if field() { m.farAway = string() }
        if field() { m.farthest = int64() }
        if repeatedField(0) { m.unpackedFixed = list(0, uint64) }
        return m
    }

    func recordInner(_ depth: Int) -> Fixtures_V2_Record.Inner {
        var m = Fixtures_V2_Record.Inner()
        if field() { m.label = string() }
        if field() { m.weight = int64() }
        if messageField(depth) { m.children = messages(depth) { recordInner(depth + 1) } }
        if field() { m.checksum = uint32() }
        return m
    }

    func recordExtra(_ depth: Int) -> Fixtures_V2_Record.Extra {
        var m = Fixtures_V2_Record.Extra()
        if field() { m.note = string() }
        if repeatedField(depth) { m.deltas = list(depth, int32) }
        return m
    }
}

import Foundation
import GeneratedFixtures
import ProtoWire

// MARK: - fixtures.proto2.Proto2

extension FixtureRandom {
    func proto2Color() -> Fixtures_Proto2_Color { pick(Fixtures_Proto2_Color.allCases) }
    func proto2Status() -> Fixtures_Proto2_Status { pick(Fixtures_Proto2_Status.allCases) }

    /// The root of the proto2 fixture: closed enums, groups, packed and unpacked fields.
    func proto2Root() -> Fixtures_Proto2_Proto2 {
        beginMessage()
        var m = proto2(0)
        // A closed enum's undeclared number can only travel as an unknown field: Python must keep
        // it there and write it back after the known fields, as Swift does.
        if chance(0.2) {
            let undeclared = pick([Int32.min, .max, -1, 0, 7, 99])
            var bytes: [UInt8] = [0x08]  // field 1 (color), varint
            var v = UInt64(bitPattern: Int64(undeclared))
            while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
            bytes.append(UInt8(v))
            m.unknownFields = UnknownFields(bytes: bytes)
        }
        return m
    }

    func proto2(_ depth: Int) -> Fixtures_Proto2_Proto2 {
        var m = Fixtures_Proto2_Proto2()
        if field() { m.color = present(.red, proto2Color) }
        if repeatedField(depth) { m.colors = list(depth, proto2Color) }
        if repeatedField(depth) { m.packedColors = list(depth, proto2Color) }
        if repeatedField(depth) {
            m.statusByNumber = map(depth, key: int32, zeroKey: 0, value: proto2Status, zeroValue: .none)
        }
        if repeatedField(depth) {
            m.statusByName = map(depth, key: stringKey, zeroKey: "", value: proto2Status, zeroValue: .none)
        }
        if oneof() {
            switch int(0...3) {
            case 0: m.choice = .chosenColor(present(.red, proto2Color))
            case 1: m.choice = .chosenName(present("", string))
            case 2: if depth < Self.maxDepth { m.choice = .chosenLeaf(sub { leaf(depth + 1) }) }
            default:
                var chosen = Fixtures_Proto2_Proto2.Pick()
                if field() { chosen.number = int32() }
                if field() { chosen.color = proto2Color() }
                m.choice = .pick(chosen)
            }
        }
        if field() { m.count = present(0, int32) }
        if field() { m.delta = present(0, int64) }
        if field() { m.label = present("", string) }
        if field() { m.blob = present(Data(), bytes) }
        if repeatedField(depth) { m.numbers = list(depth, int32) }
        if repeatedField(depth) { m.packedNumbers = list(depth, int32) }
        if repeatedField(depth) { m.ratios = list(depth, double) }
        if repeatedField(depth) { m.packedFixed = list(depth, uint32) }
        if repeatedField(depth) { m.names = list(depth, string) }
        if messageField(depth) { m.leaf = sub { leaf(depth + 1) } }
        if messageField(depth) { m.leaves = messages(depth) { leaf(depth + 1) } }
        if messageField(depth) {
            m.leafByName = map(depth, message: true, key: stringKey, zeroKey: "", value: { sub { leaf(depth + 1) } },
                               zeroValue: Fixtures_Proto2_Leaf())
        }
        if field() { m.defaultedColor = present(.blue, proto2Color) }
        if messageField(depth) { m.child = sub { proto2(depth + 1) } }
        if messageField(depth) { m.note = sub { note(depth + 1) } }
        if messageField(depth) {
            m.entry = messages(depth) {
                var e = Fixtures_Proto2_Proto2.Entry()
                if field() { e.key = int32() }
                if repeatedField(depth + 1) { e.values = list(depth + 1, int32) }
                if messageField(depth + 1) { e.nested = sub { proto2(depth + 2) } }
                return e
            }
        }
        return m
    }

    func note(_ depth: Int) -> Fixtures_Proto2_Proto2.Note {
        var n = Fixtures_Proto2_Proto2.Note()
        if field() { n.text = string() }
        if field() { n.color = proto2Color() }
        if messageField(depth) {
            n.inner = sub {
                var inner = Fixtures_Proto2_Proto2.Note.Inner()
                if field() { inner.depth = int32() }
                if repeatedField(depth + 1) { inner.colors = list(depth + 1, proto2Color) }
                return inner
            }
        }
        if messageField(depth) { n.leaf = sub { leaf(depth + 1) } }
        return n
    }

    func leaf(_ depth: Int) -> Fixtures_Proto2_Leaf {
        var l = Fixtures_Proto2_Leaf()
        if field() { l.color = proto2Color() }
        if repeatedField(depth) { l.colors = list(depth, proto2Color) }
        if field() { l.name = string() }
        if field() { l.id = uint64() }
        return l
    }
}

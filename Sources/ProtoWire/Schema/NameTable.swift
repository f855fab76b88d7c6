/// Names mapped to small integers, looked up by their UTF-8 bytes straight from an input
/// buffer, so that a JSON key or a text-format identifier is matched without making a `String`.
///
/// Open addressing over a power-of-two table of slots, FNV-1a hashes; a table is built once per
/// schema and only read afterwards.
struct NameTable: Sendable {
    /// Every name's bytes, back to back; entry `i` is `bytes[starts[i] ..< starts[i + 1]]`.
    private let bytes: [UInt8]
    private let starts: [Int32]
    private let values: [Int32]
    /// Entry index + 1 per slot, 0 for an empty slot.
    private let slots: [Int32]
    private let mask: Int

    /// A table of `entries`; when a name repeats, the first entry wins.
    init(_ entries: [(name: String, value: Int)]) {
        var bytes: [UInt8] = []
        var starts: [Int32] = [0]
        var values: [Int32] = []
        var size = 4
        while size < entries.count * 2 { size *= 2 }
        var slots = [Int32](repeating: 0, count: size)
        let mask = size - 1
        for (name, value) in entries {
            let utf8 = Array(name.utf8)
            var slot = Int(NameTable.hash(utf8)) & mask
            var duplicate = false
            while slots[slot] != 0 {
                let e = Int(slots[slot]) - 1
                if Array(bytes[Int(starts[e])..<Int(starts[e + 1])]) == utf8 {
                    duplicate = true
                    break
                }
                slot = (slot + 1) & mask
            }
            if duplicate { continue }
            bytes.append(contentsOf: utf8)
            starts.append(Int32(bytes.count))
            values.append(Int32(value))
            slots[slot] = Int32(values.count)
        }
        self.bytes = bytes
        self.starts = starts
        self.values = values
        self.slots = slots
        self.mask = mask
    }

    static func hash(_ name: [UInt8]) -> UInt32 {
        name.withUnsafeBytes { hash($0.baseAddress, $0.count) }
    }

    @inline(__always)
    static func hash(_ start: UnsafeRawPointer?, _ count: Int) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        guard let start else { return h }
        for i in 0..<count {
            h = (h ^ UInt32(start.load(fromByteOffset: i, as: UInt8.self))) &* 16_777_619
        }
        return h
    }

    /// The value for the name in `count` bytes at `start`, or nil.
    func lookup(_ start: UnsafeRawPointer?, _ count: Int) -> Int? {
        var slot = Int(NameTable.hash(start, count)) & mask
        while true {
            let s = slots[slot]
            if s == 0 { return nil }
            let e = Int(s) - 1
            let from = Int(starts[e])
            if Int(starts[e + 1]) - from == count, equal(from, start, count) { return Int(values[e]) }
            slot = (slot + 1) & mask
        }
    }

    /// The value for `name`, or nil.
    func lookup(_ name: String) -> Int? {
        var name = name
        return name.withUTF8 { lookup(UnsafeRawPointer($0.baseAddress), $0.count) }
    }

    private func equal(_ from: Int, _ start: UnsafeRawPointer?, _ count: Int) -> Bool {
        if count == 0 { return true }
        guard let start else { return false }
        return bytes.withUnsafeBytes { stored in
            bytesEqual(stored.baseAddress! + from, start, count)
        }
    }
}

/// Whether `count` bytes at `a` and at `b` are the same, eight at a time.
@inline(__always)
func bytesEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
    var i = 0
    while i &+ 8 <= count {
        if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
            return false
        }
        i &+= 8
    }
    while i < count {
        if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
        i &+= 1
    }
    return true
}

/// Whether two byte buffers hold the same bytes.
@inline(__always)
func bytesEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
    guard a.count == b.count else { return false }
    guard a.count > 0, let x = a.baseAddress, let y = b.baseAddress else { return true }
    return bytesEqual(x, y, a.count)
}

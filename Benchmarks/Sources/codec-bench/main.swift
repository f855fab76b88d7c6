// Encode and decode of the same messages through ProtoWire (this project) and SwiftProtobuf.
//
//   codec-bench [--smoke] [--rows FILE] [--bytes DIR]
//       times every case, ours and the peer interleaved in rounds, and counts allocations;
//       prints a table, appends tab-separated rows to FILE, writes each case's wire bytes to DIR.
//   codec-bench --callgrind CASE encode|decode ours|peer N
//       runs one operation N times inside `codec_bench_measured`, for
//       `valgrind --tool=callgrind --toggle-collect=codec_bench_measured`.
//
// Allocations are counted by ordo-one's malloc-interposer, which must be preloaded
// (LD_PRELOAD=libMallocInterposerSwift.so, as Benchmarks/run.sh does); without it they read "n/a".

import Foundation
import MallocInterposerSwift
import OursMessages
import PeerMessages
import ProtoWire
import SwiftProtobuf

#if canImport(Glibc)
import Glibc
#endif

nonisolated(unsafe) var sink = 0

/// A seeded generator, so that every run and every language sees the same random keys.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// One message, the same content in both runtimes.
struct Case {
    let name: String
    let bytes: [UInt8]
    let oursEncode: () throws -> Int
    let peerEncode: () throws -> Int
    let oursDecode: () throws -> Int
    let peerDecode: () throws -> Int
}

func makeCase<O: ProtoMessage, P: SwiftProtobuf.Message & Equatable>(
    _ name: String, _ ours: O, _ peer: P, sameBytes: Bool = true
) throws -> Case {
    let oursBytes = try ours.serializedBytes()
    let peerBytes: [UInt8] = try peer.serializedBytes()
    if sameBytes {
        precondition(oursBytes == peerBytes, "\(name): ProtoWire and SwiftProtobuf encode differently")
    } else {
        // Map entries: same size, order may differ. Each side must read the other's bytes back.
        precondition(oursBytes.count == peerBytes.count, "\(name): encodings differ in size")
        let oursRead = try O(serializedBytes: peerBytes), peerRead = try P(serializedBytes: oursBytes)
        precondition(oursRead == ours, "\(name): ours misreads the peer's bytes")
        precondition(peerRead == peer, "\(name): the peer misreads ours")
    }
    return Case(
        name: name, bytes: oursBytes,
        oursEncode: { try ours.serializedBytes().count },
        peerEncode: { let b: [UInt8] = try peer.serializedBytes(); return b.count },
        oursDecode: { _ = try O(serializedBytes: oursBytes); return 1 },
        peerDecode: { _ = try P(serializedBytes: oursBytes); return 1 }
    )
}

/// The same message as JSON: encoded with each runtime's JSON writer, decoded by each from the
/// same text (ours). Each side must read the other's JSON back to its own message.
func makeJSONCase<O: ProtoMessage, P: SwiftProtobuf.Message & Equatable>(_ name: String, _ ours: O, _ peer: P) throws -> Case {
    let oursJSON = try ours.jsonUTF8Bytes()
    let peerJSON: [UInt8] = try peer.jsonUTF8Bytes()
    let oursRead = try O(jsonUTF8Bytes: peerJSON)
    let peerRead = try P(jsonUTF8Bytes: oursJSON)
    precondition(oursRead == ours, "\(name): ours misreads the peer's JSON")
    precondition(peerRead == peer, "\(name): the peer misreads our JSON")
    return Case(
        name: name + " JSON", bytes: oursJSON,
        oursEncode: { try ours.jsonUTF8Bytes().count },
        peerEncode: { let b: [UInt8] = try peer.jsonUTF8Bytes(); return b.count },
        oursDecode: { _ = try O(jsonUTF8Bytes: oursJSON); return 1 },
        peerDecode: { _ = try P(jsonUTF8Bytes: oursJSON); return 1 }
    )
}

/// The proto2 message: both runtimes check its required fields when they encode and decode, and
/// a decode reads the extension's value too (swift-protobuf parses it while decoding, given the
/// file's extension map; ProtoWire keeps its bytes with the unknown fields and parses them in `get`).
func makeProto2Case(_ name: String, _ ours: OursMessages.Bench_Order, _ peer: PeerMessages.Bench_Order) throws -> Case {
    let oursBytes = try ours.serializedBytes()
    let peerBytes: [UInt8] = try peer.serializedBytes()
    precondition(oursBytes == peerBytes, "\(name): ProtoWire and SwiftProtobuf encode differently")
    let extensions = PeerMessages.Bench_Proto2_Extensions
    let oursRead = try OursMessages.Bench_Order(serializedBytes: peerBytes)
    let peerRead = try PeerMessages.Bench_Order(serializedBytes: oursBytes, extensions: extensions)
    let oursNote = try oursRead.get(OursMessages.Bench_Extensions_note)
    precondition(oursRead == ours && oursNote == peer.Bench_note, "\(name): ours misreads the peer's bytes")
    precondition(peerRead == peer && peerRead.hasBench_note, "\(name): the peer misreads ours")
    // Both refuse a message missing a required field, on encode and on decode.
    var incomplete = ours
    incomplete.lines[1].count = nil
    precondition((try? incomplete.serializedBytes()) == nil, "\(name): ours encodes a message missing a required field")
    precondition((try? OursMessages.Bench_Order(serializedBytes: incomplete.serializedBytes(partial: true))) == nil,
                 "\(name): ours decodes a message missing a required field")
    return Case(
        name: name, bytes: oursBytes,
        oursEncode: { try ours.serializedBytes().count },
        peerEncode: { let b: [UInt8] = try peer.serializedBytes(); return b.count },
        oursDecode: {
            let m = try OursMessages.Bench_Order(serializedBytes: oursBytes)
            return try m.get(OursMessages.Bench_Extensions_note)?.utf8.count ?? 0
        },
        peerDecode: {
            let m = try PeerMessages.Bench_Order(serializedBytes: oursBytes, extensions: extensions)
            return m.Bench_note.utf8.count
        }
    )
}

func cases() throws -> [Case] {
    var all: [Case] = []

    let request = OursMessages.SearchRequest(
        query: "restaurants near the brandenburg gate", lat: 52.5163, lng: 13.3777, pageNumber: 3, resultPerPage: 25)
    let peerRequest = PeerMessages.SearchRequest.with {
        $0.query = request.query; $0.lat = request.lat; $0.lng = request.lng
        $0.pageNumber = request.pageNumber; $0.resultPerPage = request.resultPerPage
    }
    all.append(try makeCase("SearchRequest", request, peerRequest))

    let names = (0..<100).map { "place number \($0) in Berlin" }
    let responses = OursMessages.SearchResponses(responses: names.map { OursMessages.SearchResponse(response: $0) })
    let peerResponses = PeerMessages.SearchResponses.with {
        $0.responses = names.map { n in PeerMessages.SearchResponse.with { $0.response = n } }
    }
    all.append(try makeCase("SearchResponses(100)", responses, peerResponses))

    let blob32 = Data((0..<32).map { UInt8($0) })
    let scalars = Bench_AllScalars(
        fDouble: 3.141592653589793, fFloat: 2.5, fInt32: -123_456, fInt64: -1_234_567_890_123,
        fUint32: 4_000_000_000, fUint64: 18_000_000_000_000_000_000, fSint32: -654_321, fSint64: -9_876_543_210,
        fFixed32: 0xDEAD_BEEF, fFixed64: 0x0123_4567_89AB_CDEF, fSfixed32: -42, fSfixed64: -4242,
        fBool: true, fString: "the quick brown fox", fBytes: blob32)
    let peerScalars = PeerMessages.Bench_AllScalars.with {
        $0.fDouble = scalars.fDouble; $0.fFloat = scalars.fFloat; $0.fInt32 = scalars.fInt32
        $0.fInt64 = scalars.fInt64; $0.fUint32 = scalars.fUint32; $0.fUint64 = scalars.fUint64
        $0.fSint32 = scalars.fSint32; $0.fSint64 = scalars.fSint64; $0.fFixed32 = scalars.fFixed32
        $0.fFixed64 = scalars.fFixed64; $0.fSfixed32 = scalars.fSfixed32; $0.fSfixed64 = scalars.fSfixed64
        $0.fBool = scalars.fBool; $0.fString = scalars.fString; $0.fBytes = scalars.fBytes
    }
    all.append(try makeCase("AllScalars", scalars, peerScalars))

    // Values of one to five varint bytes.
    let values = (0..<1000).map { Int64(($0 &* 2_654_435_761) % 1_000_000_007) >> ($0 % 5 * 7) }
    all.append(try makeCase(
        "PackedInt64(1000)", Bench_PackedInt64(values: values), PeerMessages.Bench_PackedInt64.with { $0.values = values }))

    let map = Dictionary(uniqueKeysWithValues: (0..<100).map { ("key-\($0)", Int64($0) * 1000) })
    all.append(try makeCase(
        "Map<string,int64>(100)", Bench_StringInt64Map(entries: map),
        PeerMessages.Bench_StringInt64Map.with { $0.entries = map }, sameBytes: false))
    // Keys sharing their first eight bytes, random keys of 4 to 20 letters and digits (the same
    // on every run), and 10,000 entries.
    var counters: [String: Int64] = [:]
    for i in 0..<100 {
        let digits = String(1000 + i).dropFirst()
        counters["counter_" + digits] = Int64(i)
    }
    var random = SplitMix64(seed: 0x6D61_7073)
    let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
    var randomKeys: [String: Int64] = [:]
    while randomKeys.count < 100 {
        let length = 4 + Int(random.next() % 17)
        var key = ""
        for _ in 0..<length { key.append(alphabet[Int(random.next() % UInt64(alphabet.count))]) }
        randomKeys[key] = Int64(randomKeys.count)
    }
    let large = Dictionary(uniqueKeysWithValues: (0..<10_000).map { ("key-\($0)", Int64($0) * 1000) })
    for (name, entries) in [("100, shared prefix", counters), ("100, random keys", randomKeys), ("10000", large)] {
        all.append(try makeCase(
            "Map<string,int64>(\(name))", Bench_StringInt64Map(entries: entries),
            PeerMessages.Bench_StringInt64Map.with { $0.entries = entries }, sameBytes: false))
    }

    let leaf: [Int64] = Array(1...10)
    let nested = Bench_Level1(
        id: 1, name: "level one",
        child: Bench_Level2(id: 2, name: "level two", child: Bench_Level3(id: 3, name: "level three", values: leaf)))
    let peerNested = PeerMessages.Bench_Level1.with {
        $0.id = 1; $0.name = "level one"
        $0.child = .with {
            $0.id = 2; $0.name = "level two"
            $0.child = .with { $0.id = 3; $0.name = "level three"; $0.values = leaf }
        }
    }
    all.append(try makeCase("Nested(3 levels)", nested, peerNested))

    let mib = Data((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
    // Decoded from `Data`, as a large payload usually comes: ours shares the input's storage
    // (`init(sharingBytesOf:)`), swift-protobuf copies out of it (it has no way not to).
    let blob = try makeCase("Bytes(1 MiB)", Bench_Blob(data: mib), PeerMessages.Bench_Blob.with { $0.data = mib })
    let blobData = Data(blob.bytes)
    all.append(Case(
        name: blob.name, bytes: blob.bytes, oursEncode: blob.oursEncode, peerEncode: blob.peerEncode,
        oursDecode: { try Bench_Blob(sharingBytesOf: blobData).data.count },
        peerDecode: { try PeerMessages.Bench_Blob(serializedBytes: blobData).data.count }
    ))

    // proto2: three required fields and a repeated message with two more, declared defaults
    // (three set, two left to read as their defaults), a closed enum, one extension.
    let lines: [(sku: String, count: Int32, cents: Int64?)] = [
        ("SKU-1001-BLUE", 2, 1999), ("SKU-2002-RED", 1, nil), ("SKU-3003-GREEN", 5, 450),
    ]
    var order = OursMessages.Bench_Order(
        id: 9_876_543_210, customer: "Ada Lovelace", total: 62.48, quantity: 8, currency: "CHF", status: .paid,
        lines: lines.map { OursMessages.Bench_OrderLine(sku: $0.sku, count: $0.count, priceCents: $0.cents) })
    order.set(OursMessages.Bench_Extensions_note, to: "leave it at the door")
    var peerOrder = PeerMessages.Bench_Order.with {
        $0.id = 9_876_543_210; $0.customer = "Ada Lovelace"; $0.total = 62.48; $0.quantity = 8; $0.currency = "CHF"
        $0.status = .paid
        $0.lines = lines.map { l in
            PeerMessages.Bench_OrderLine.with {
                $0.sku = l.sku; $0.count = l.count
                if let c = l.cents { $0.priceCents = c }
            }
        }
    }
    peerOrder.Bench_note = "leave it at the door"
    all.append(try makeProto2Case("Proto2Order", order, peerOrder))

    // JSON: the same messages through each runtime's JSON mapping.
    all.append(try makeJSONCase("SearchRequest", request, peerRequest))
    all.append(try makeJSONCase("SearchResponses(100)", responses, peerResponses))
    all.append(try makeJSONCase("AllScalars", scalars, peerScalars))
    all.append(try makeJSONCase("Nested(3 levels)", nested, peerNested))
    let historySeconds: [Int64] = (0..<10).map { 1_600_000_000 + Int64($0) * 86_400 }
    let known = Bench_WellKnownTypes(
        created: ProtoWire.Google_Protobuf_Timestamp(seconds: 1_700_000_000, nanos: 123_000_000),
        timeout: ProtoWire.Google_Protobuf_Duration(seconds: 30, nanos: 500_000_000),
        mask: ProtoWire.Google_Protobuf_FieldMask(paths: ["display_name", "address.postal_code", "tags"]),
        attributes: ["region": "eu-central", "replicas": 3, "canary": false, "weights": [0.25, 0.75], "owner": nil],
        limit: 100, label: "search", enabled: true, ratio: 0.125,
        history: historySeconds.map { ProtoWire.Google_Protobuf_Timestamp(seconds: $0, nanos: 1000) })
    var peerKnown = PeerMessages.Bench_WellKnownTypes()
    peerKnown.created = SwiftProtobuf.Google_Protobuf_Timestamp(seconds: 1_700_000_000, nanos: 123_000_000)
    peerKnown.timeout = SwiftProtobuf.Google_Protobuf_Duration(seconds: 30, nanos: 500_000_000)
    peerKnown.mask = SwiftProtobuf.Google_Protobuf_FieldMask(protoPaths: ["display_name", "address.postal_code", "tags"])
    var attributes = SwiftProtobuf.Google_Protobuf_Struct()
    attributes.fields["region"] = SwiftProtobuf.Google_Protobuf_Value(stringValue: "eu-central")
    attributes.fields["replicas"] = SwiftProtobuf.Google_Protobuf_Value(numberValue: 3)
    attributes.fields["canary"] = SwiftProtobuf.Google_Protobuf_Value(boolValue: false)
    attributes.fields["weights"] = SwiftProtobuf.Google_Protobuf_Value(
        listValue: SwiftProtobuf.Google_Protobuf_ListValue(values: [
            SwiftProtobuf.Google_Protobuf_Value(numberValue: 0.25), SwiftProtobuf.Google_Protobuf_Value(numberValue: 0.75),
        ]))
    attributes.fields["owner"] = SwiftProtobuf.Google_Protobuf_Value(nilLiteral: ())
    peerKnown.attributes = attributes
    peerKnown.limit = SwiftProtobuf.Google_Protobuf_Int32Value(100)
    peerKnown.label = SwiftProtobuf.Google_Protobuf_StringValue("search")
    peerKnown.enabled = SwiftProtobuf.Google_Protobuf_BoolValue(true)
    peerKnown.ratio = SwiftProtobuf.Google_Protobuf_DoubleValue(0.125)
    peerKnown.history = historySeconds.map { SwiftProtobuf.Google_Protobuf_Timestamp(seconds: $0, nanos: 1000) }
    all.append(try makeCase("WellKnownTypes", known, peerKnown, sameBytes: false))
    all.append(try makeJSONCase("WellKnownTypes", known, peerKnown))
    return all
}

// MARK: Timing

let clock = ContinuousClock()

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

/// Seconds per call of `body`, over `n` calls.
func batch(_ n: Int, _ body: () throws -> Int) rethrows -> Double {
    var s = 0
    let start = clock.now
    for _ in 0..<n { s &+= try body() }
    let t = seconds(clock.now - start)
    sink &+= s
    return t / Double(n)
}

/// Calls per batch so that one batch takes about `target` seconds.
func calibrate(_ target: Double, _ body: () throws -> Int) rethrows -> Int {
    var n = 1
    while true {
        let t = try batch(n, body) * Double(n)
        if t >= target / 4 || n >= 1 << 24 { return max(1, Int(Double(n) * target / max(t, 1e-9))) }
        n *= 4
    }
}

/// Best (lowest) seconds per call of ours and the peer, timed in alternating batches so that
/// both see the same machine load.
func interleaved(rounds: Int, target: Double, _ ours: () throws -> Int, _ peer: () throws -> Int) rethrows -> (Double, Double) {
    let nOurs = try calibrate(target, ours)
    let nPeer = try calibrate(target, peer)
    var bestOurs = Double.infinity, bestPeer = Double.infinity
    for _ in 0..<rounds {
        bestOurs = min(bestOurs, try batch(nOurs, ours))
        bestPeer = min(bestPeer, try batch(nPeer, peer))
    }
    return (bestOurs, bestPeer)
}

/// Allocations per call, or nil when the interposer is not preloaded.
func allocations(_ body: () throws -> Int) rethrows -> Double? {
    let n = 50
    _ = try body()
    MallocInterposerSwift.reset()
    MallocInterposerSwift.hook()
    var s = 0
    for _ in 0..<n { s &+= try body() }
    MallocInterposerSwift.unhook()
    sink &+= s
    let stats = MallocInterposerSwift.getStatistics()
    return interposed ? Double(stats.mallocCount) / Double(n) : nil
}

/// Whether malloc really goes through the interposer: an allocation must be counted.
let interposed: Bool = {
    MallocInterposerSwift.initialize()
    MallocInterposerSwift.reset()
    MallocInterposerSwift.hook()
    let probe = [Int](repeating: 1, count: CommandLine.arguments.count + 100)
    MallocInterposerSwift.unhook()
    sink &+= probe.count
    return MallocInterposerSwift.getStatistics().mallocCount > 0
}()

// MARK: Callgrind

@inline(never)
@_silgen_name("codec_bench_measured")
func measured(_ n: Int, _ body: () throws -> Int) rethrows -> Int {
    var s = 0
    for _ in 0..<n { s &+= try body() }
    return s
}

// MARK: Main

func format(_ x: Double, _ digits: Int = 2) -> String {
    let p = pow(10.0, Double(digits))
    return String((x * p).rounded() / p)
}

func humanRate(_ perSecond: Double) -> String {
    if perSecond >= 1e6 { return format(perSecond / 1e6) + "M" }
    if perSecond >= 1e3 { return format(perSecond / 1e3, 1) + "k" }
    return format(perSecond, 1)
}

func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : s + String(repeating: " ", count: w - s.count) }

var arguments = Array(CommandLine.arguments.dropFirst())
let all = try cases()

if arguments.first == "--callgrind" {
    guard arguments.count == 5, let c = all.first(where: { $0.name == arguments[1] }), let n = Int(arguments[4]) else {
        FileHandle.standardError.write(Data("usage: codec-bench --callgrind CASE encode|decode ours|peer N\n".utf8))
        exit(2)
    }
    let body: () throws -> Int
    switch (arguments[2], arguments[3]) {
    case ("encode", "ours"): body = c.oursEncode
    case ("encode", "peer"): body = c.peerEncode
    case ("decode", "ours"): body = c.oursDecode
    case ("decode", "peer"): body = c.peerDecode
    default: FileHandle.standardError.write(Data("bad operation\n".utf8)); exit(2)
    }
    print(try measured(n, body))
    exit(0)
}

var smoke = false
var rowsFile: String?
var bytesDir: String?
while let a = arguments.first {
    arguments.removeFirst()
    switch a {
    case "--smoke": smoke = true
    case "--rows": rowsFile = arguments.removeFirst()
    case "--bytes": bytesDir = arguments.removeFirst()
    case "--list": for c in all { print(c.name) }; exit(0)
    default: FileHandle.standardError.write(Data("unknown argument \(a)\n".utf8)); exit(2)
    }
}

if let bytesDir {
    try FileManager.default.createDirectory(atPath: bytesDir, withIntermediateDirectories: true)
    for c in all { try Data(c.bytes).write(to: URL(fileURLWithPath: "\(bytesDir)/\(c.name).bin")) }
}

let rounds = smoke ? 2 : 9
let target = smoke ? 0.002 : 0.04
var rows: [String] = []
print("codec: ProtoWire vs SwiftProtobuf 1.39.0, release, best of \(rounds) interleaved batches of ~\(Int(target * 1000)) ms")
print(pad("message", 40) + pad("op", 8) + pad("bytes", 9) + pad("ours msg/s", 12) + pad("ours MB/s", 11)
    + pad("peer msg/s", 12) + pad("peer MB/s", 11) + pad("ratio", 8) + pad("allocs ours", 13) + "allocs peer")
for c in all {
    for op in ["encode", "decode"] {
        let (o, p) = op == "encode" ? try interleaved(rounds: rounds, target: target, c.oursEncode, c.peerEncode)
            : try interleaved(rounds: rounds, target: target, c.oursDecode, c.peerDecode)
        let ao = op == "encode" ? try allocations(c.oursEncode) : try allocations(c.oursDecode)
        let ap = op == "encode" ? try allocations(c.peerEncode) : try allocations(c.peerDecode)
        let mb = Double(c.bytes.count) / 1e6
        let ratio = p / o
        let allocText = { (a: Double?) in a.map { format($0, 1) } ?? "n/a" }
        print(pad(c.name, 40) + pad(op, 8) + pad(String(c.bytes.count), 9) + pad(humanRate(1 / o), 12) + pad(format(mb / o, 1), 11)
            + pad(humanRate(1 / p), 12) + pad(format(mb / p, 1), 11) + pad(format(ratio) + "x", 8)
            + pad(allocText(ao), 13) + allocText(ap))
        rows.append([
            "codec", "\(c.name) \(op)", format(1 / o, 0), format(1 / p, 0), format(ratio), format(mb / o, 1), format(mb / p, 1),
            allocText(ao), allocText(ap),
        ].joined(separator: "\t"))
    }
}
if !interposed { print("(allocations n/a: run with LD_PRELOAD=…/libMallocInterposerSwift.so, as Benchmarks/run.sh does)") }
if let rowsFile {
    let text = rows.map { $0 + "\n" }.joined()
    if let handle = FileHandle(forWritingAtPath: rowsFile) {
        handle.seekToEndOfFile(); handle.write(Data(text.utf8)); handle.closeFile()
    } else {
        try Data(text.utf8).write(to: URL(fileURLWithPath: rowsFile))
    }
}
if sink == 42 { print("") }

import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOConcurrencyHelpers
import SearchService
import Testing

@Suite struct JSONLogTests {
    @Test func eachRecordIsOneParsableJSONLine() throws {
        let lines = NIOLockedValueBox<[String]>([])
        var logger = Logger(label: "search") { label in JSONLogHandler(label: label, level: .info) { line in lines.withLockedValue { $0.append(line) } } }
        logger[metadataKey: "grpc.method"] = "/Search/search"
        logger.info("rpc finished", metadata: ["grpc.status": "OK", "note": "quote \" and\nnewline é"])
        logger.debug("below the level")
        let written = lines.withLockedValue { $0 }
        #expect(written.count == 1)
        #expect(!written[0].contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(written[0].utf8)) as? [String: String])
        #expect(object["message"] == "rpc finished")
        #expect(object["level"] == "info")
        #expect(object["label"] == "search")
        #expect(object["grpc.method"] == "/Search/search")
        #expect(object["grpc.status"] == "OK")
        #expect(object["note"] == "quote \" and\nnewline é")
        // The time is now's, in UTC, to the millisecond.
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let time = try #require(object["time"])
        #expect(time.count == 24 && time.hasSuffix("Z"), "\(time)")
        let parsed = try #require(formatter.date(from: time), "\(time)")
        #expect(abs(parsed.timeIntervalSinceNow) < 5, "\(time)")
    }
}

@Suite struct LineWriterTests {
    /// Lines written to a pipe come out whole and in order, and the handler's line through a
    /// writer is the same JSON object.
    @Test func linesComeOutWholeAndInOrder() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]) }
        let writer = LineWriter(fileDescriptor: fds[1])
        let logger = Logger(label: "search") { label in JSONLogHandler(label: label, level: .info, writer: writer) }
        for i in 0..<100 { logger.info("line \(i)", metadata: ["n": "\(i)"]) }
        writer.flush()
        close(fds[1])
        let text = String(decoding: FileHandle(fileDescriptor: fds[0]).readDataToEndOfFile(), as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 100)
        for (i, line) in lines.enumerated() {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
            #expect(object["message"] == "line \(i)")
            #expect(object["n"] == "\(i)")
            #expect(object["time"]?.hasSuffix("Z") == true)
        }
        #expect(writer.droppedLines == 0)
    }

    /// A reader that stops reading never blocks the logging side: lines beyond the buffer are
    /// dropped and counted, and a line says how many once the output moves again.
    @Test func aStalledOutputDropsAndCountsInsteadOfBlocking() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]) }
        let writer = LineWriter(fileDescriptor: fds[1], capacity: 4096)
        let line = Array(String(repeating: "x", count: 99).utf8) + [UInt8(ascii: "\n")]
        // 5,000 lines (500 KB) against a 64 KiB pipe nobody reads and a 4 KiB buffer: returns at once.
        let started = ContinuousClock.now
        for _ in 0..<5000 { writer.write(line) }
        #expect(ContinuousClock.now - started < .seconds(5))
        let dropped = writer.droppedLines
        #expect(dropped > 3000, "dropped \(dropped)")
        // The reader catches up: what was kept comes out, and lines counting what was not
        // (one per batch that followed drops) add up to the rest.
        var kept = 0
        var noticed = 0
        var rest: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while kept + noticed < 5000 {
            var ready = pollfd(fd: fds[0], events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 5000) == 1 else { break }
            let n = read(fds[0], &buffer, buffer.count)
            guard n > 0 else { break }
            rest += buffer[..<n]
            while let end = rest.firstIndex(of: UInt8(ascii: "\n")) {
                let text = rest[..<end]
                rest.removeSubrange(...end)
                if text.first == UInt8(ascii: "{") {
                    let notice = try #require(try JSONSerialization.jsonObject(with: Data(text)) as? [String: String])
                    noticed += Int(notice["dropped"] ?? "") ?? 0
                } else {
                    #expect(text.count == 99)
                    kept += 1
                }
            }
        }
        close(fds[1])
        #expect(kept + noticed == 5000)
        #expect(noticed == dropped)
    }
}

import Foundation
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
        #expect(object["time"] != nil)
    }
}

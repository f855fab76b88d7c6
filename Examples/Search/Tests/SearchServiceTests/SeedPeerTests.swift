import Foundation
import SearchService
import Testing
import SearchTestSupport

/// The seed's Python client and a Python server for the same proto (`Tests/Seed`), against the
/// Swift server and client: the same questions through each pair, the same printed answers and
/// exit statuses.
@Suite("The seed's Python peers")
struct SeedPeerTests {
    /// Command-line arguments for search-client and search_client.py, without the target.
    static func questions() throws -> [[String]] {
        let places = try GeoJSON.places(from: Data(contentsOf: ChildProcess.repositoryRoot.appendingPathComponent("Examples/Search/Fixtures/places.geojson")))
        var rng = SplitMix64(seed: 0x5EED_2016)
        var questions: [[String]] = []
        // A point inside each of a dozen places (found by trying points in its box), written as
        // the exact value of a Float so that both clients send the same bits.
        for place in places.shuffled(using: &rng).prefix(12) {
            let box = place.polygons[0].boundingBox
            for _ in 0..<1_000 {
                let lat = Float(Double.random(in: box.minLatitude...box.maxLatitude, using: &rng))
                let lng = Float(Double.random(in: box.minLongitude...box.maxLongitude, using: &rng))
                guard place.contains(Point(latitude: Double(lat), longitude: Double(lng))) else { continue }
                let point = ["\(Double(lat))", "\(Double(lng))"]
                questions.append(point + ["--per-page", "100"])
                questions.append(point + ["--query", String(place.name.prefix(4)).uppercased()])
                questions.append(point + ["--page", "1", "--per-page", "1"])
                questions.append(point + ["--per-page", "100", "--json"])
                break
            }
        }
        questions.append(["0", "0"])                                // nowhere
        questions.append(["0", "0", "--json"])
        questions.append(["--monitor", "--json"])
        questions.append(["95", "13.4"])                            // INVALID_ARGUMENT
        questions.append(["52.5", "13.4", "--page", "-1"])         // INVALID_ARGUMENT
        questions.append(["--monitor"])
        return questions
    }

    struct Answer: Equatable, CustomStringConvertible {
        var status: Int32
        var stdout: String
        var description: String { "status \(status): \(stdout)" }
    }

    static func ask(_ client: [String], _ port: Int, _ questions: [[String]]) async throws -> [Answer] {
        try await withThrowingTaskGroup(of: (Int, Answer).self) { group in
            var answers = [Answer?](repeating: nil, count: questions.count)
            for (i, question) in questions.enumerated() {
                if i >= 4, let (j, answer) = try await group.next() { answers[j] = answer }  // four at a time
                group.addTask {
                    let output = try await ChildProcess.run(client + question + ["--target", "127.0.0.1:\(port)"])
                    return (i, Answer(status: output.status, stdout: output.stdout))
                }
            }
            for try await (j, answer) in group { answers[j] = answer }
            return answers.map { $0! }
        }
    }

    @Test func pythonAndSwiftGiveTheSameAnswers() async throws {
        let questions = try Self.questions()
        let swiftClient = [ChildProcess.builtProduct("search-client")]
        let pythonClient = ["python3", "Examples/Search/Tests/Seed/search_client.py"]

        let swiftServer = try ChildProcess.Program(ChildProcess.builtProduct("search-server"), ["--port", "0", "--statsd", "", "--data", "Examples/Search/Fixtures/places.geojson"])
        defer { kill(swiftServer.process.processIdentifier, SIGKILL) }
        let pythonServer = try ChildProcess.Program("/usr/bin/env", ["python3", "Examples/Search/Tests/Seed/search_server.py", "--port", "0"])
        defer { kill(pythonServer.process.processIdentifier, SIGKILL) }
        let swiftPort = try await swiftServer.listeningPort()
        let pythonPort = try await pythonServer.listeningPort()

        let reference = try await Self.ask(swiftClient, swiftPort, questions)
        let pythonToSwift = try await Self.ask(pythonClient, swiftPort, questions)
        let swiftToPython = try await Self.ask(swiftClient, pythonPort, questions)

        for (i, question) in questions.enumerated() {
            #expect(pythonToSwift[i] == reference[i], "Python client → Swift server: \(question.joined(separator: " "))")
            #expect(swiftToPython[i] == reference[i], "Swift client → Python server: \(question.joined(separator: " "))")
        }
        // The questions mean something: places found, a miss, refusals, the count.
        let found = reference.filter {
            $0.status == 0 && $0.stdout != "(no places)\n" && !$0.stdout.hasSuffix(" places\n") && !$0.stdout.hasPrefix("{")
        }
        #expect(found.count >= 24, "\(reference)")
        #expect(reference.contains(Answer(status: 0, stdout: "(no places)\n")))
        #expect(reference.filter { $0.status == 3 }.count == 2)
        #expect(reference.last == Answer(status: 0, stdout: "360 places\n"))
        // --json gives the same places as the plain answer to the same question, and both
        // clients write the same bytes for them.
        for (i, question) in questions.enumerated() where question.last == "--json" && question.first != "--monitor" {
            let plain = try #require(questions.firstIndex(of: Array(question.dropLast())), "no plain question for \(question)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(reference[i].stdout.utf8)) as? [String: Any], "\(reference[i].stdout)")
            let names = (object["responses"] as? [[String: String]] ?? []).map { $0["response"] ?? "?" }
            #expect((names.isEmpty ? ["(no places)"] : names) == reference[plain].stdout.split(separator: "\n").map(String.init))
        }
        #expect(reference.contains(Answer(status: 0, stdout: "{\"nThings\":360}\n")))
        print("seed peers: \(questions.count) questions, \(found.count) with places, the same through all three pairs")
    }
}

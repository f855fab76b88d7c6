import GeneratedFixtures
import GRPCRuntime
import ProtoWire

/// The seed's Search service, answering like the Python interop peer does, so both
/// servers can be checked with the same expectations.
struct TestSearchService: Search.Servicer {
    func search(request: SearchRequest, context: ServerContext) async throws -> SearchResponses {
        guard request.pageNumber >= 0 else { throw RPCError(.invalidArgument, "negative page") }
        let count = request.resultPerPage > 0 ? Int(request.resultPerPage) : 3
        return SearchResponses(responses: (0..<count).map {
            SearchResponse(response: "\(request.query)@\(format(request.lat)),\(format(request.lng))#\($0)")
        })
    }

    func monitor(request: Google_Protobuf_Empty, context: ServerContext) async throws -> MonitorResponse {
        MonitorResponse(nThings: 42)
    }
}

/// Floats printed as Python's `str()` prints them after a round trip through float32.
func format(_ value: Float) -> String {
    let d = Double(value)
    if d == d.rounded(), abs(d) < 1e16 { return String(format: d) }
    return "\(d)"
}

private func String(format d: Double) -> String {
    "\(Int64(d)).0"
}

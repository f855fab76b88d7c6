import GRPCRuntime
import ProtoWire

/// The seed's `Search` service: validates and pages requests, asks a backend.
///
/// Paging: `page_number` counts from 0 (the proto3 default asks for the first page);
/// `result_per_page` 0 means `defaultPageSize`, and values over `maximumPageSize` are capped.
/// Negative numbers and coordinates outside ±90° latitude or ±180° longitude are
/// INVALID_ARGUMENT; a failing backend is UNAVAILABLE.
public struct SearchProvider: Search.Servicer {
    public static let defaultPageSize = 10
    public static let maximumPageSize = 100

    let backend: any SearchBackend

    public init(backend: any SearchBackend) {
        self.backend = backend
    }

    public func search(request: SearchRequest, context: ServerContext) async throws -> SearchResponses {
        let latitude = Double(request.lat)
        let longitude = Double(request.lng)
        guard latitude.isFinite, (-90...90).contains(latitude) else {
            throw RPCError(.invalidArgument, "lat must be between -90 and 90, not \(request.lat)")
        }
        guard longitude.isFinite, (-180...180).contains(longitude) else {
            throw RPCError(.invalidArgument, "lng must be between -180 and 180, not \(request.lng)")
        }
        guard request.pageNumber >= 0 else {
            throw RPCError(.invalidArgument, "page_number must not be negative, not \(request.pageNumber)")
        }
        guard request.resultPerPage >= 0 else {
            throw RPCError(.invalidArgument, "result_per_page must not be negative, not \(request.resultPerPage)")
        }
        let pageSize = request.resultPerPage == 0 ? Self.defaultPageSize : min(Int(request.resultPerPage), Self.maximumPageSize)
        let (offset, overflow) = Int(request.pageNumber).multipliedReportingOverflow(by: pageSize)
        guard !overflow else { return SearchResponses() }
        let names: [String]
        do {
            names = try await backend.search(latitude: latitude, longitude: longitude, query: request.query, offset: offset, limit: pageSize)
        } catch let error as RPCError {
            throw error
        } catch {
            throw RPCError(.unavailable, "the place store is unavailable")
        }
        return SearchResponses(responses: names.map { SearchResponse(response: $0) })
    }

    public func monitor(request: Google_Protobuf_Empty, context: ServerContext) async throws -> MonitorResponse {
        let count: Int
        do {
            count = try await backend.placeCount()
        } catch {
            throw RPCError(.unavailable, "the place store is unavailable")
        }
        return MonitorResponse(nThings: Int32(clamping: count))
    }
}

// places-check: a Places.Place holding a Geometry.Point goes through the binary format and back,
// and the Atlas service's generated client and server compile against types from both modules.
import Foundation
import Geometry
import GRPCRuntime
import Places
import ProtoWire

struct Atlas: Places_Atlas.Servicer {
    func nearest(request: Geometry_Point, context: ServerContext) async throws -> Places_Place {
        Places_Place(name: "Null Island", location: request)
    }
}

let place = Places_Place(name: "Berlin", latitude: 52.52, longitude: 13.405)
let decoded = try Places_Place(serializedBytes: place.serializedBytes())
guard decoded == place, decoded.location?.latitude == 52.52 else {
    print("round trip changed the place: \(decoded)")
    exit(1)
}
let transport = InProcessTransport()
let server = GRPCServer(transport: transport.server, services: [Atlas()], interceptors: [])
let answer = try await withThrowingTaskGroup(of: Places_Place?.self) { group in
    group.addTask { try await server.serve(); return nil }
    let channel = GRPCChannel(transport: transport.client)
    let answer = try await Places_Atlas.Client(channel: channel).nearest(Geometry_Point(latitude: 0, longitude: 0))
    server.beginGracefulShutdown()
    return answer
}
print("\(decoded.name) at \(decoded.location!.latitude), \(decoded.location!.longitude); nearest to 0,0: \(answer.name)")

#!/usr/bin/env python3
"""The seed's search server in Python, brought up to date (grpcio's current server API, the
health service), serving the places of a GeoJSON file instead of a PostGIS table, with the
Swift server's rules, so that the Swift client can be checked against a second implementation:

- a place matches when the point is in its interior (a point on an edge or vertex of a ring,
  within 1e-9 degrees, is outside, as with PostGIS's ST_Contains), by even-odd ray casting;
- `query` keeps names containing it, case-insensitively;
- names come sorted by code point, equal names in file order;
- `page_number` counts from 0, `result_per_page` 0 means 10 and at most 100 come back;
- negative numbers and coordinates outside ±90/±180 are INVALID_ARGUMENT.

    search_server.py [--port N] [--data FILE]     prints "search_server.py listening on 127.0.0.1:PORT"
"""

import argparse
import json
import math
import os
import sys
from concurrent import futures

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "Tests", "Interop"))
import stubs  # noqa: E402

stubs.ensure()
import grpc  # noqa: E402
from grpc_health.v1 import health, health_pb2, health_pb2_grpc  # noqa: E402
import search_pb2  # noqa: E402
import search_pb2_grpc  # noqa: E402

EDGE = 1e-9
DEFAULT_PAGE, MAX_PAGE = 10, 100


def on_segment(x, y, ax, ay, bx, by):
    if not (min(ax, bx) - EDGE <= x <= max(ax, bx) + EDGE and min(ay, by) - EDGE <= y <= max(ay, by) + EDGE):
        return False
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0
    if length2 > 0:
        t = min(1.0, max(0.0, ((x - ax) * dx + (y - ay) * dy) / length2))
    cx, cy = ax + t * dx - x, ay + t * dy - y
    return cx * cx + cy * cy <= EDGE * EDGE


def locate(x, y, ring):
    """'inside', 'outside' or 'boundary' of one ring, given as [(lng, lat), ...]."""
    inside = False
    ax, ay = ring[-1]
    for bx, by in ring:
        if on_segment(x, y, ax, ay, bx, by):
            return "boundary"
        if (ay > y) != (by > y):
            if x < ax + (y - ay) / (by - ay) * (bx - ax):
                inside = not inside
        ax, ay = bx, by
    return "inside" if inside else "outside"


def polygon_contains(rings, x, y):
    outer = rings[0]
    xs = [p[0] for p in outer]
    ys = [p[1] for p in outer]
    if not (min(xs) - EDGE <= x <= max(xs) + EDGE and min(ys) - EDGE <= y <= max(ys) + EDGE):
        return False
    if locate(x, y, outer) != "inside":
        return False
    return all(locate(x, y, hole) == "outside" for hole in rings[1:])


def load(path):
    with open(path, encoding="utf-8") as f:
        document = json.load(f)
    places = []
    for feature in document["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        rings = [[[(p[0], p[1]) for p in ring] for ring in polygon] for polygon in polygons]
        places.append((feature["properties"]["name"], rings))
    return places


class Search(search_pb2_grpc.SearchServicer):
    def __init__(self, places):
        self.places = places

    def search(self, request, context):
        lat, lng = request.lat, request.lng
        if not (math.isfinite(lat) and -90 <= lat <= 90):
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "lat must be between -90 and 90")
        if not (math.isfinite(lng) and -180 <= lng <= 180):
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "lng must be between -180 and 180")
        if request.page_number < 0 or request.result_per_page < 0:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "page_number and result_per_page must not be negative")
        size = DEFAULT_PAGE if request.result_per_page == 0 else min(request.result_per_page, MAX_PAGE)
        needle = request.query.lower()
        hits = [(name, i) for i, (name, polygons) in enumerate(self.places)
                if (not needle or needle in name.lower()) and any(polygon_contains(r, lng, lat) for r in polygons)]
        hits.sort()
        start = request.page_number * size
        names = [name for name, _ in hits[start:start + size]]
        return search_pb2.SearchResponses(responses=[search_pb2.SearchResponse(response=n) for n in names])

    def monitor(self, request, context):
        return search_pb2.MonitorResponse(n_things=len(self.places))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=50051)
    parser.add_argument("--data", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Fixtures", "places.geojson"))
    args = parser.parse_args()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    search_pb2_grpc.add_SearchServicer_to_server(Search(load(args.data)), server)
    checker = health.HealthServicer()
    for name in ("", "Search"):
        checker.set(name, health_pb2.HealthCheckResponse.SERVING)
    health_pb2_grpc.add_HealthServicer_to_server(checker, server)
    port = server.add_insecure_port("127.0.0.1:%d" % args.port)
    server.start()
    print("search_server.py listening on 127.0.0.1:%d" % port, flush=True)
    server.wait_for_termination()


if __name__ == "__main__":
    main()

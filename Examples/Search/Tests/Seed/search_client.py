#!/usr/bin/env python3
"""The seed's search client, brought up to date: grpcio's current API, arguments instead of a
hard-coded query, the target on the command line instead of a Consul DNS lookup.

    search_client.py LAT LNG [--query Q] [--page N] [--per-page M] [--target HOST:PORT] [--timeout S] [--json]
    search_client.py --monitor [--target HOST:PORT] [--timeout S] [--json]

Output and exit status are those of the Swift `search-client`, so the two can be compared line
for line: one place per line ("(no places)" for none) or "N places"; the gRPC status code as the
exit status, 64 for bad usage. With --json, the response in the protobuf JSON mapping on one line
(json_format, written compactly).
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "Tests", "Interop"))
import stubs  # noqa: E402

stubs.ensure()
import grpc  # noqa: E402
from google.protobuf import empty_pb2, json_format  # noqa: E402
import search_pb2  # noqa: E402
import search_pb2_grpc  # noqa: E402


class Usage(argparse.ArgumentParser):
    def error(self, message):
        sys.stderr.write("search_client.py: %s\n" % message)
        sys.exit(64)


def as_json(message):
    return json.dumps(json_format.MessageToDict(message), ensure_ascii=False, separators=(",", ":"))


def main():
    parser = Usage(description="Ask a search server for the places containing a point.")
    parser.add_argument("lat", nargs="?", type=float)
    parser.add_argument("lng", nargs="?", type=float)
    parser.add_argument("--monitor", action="store_true")
    parser.add_argument("--query", default="")
    parser.add_argument("--page", type=int, default=0)
    parser.add_argument("--per-page", type=int, default=0)
    parser.add_argument("--target", default="127.0.0.1:50051")
    parser.add_argument("--timeout", type=float, default=5.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    with grpc.insecure_channel(args.target) as channel:
        stub = search_pb2_grpc.SearchStub(channel)
        try:
            if args.monitor:
                response = stub.monitor(empty_pb2.Empty(), timeout=args.timeout)
                print(as_json(response) if args.json else "%d places" % response.n_things)
                return 0
            if args.lat is None or args.lng is None:
                parser.error("give a latitude and a longitude")
            request = search_pb2.SearchRequest(
                query=args.query, lat=args.lat, lng=args.lng,
                page_number=args.page, result_per_page=args.per_page)
            response = stub.search(request, timeout=args.timeout)
        except grpc.RpcError as error:
            sys.stderr.write("search_client.py: %s: %s\n" % (error.code().name, error.details()))
            return error.code().value[0]
    if args.json:
        print(as_json(response))
        return 0
    if not response.responses:
        print("(no places)")
    for place in response.responses:
        print(place.response)
    return 0


if __name__ == "__main__":
    sys.exit(main())

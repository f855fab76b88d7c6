#!/usr/bin/env python3
"""The legitimate clients of the abuse suite: grpcio channels making unary Search.search calls
at a steady pace while an attack runs, in a process of their own so that the attacker's Python
never delays them.

    legit_client.py HOST:PORT [--channels N] [--threads-per-channel N] [--interval SECONDS]

Calls until standard input closes, then prints one JSON list of [start, latency, code] per call
(start in time.monotonic() seconds, which the parent process shares on Linux).
"""

import argparse
import json
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "Tests", "Interop"))
import stubs  # noqa: E402

stubs.ensure()
import grpc  # noqa: E402
import search_pb2  # noqa: E402
import search_pb2_grpc  # noqa: E402

# A point inside the first place of Examples/Search/Fixtures/places.geojson, so each call does
# the real work of a search.
REQUEST = search_pb2.SearchRequest(lat=52.474, lng=13.346, result_per_page=10)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("target")
    parser.add_argument("--channels", type=int, default=2)
    parser.add_argument("--threads-per-channel", type=int, default=2)
    parser.add_argument("--interval", type=float, default=0.01)
    parser.add_argument("--timeout", type=float, default=5.0)
    args = parser.parse_args()

    stop = threading.Event()
    results = []
    lock = threading.Lock()
    channels = [grpc.insecure_channel(args.target) for _ in range(args.channels)]
    for channel in channels:
        grpc.channel_ready_future(channel).result(timeout=10)

    def caller(stub):
        local = []
        while not stop.is_set():
            start = time.monotonic()
            try:
                stub.search(REQUEST, timeout=args.timeout)
                code = 0
            except grpc.RpcError as error:
                code = error.code().value[0]
            local.append([start, time.monotonic() - start, code])
            time.sleep(args.interval)
        with lock:
            results.extend(local)

    threads = [threading.Thread(target=caller, args=(search_pb2_grpc.SearchStub(channel),))
               for channel in channels for _ in range(args.threads_per_channel)]
    for thread in threads:
        thread.start()
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    sys.stdin.read()  # until the parent closes it
    stop.set()
    for thread in threads:
        thread.join()
    for channel in channels:
        channel.close()
    json.dump(sorted(results), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

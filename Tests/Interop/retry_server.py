#!/usr/bin/env python3
"""grpcio server for the retry and hedging interop tests: grpc.testing.TestService's UnaryCall,
CacheableUnaryCall and StreamingInputCall fail (or hold) the first attempts of each call.

Usage:
  retry_server.py --port P [--host 127.0.0.1]

Prints `LISTENING <port>` on stdout once bound, then serves until SIGTERM or SIGINT.

A call says how it wants to be treated in its metadata:
  x-retry-key     groups the attempts of one call (each test call uses a key of its own)
  x-fail-first    how many attempts fail (UNAVAILABLE), counted per key
  x-pushback-ms   sent back as `grpc-retry-pushback-ms` with each failure
  x-slow-first    how many attempts are held before they answer (or fail), counted per key
  x-slow-ms       how long they are held, unless the client cancels them first

Every attempt is logged on stderr, which the tests count:
  ATTEMPT key=<key> n=<attempt> previous=<grpc-previous-rpc-attempts or -> requests=<count> at=<ms>
and so is every held attempt the client cancelled:
  CANCELLED key=<key> n=<attempt>
"""

import argparse
import os
import signal
import sys
import threading
import time
from concurrent import futures

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stubs  # noqa: E402

stubs.ensure()

import grpc  # noqa: E402
from grpc.testing import messages_pb2, test_pb2_grpc  # noqa: E402


class FailingFirstAttempts(test_pb2_grpc.TestServiceServicer):
    def __init__(self):
        self.lock = threading.Lock()
        self.attempts = {}

    def attempt(self, context, requests):
        """Logs the attempt; aborts it when it is one of the first `x-fail-first`."""
        metadata = dict(context.invocation_metadata())
        key = metadata.get("x-retry-key", "")
        with self.lock:
            number = self.attempts.get(key, 0) + 1
            self.attempts[key] = number
        sys.stderr.write("ATTEMPT key=%s n=%d previous=%s requests=%d at=%d\n" % (
            key, number, metadata.get("grpc-previous-rpc-attempts", "-"), requests, int(time.monotonic() * 1000)))
        sys.stderr.flush()
        if number <= int(metadata.get("x-slow-first", "0")):
            end = time.monotonic() + int(metadata.get("x-slow-ms", "0")) / 1000.0
            while time.monotonic() < end:
                if not context.is_active():
                    sys.stderr.write("CANCELLED key=%s n=%d\n" % (key, number))
                    sys.stderr.flush()
                    return number
                time.sleep(0.01)
        if number <= int(metadata.get("x-fail-first", "0")):
            if "x-pushback-ms" in metadata:
                context.set_trailing_metadata((("grpc-retry-pushback-ms", metadata["x-pushback-ms"]),))
            context.abort(grpc.StatusCode.UNAVAILABLE, "failing attempt %d" % number)
        return number

    def UnaryCall(self, request, context):
        number = self.attempt(context, 1)
        return messages_pb2.SimpleResponse(username="attempt %d" % number)

    def CacheableUnaryCall(self, request, context):
        return self.UnaryCall(request, context)

    def StreamingInputCall(self, request_iterator, context):
        sizes = [len(request.payload.body) for request in request_iterator]
        self.attempt(context, len(sizes))
        return messages_pb2.StreamingInputCallResponse(aggregated_payload_size=sum(sizes))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    arguments = parser.parse_args()

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    test_pb2_grpc.add_TestServiceServicer_to_server(FailingFirstAttempts(), server)
    port = server.add_insecure_port("%s:%d" % (arguments.host, arguments.port))
    server.start()
    print("LISTENING %d" % port, flush=True)

    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    while not stopped.wait(0.2):
        pass
    server.stop(grace=2).wait()


if __name__ == "__main__":
    main()

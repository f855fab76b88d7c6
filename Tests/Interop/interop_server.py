#!/usr/bin/env python3
"""grpcio interop server: grpc.testing.TestService, the seed's Search service, and Health.

Usage:
  interop_server.py --port P [--host 127.0.0.1] [--tls-cert F --tls-key F]
                    [--no-tap] [--trace-wire] [--exit-on-stdin-eof] [--verbose]

Prints `LISTENING <port>` on stdout once bound (the real port when --port 0 is given),
then serves until SIGTERM or SIGINT and stops gracefully (exit status 0).

Without TLS the public port is a byte-for-byte relay (h2tap.py) in front of the grpcio
server, which listens on an ephemeral loopback port: grpcio does not tell a handler
whether a request message arrived compressed, and the relay does, which is what the
CompressedRequest feature (`expect_compressed`) needs. With TLS, or --no-tap, grpcio
listens on the public port itself and `expect_compressed` cannot be verified (it is
then accepted as is, with a warning on stderr). See README.md.
"""

import argparse
import os
import re
import signal
import socket
import struct
import sys
import threading
import time
from concurrent import futures

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stubs  # noqa: E402

stubs.ensure()

import grpc  # noqa: E402
from grpc.testing import empty_pb2, messages_pb2, test_pb2_grpc  # noqa: E402
import search_pb2  # noqa: E402
import search_pb2_grpc  # noqa: E402
import h2tap  # noqa: E402

ECHO_INITIAL = "x-grpc-test-echo-initial"
ECHO_TRAILING = "x-grpc-test-echo-trailing-bin"
STATUS_BY_NUMBER = {code.value[0]: code for code in grpc.StatusCode}
VERBOSE = False


def log(message):
    sys.stderr.write("interop_server: %s\n" % message)
    sys.stderr.flush()


def debug(message):
    if VERBOSE:
        log(message)


class CompressionProbe:
    """Answers "did this request message arrive with the compressed flag set?"."""

    def __init__(self, tap):
        self.tap = tap
        self._warned = False

    def _unknown(self):
        if not self._warned:
            self._warned = True
            log("warning: cannot see the compressed flag of requests (TLS or --no-tap); "
                "expect_compressed is not checked")
        return None

    def stream_of(self, context):
        """(connection, stream id) of the call whose request message completed last."""
        if self.tap is None:
            return None
        conn = self.tap.connection_for_peer(context.peer())
        if conn is None:
            return None
        sid = conn.last_stream(h2tap.C2S)
        return None if sid is None else (conn, sid)

    def compressed(self, stream, index):
        """True/False for the index-th request message of `stream`, None if unknown."""
        if stream is None:
            return self._unknown()
        conn, sid = stream
        flags = conn.flags(h2tap.C2S, sid)
        if index >= len(flags):
            return self._unknown()
        return bool(flags[index] & 1)


def zeros_payload(size):
    return messages_pb2.Payload(type=messages_pb2.COMPRESSABLE, body=b"\0" * size)


TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")


def trace_echo(received):
    """W3C trace context: a valid `traceparent` is answered with `x-trace-id` (its trace id),
    `x-parent-span-id` (its span id) and `x-tracestate` (the `tracestate`, if any), as
    trailing metadata, so that a client can check what a server outside Swift saw."""
    values = [m.value for m in received if m.key == "traceparent"]
    if len(values) != 1:
        return []
    match = TRACEPARENT.match(values[0])
    if not match or match.group(1) == "0" * 32 or match.group(2) == "0" * 16:
        return [("x-trace-error", "malformed traceparent %r" % values[0])]
    echoed = [("x-trace-id", match.group(1)), ("x-parent-span-id", match.group(2))]
    echoed += [("x-tracestate", m.value) for m in received if m.key == "tracestate"]
    return echoed


def echo_metadata(context):
    """The Echo Metadata feature: initial and trailing metadata named by the spec, and the
    trace context (trace_echo)."""
    received = context.invocation_metadata()
    initial = [(m.key, m.value) for m in received if m.key == ECHO_INITIAL]
    trailing = [(m.key, m.value) for m in received if m.key == ECHO_TRAILING] + trace_echo(received)
    if initial:
        context.send_initial_metadata(initial)
    if trailing:
        context.set_trailing_metadata(trailing)


def abort_with_echo_status(context, echo_status):
    """The Echo Status feature: ends the RPC with the requested code and message."""
    if echo_status.code == 0:
        return
    code = STATUS_BY_NUMBER.get(echo_status.code, grpc.StatusCode.UNKNOWN)
    context.abort(code, echo_status.message)


def check_response_type(context, response_type):
    if response_type != messages_pb2.COMPRESSABLE:
        context.abort(grpc.StatusCode.INVALID_ARGUMENT, "unsupported response_type %d" % response_type)


def check_expect_compressed(context, probe, stream, index, expect):
    """The CompressedRequest feature: INVALID_ARGUMENT when the flag is not as expected."""
    if not expect:
        return
    compressed = probe.compressed(stream, index)
    debug("expect_compressed: message %d compressed=%s" % (index, compressed))
    if compressed is False:
        context.abort(grpc.StatusCode.INVALID_ARGUMENT,
                      "expected a compressed request message, got an uncompressed one")


class TestService(test_pb2_grpc.TestServiceServicer):
    def __init__(self, probe):
        self.probe = probe

    def EmptyCall(self, request, context):
        echo_metadata(context)
        return empty_pb2.Empty()

    def UnaryCall(self, request, context):
        debug("UnaryCall response_size=%d peer=%s" % (request.response_size, context.peer()))
        stream = self.probe.stream_of(context) if request.expect_compressed.value else None
        echo_metadata(context)
        check_expect_compressed(context, self.probe, stream, 0, request.expect_compressed.value)
        abort_with_echo_status(context, request.response_status)
        check_response_type(context, request.response_type)
        if request.HasField("response_compressed"):
            context.set_compression(grpc.Compression.Gzip if request.response_compressed.value
                                    else grpc.Compression.NoCompression)
        response = messages_pb2.SimpleResponse(payload=zeros_payload(request.response_size))
        if request.fill_server_id:
            response.server_id = "python-grpcio-interop-server"
            response.hostname = socket.gethostname()
        # fill_username / fill_oauth_scope: nothing authenticates here, so they stay empty.
        return response

    def CacheableUnaryCall(self, request, context):
        context.send_initial_metadata([("cache-control", "max-age=60, public")])
        return messages_pb2.SimpleResponse(
            payload=messages_pb2.Payload(type=messages_pb2.COMPRESSABLE, body=str(time.time_ns()).encode()))

    def _respond(self, context, request, responses_sent):
        """Yields the responses one StreamingOutputCallRequest asks for."""
        check_response_type(context, request.response_type)
        for params in request.response_parameters:
            if params.interval_us > 0:
                time.sleep(params.interval_us / 1e6)
            if params.HasField("compressed") and not params.compressed.value:
                context.disable_next_message_compression()
            responses_sent[0] += 1
            yield messages_pb2.StreamingOutputCallResponse(payload=zeros_payload(params.size))

    @staticmethod
    def _prepare_compression(context, requests):
        if any(p.compressed.value for r in requests for p in r.response_parameters):
            context.set_compression(grpc.Compression.Gzip)

    def StreamingOutputCall(self, request, context):
        echo_metadata(context)
        abort_with_echo_status(context, request.response_status)
        self._prepare_compression(context, [request])
        yield from self._respond(context, request, [0])

    def StreamingInputCall(self, request_iterator, context):
        echo_metadata(context)
        # Not in the interop spec: `x-answer-after: N` answers OK after N requests, without
        # reading the rest, so grpcio sends the trailers and then RST_STREAM(NO_ERROR) while the
        # client is still sending (EarlyAnswerInteropTests).
        answer_after = next((int(m.value) for m in context.invocation_metadata() if m.key == "x-answer-after"), None)
        total = 0
        stream = None
        for index, request in enumerate(request_iterator):
            if index == 0:
                stream = self.probe.stream_of(context)
            check_expect_compressed(context, self.probe, stream, index, request.expect_compressed.value)
            total += len(request.payload.body)
            if answer_after is not None and index + 1 >= answer_after:
                break
        return messages_pb2.StreamingInputCallResponse(aggregated_payload_size=total)

    def FullDuplexCall(self, request_iterator, context):
        echo_metadata(context)
        sent = [0]
        compression_set = False
        for request in request_iterator:
            abort_with_echo_status(context, request.response_status)
            if not compression_set and any(p.compressed.value for p in request.response_parameters):
                context.set_compression(grpc.Compression.Gzip)
                compression_set = True
            yield from self._respond(context, request, sent)

    def HalfDuplexCall(self, request_iterator, context):
        echo_metadata(context)
        requests = list(request_iterator)
        for request in requests:
            abort_with_echo_status(context, request.response_status)
        self._prepare_compression(context, requests)
        sent = [0]
        for request in requests:
            yield from self._respond(context, request, sent)

    def UnimplementedCall(self, request, context):
        context.abort(grpc.StatusCode.UNIMPLEMENTED, "UnimplementedCall is not implemented, on purpose")


def float32_text(value):
    """The shortest decimal that round-trips the float32 value, written like Python's repr.

    Matches Swift's `Float.description` for ordinary magnitudes (for example 52.5, 0.1,
    0.0, -3.0, 1e-05); the two differ for |value| >= 2**24, where Swift switches to
    exponent notation and Python does not until 1e16.
    """
    if value != value or value in (float("inf"), float("-inf")):
        return repr(value)
    for digits in range(1, 10):
        text = "%.*g" % (digits, value)
        if struct.unpack("<f", struct.pack("<f", float(text)))[0] == value:
            return repr(float(text))
    return repr(value)


def search_result_text(request, i):
    return "%s@%s,%s#%d" % (request.query, float32_text(request.lat), float32_text(request.lng), i)


class SearchService(search_pb2_grpc.SearchServicer):
    def search(self, request, context):
        echo_metadata(context)
        if request.page_number < 0:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "negative page")
        count = request.result_per_page or 3
        return search_pb2.SearchResponses(responses=[
            search_pb2.SearchResponse(response=search_result_text(request, i)) for i in range(count)])

    def monitor(self, request, context):
        echo_metadata(context)
        return search_pb2.MonitorResponse(n_things=42)


SERVED_NAMES = ("", "grpc.testing.TestService", "Search")


def add_health(server):
    """grpc.health.v1.Health: grpcio-health-checking if installed, else Check/Watch here."""
    try:
        from grpc_health.v1 import health, health_pb2, health_pb2_grpc
    except ImportError:
        health = None
    if health is not None:
        servicer = health.HealthServicer()
        for name in SERVED_NAMES:
            servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
        health_pb2_grpc.add_HealthServicer_to_server(servicer, server)
        return "grpcio-health-checking", servicer.enter_graceful_shutdown

    from grpc.health.v1 import health_pb2, health_pb2_grpc
    statuses = {name: health_pb2.HealthCheckResponse.SERVING for name in SERVED_NAMES}

    class Health(health_pb2_grpc.HealthServicer):
        def Check(self, request, context):
            if request.service not in statuses:
                context.abort(grpc.StatusCode.NOT_FOUND, "unknown service")
            return health_pb2.HealthCheckResponse(status=statuses[request.service])

        def Watch(self, request, context):
            yield health_pb2.HealthCheckResponse(
                status=statuses.get(request.service, health_pb2.HealthCheckResponse.SERVICE_UNKNOWN))
            while context.is_active():
                time.sleep(0.2)

    def shutdown():
        for name in statuses:
            statuses[name] = health_pb2.HealthCheckResponse.NOT_SERVING

    health_pb2_grpc.add_HealthServicer_to_server(Health(), server)
    return "generated stubs", shutdown


def read_file(path):
    with open(path, "rb") as f:
        return f.read()


def main():
    global VERBOSE
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True, help="port to listen on; 0 picks a free one")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--tls-cert", help="PEM certificate chain; serve TLS (with --tls-key)")
    parser.add_argument("--tls-key", help="PEM private key for --tls-cert")
    parser.add_argument("--no-tap", action="store_true",
                        help="let grpcio listen on the public port itself (expect_compressed is then not checked)")
    parser.add_argument("--trace-wire", action="store_true",
                        help="print every HTTP/2 frame passing the relay on stderr (plaintext only)")
    parser.add_argument("--exit-on-stdin-eof", action="store_true",
                        help="also stop when standard input reaches end of file (the parent went away)")
    parser.add_argument("--grace", type=float, default=2.0, help="seconds given to running RPCs at shutdown")
    parser.add_argument("--verbose", action="store_true", help="log RPCs on stderr")
    args = parser.parse_args()
    VERBOSE = args.verbose
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    use_tls = bool(args.tls_cert)
    use_tap = not use_tls and not args.no_tap
    if args.trace_wire and not use_tap:
        parser.error("--trace-wire needs the plaintext relay (no TLS, no --no-tap)")

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=64, thread_name_prefix="rpc"))
    probe = CompressionProbe(None)
    test_pb2_grpc.add_TestServiceServicer_to_server(TestService(probe), server)
    search_pb2_grpc.add_SearchServicer_to_server(SearchService(), server)
    health_impl, health_shutdown = add_health(server)

    host = args.host[1:-1] if args.host.startswith("[") else args.host
    tap = None
    if use_tap:
        backend_port = server.add_insecure_port("127.0.0.1:0")
        if backend_port == 0:
            log("cannot bind the backend port")
            return 1
        try:
            tap = h2tap.Tap(host, args.port, "127.0.0.1", backend_port, trace=args.trace_wire, name="server-tap")
        except OSError as e:
            log("cannot listen on %s:%d: %s" % (args.host, args.port, e))
            return 1
        probe.tap = tap
        port = tap.port
    else:
        address = "[%s]:%d" % (host, args.port) if ":" in host else "%s:%d" % (host, args.port)
        try:
            if use_tls:
                credentials = grpc.ssl_server_credentials([(read_file(args.tls_key), read_file(args.tls_cert))])
                port = server.add_secure_port(address, credentials)
            else:
                port = server.add_insecure_port(address)
        except RuntimeError as e:
            log("cannot listen on %s: %s" % (address, e))
            return 1
        if port == 0:
            log("cannot listen on %s" % address)
            return 1

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda signum, frame: stop.set())
    if args.exit_on_stdin_eof:
        def watch_stdin():
            try:
                while sys.stdin.buffer.read(4096):
                    pass
            except (OSError, ValueError):
                pass
            stop.set()
        threading.Thread(target=watch_stdin, daemon=True).start()

    server.start()
    log("serving TestService, Search and Health (%s) on %s:%d, %s%s" % (
        health_impl, args.host, port, "TLS" if use_tls else "plaintext",
        ", through the wire tap" if tap else ""))
    sys.stdout.write("LISTENING %d\n" % port)
    sys.stdout.flush()

    while not stop.wait(0.5):
        pass
    log("stopping")
    if tap is not None:
        tap.close()  # no new connections; existing ones keep being relayed
    health_shutdown()
    server.stop(args.grace).wait()
    log("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""grpcio interop client: runs standard gRPC interop cases (and the seed's Search cases).

Usage:
  interop_client.py --target HOST:PORT --case NAME[,NAME...]|all
                    [--tls-ca F [--server-host-override H]]
                    [--rpc-timeout SECONDS] [--tap] [--trace-wire] [--list]

Prints `PASS <case>` or `FAIL <case>: <reason>` per case; with more than one case (for
example `--case all`) also a final `N passed, M failed` line. Exit status: 0 when every
case passed, 1 when one failed, 2 for a usage error.

The compression cases relay their channel through h2tap.py (plaintext only) to see the
per-message compressed flag, which grpcio does not expose; --tap relays every case
(--trace-wire also prints each HTTP/2 frame on stderr). See README.md.
"""

import argparse
import os
import queue
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stubs  # noqa: E402

stubs.ensure()

import grpc  # noqa: E402
from grpc.testing import empty_pb2, messages_pb2, test_pb2_grpc  # noqa: E402
import search_pb2  # noqa: E402
import search_pb2_grpc  # noqa: E402
import h2tap  # noqa: E402

ECHO_INITIAL = "x-grpc-test-echo-initial"
ECHO_INITIAL_VALUE = "test_initial_metadata_value"
ECHO_TRAILING = "x-grpc-test-echo-trailing-bin"
ECHO_TRAILING_VALUE = b"\xab\xab\xab"
SPECIAL_STATUS_MESSAGE = "\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \U0001f608\t\n"


class CaseFailure(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise CaseFailure(message)


def zeros(size):
    return messages_pb2.Payload(type=messages_pb2.COMPRESSABLE, body=b"\0" * size)


def expect_zeros(payload, size, what="response payload"):
    expect(len(payload.body) == size, "%s is %d bytes, expected %d" % (what, len(payload.body), size))
    expect(payload.body.count(0) == size, "%s is not all zeros" % what)


def expect_rpc_error(error_or_call, code, message=None, what="call"):
    """Checks the final status of a failed call (an RpcError, which is also the Call)."""
    got = error_or_call.code()
    expect(got == code, "%s ended with %s (%r), expected %s" % (what, got, error_or_call.details(), code))
    if message is not None:
        details = error_or_call.details()
        expect(details == message, "%s status message is %r, expected %r" % (what, details, message))


def describe(error):
    if isinstance(error, grpc.RpcError) and hasattr(error, "code"):
        return "unexpected RPC failure %s: %r" % (error.code(), error.details())
    return "%s: %s" % (type(error).__name__, error)


def metadata_values(metadata, key):
    return [value for k, value in (metadata or ()) if k == key]


class RequestQueue:
    """A request iterator the test feeds one message at a time; close() half-closes."""

    _END = object()

    def __init__(self, *initial):
        self._queue = queue.Queue()
        for item in initial:
            self.put(item)

    def put(self, item):
        self._queue.put(item)

    def close(self):
        self._queue.put(self._END)

    def __iter__(self):
        while True:
            item = self._queue.get()
            if item is self._END:
                return
            yield item


class Session:
    """Channel factory for one case; closes what it made."""

    def __init__(self, options):
        self.options = options
        self._closers = []
        self.tap = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for close in reversed(self._closers):
            try:
                close()
            except Exception:
                pass

    @property
    def timeout(self):
        return self.options.rpc_timeout

    def channel(self, tap=False):
        """A new channel to the target; tap=True relays it through h2tap (plaintext only)."""
        opts = self.options
        target = opts.target
        channel_options = []
        if opts.server_host_override:
            channel_options += [("grpc.ssl_target_name_override", opts.server_host_override),
                                ("grpc.default_authority", opts.server_host_override)]
        if (tap or opts.tap or opts.trace_wire) and not opts.tls_ca:
            host, port = split_target(opts.target)
            self.tap = h2tap.Tap("127.0.0.1", 0, host, port, trace=opts.trace_wire, name="client-tap")
            self._closers.append(self.tap.close)
            target = "127.0.0.1:%d" % self.tap.port
            if not opts.server_host_override:
                channel_options.append(("grpc.default_authority", opts.target))
        if opts.tls_ca:
            with open(opts.tls_ca, "rb") as f:
                credentials = grpc.ssl_channel_credentials(root_certificates=f.read())
            channel = grpc.secure_channel(target, credentials, options=channel_options)
        else:
            channel = grpc.insecure_channel(target, options=channel_options)
        self._closers.append(channel.close)
        return channel

    def test_stub(self, tap=False):
        return test_pb2_grpc.TestServiceStub(self.channel(tap))

    def flags_of_last_stream(self, direction):
        """Compressed flags of the messages of the stream that last carried one in `direction`."""
        if self.tap is None:
            return None
        conn = self.tap.latest_connection()
        if conn is None:
            return None
        sid = conn.last_stream(direction)
        return None if sid is None else conn.flags(direction, sid)


def split_target(target):
    host, _, port = target.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError("--target must be HOST:PORT, got %r" % target)
    return (host[1:-1] if host.startswith("[") else host), int(port)


def note(message):
    sys.stderr.write("note: %s\n" % message)
    sys.stderr.flush()


# ---------------------------------------------------------------------------- cases

def large_unary_request(**extra):
    return messages_pb2.SimpleRequest(response_type=messages_pb2.COMPRESSABLE, response_size=314159,
                                      payload=zeros(271828), **extra)


def case_empty_unary(s):
    response = s.test_stub().EmptyCall(empty_pb2.Empty(), timeout=s.timeout)
    expect(isinstance(response, empty_pb2.Empty), "response is %r, expected grpc.testing.Empty" % (response,))


def case_large_unary(s):
    response = s.test_stub().UnaryCall(large_unary_request(), timeout=s.timeout)
    expect_zeros(response.payload, 314159)


def case_client_streaming(s):
    sizes = (27182, 8, 1828, 45904)
    requests = [messages_pb2.StreamingInputCallRequest(payload=zeros(n)) for n in sizes]
    response = s.test_stub().StreamingInputCall(iter(requests), timeout=s.timeout)
    expect(response.aggregated_payload_size == 74922,
           "aggregated_payload_size is %d, expected 74922" % response.aggregated_payload_size)


def case_server_streaming(s):
    sizes = (31415, 9, 2653, 58979)
    request = messages_pb2.StreamingOutputCallRequest(
        response_type=messages_pb2.COMPRESSABLE,
        response_parameters=[messages_pb2.ResponseParameters(size=n) for n in sizes])
    call = s.test_stub().StreamingOutputCall(request, timeout=s.timeout)
    responses = list(call)
    expect(len(responses) == 4, "got %d responses, expected 4" % len(responses))
    for i, (response, size) in enumerate(zip(responses, sizes)):
        expect_zeros(response.payload, size, "response %d payload" % i)
    expect(call.code() == grpc.StatusCode.OK, "call ended with %s" % call.code())


def case_ping_pong(s):
    pairs = ((31415, 27182), (9, 8), (2653, 1828), (58979, 45904))
    requests = RequestQueue()
    call = s.test_stub().FullDuplexCall(iter(requests), timeout=s.timeout)
    try:
        for i, (response_size, request_size) in enumerate(pairs):
            requests.put(messages_pb2.StreamingOutputCallRequest(
                response_type=messages_pb2.COMPRESSABLE,
                response_parameters=[messages_pb2.ResponseParameters(size=response_size)],
                payload=zeros(request_size)))
            try:
                response = next(call)
            except StopIteration:
                raise CaseFailure("stream ended after %d responses, expected 4" % i)
            expect_zeros(response.payload, response_size, "response %d payload" % i)
        requests.close()
        rest = list(call)
        expect(not rest, "got %d responses after the 4th" % len(rest))
    finally:
        requests.close()
    expect(call.code() == grpc.StatusCode.OK, "call ended with %s" % call.code())


def case_empty_stream(s):
    call = s.test_stub().FullDuplexCall(iter(()), timeout=s.timeout)
    responses = list(call)
    expect(not responses, "got %d responses, expected none" % len(responses))
    expect(call.code() == grpc.StatusCode.OK, "call ended with %s" % call.code())


def expect_echoed_metadata(call, what):
    initial = metadata_values(call.initial_metadata(), ECHO_INITIAL)
    expect(initial == [ECHO_INITIAL_VALUE],
           "%s: initial metadata %s is %r, expected [%r]" % (what, ECHO_INITIAL, initial, ECHO_INITIAL_VALUE))
    trailing = metadata_values(call.trailing_metadata(), ECHO_TRAILING)
    expect(trailing == [ECHO_TRAILING_VALUE],
           "%s: trailing metadata %s is %r, expected [%r]" % (what, ECHO_TRAILING, trailing, ECHO_TRAILING_VALUE))


def case_custom_metadata(s):
    metadata = ((ECHO_INITIAL, ECHO_INITIAL_VALUE), (ECHO_TRAILING, ECHO_TRAILING_VALUE))
    stub = s.test_stub()
    response, call = stub.UnaryCall.with_call(large_unary_request(), metadata=metadata, timeout=s.timeout)
    expect_zeros(response.payload, 314159, "UnaryCall response payload")
    expect_echoed_metadata(call, "UnaryCall")

    request = messages_pb2.StreamingOutputCallRequest(
        response_type=messages_pb2.COMPRESSABLE,
        response_parameters=[messages_pb2.ResponseParameters(size=314159)], payload=zeros(271828))
    call = stub.FullDuplexCall(iter([request]), metadata=metadata, timeout=s.timeout)
    responses = list(call)
    expect(len(responses) == 1, "FullDuplexCall: got %d responses, expected 1" % len(responses))
    expect_zeros(responses[0].payload, 314159, "FullDuplexCall response payload")
    expect_echoed_metadata(call, "FullDuplexCall")


def check_echo_status(s, code, message):
    status = messages_pb2.EchoStatus(code=code, message=message)
    expected_code = {c.value[0]: c for c in grpc.StatusCode}[code]
    stub = s.test_stub()
    try:
        stub.UnaryCall(messages_pb2.SimpleRequest(response_status=status), timeout=s.timeout)
        raise CaseFailure("UnaryCall succeeded, expected status %s" % expected_code)
    except grpc.RpcError as e:
        expect_rpc_error(e, expected_code, message, "UnaryCall")
    return stub


def case_status_code_and_message(s):
    stub = check_echo_status(s, 2, "test status message")
    request = messages_pb2.StreamingOutputCallRequest(
        response_status=messages_pb2.EchoStatus(code=2, message="test status message"))
    call = stub.FullDuplexCall(iter([request]), timeout=s.timeout)
    try:
        responses = list(call)
        raise CaseFailure("FullDuplexCall succeeded with %d responses, expected status UNKNOWN" % len(responses))
    except grpc.RpcError as e:
        expect_rpc_error(e, grpc.StatusCode.UNKNOWN, "test status message", "FullDuplexCall")


def case_special_status_message(s):
    check_echo_status(s, 2, SPECIAL_STATUS_MESSAGE)


def case_unimplemented_method(s):
    try:
        s.test_stub().UnimplementedCall(empty_pb2.Empty(), timeout=s.timeout)
        raise CaseFailure("grpc.testing.TestService/UnimplementedCall succeeded, expected UNIMPLEMENTED")
    except grpc.RpcError as e:
        expect_rpc_error(e, grpc.StatusCode.UNIMPLEMENTED)


def case_unimplemented_service(s):
    stub = test_pb2_grpc.UnimplementedServiceStub(s.channel())
    try:
        stub.UnimplementedCall(empty_pb2.Empty(), timeout=s.timeout)
        raise CaseFailure("grpc.testing.UnimplementedService/UnimplementedCall succeeded, expected UNIMPLEMENTED")
    except grpc.RpcError as e:
        expect_rpc_error(e, grpc.StatusCode.UNIMPLEMENTED)


def case_cancel_after_begin(s):
    requests = RequestQueue()
    future = s.test_stub().StreamingInputCall.future(iter(requests), timeout=s.timeout)
    try:
        future.cancel()
    finally:
        requests.close()
    try:
        future.result(timeout=s.timeout)
        raise CaseFailure("call completed normally, expected CANCELLED")
    except grpc.FutureCancelledError:
        pass
    except grpc.RpcError as e:
        expect_rpc_error(e, grpc.StatusCode.CANCELLED)
    expect(future.cancelled(), "call is not cancelled")
    expect(future.code() == grpc.StatusCode.CANCELLED, "call ended with %s, expected CANCELLED" % future.code())


def case_cancel_after_first_response(s):
    requests = RequestQueue(messages_pb2.StreamingOutputCallRequest(
        response_type=messages_pb2.COMPRESSABLE,
        response_parameters=[messages_pb2.ResponseParameters(size=31415)], payload=zeros(27182)))
    call = s.test_stub().FullDuplexCall(iter(requests), timeout=s.timeout)
    try:
        response = next(call)
        expect_zeros(response.payload, 31415, "first response payload")
        call.cancel()
    finally:
        requests.close()
    try:
        rest = list(call)
        raise CaseFailure("stream went on normally (%d more responses), expected CANCELLED" % len(rest))
    except grpc.RpcError as e:
        expect_rpc_error(e, grpc.StatusCode.CANCELLED)


def case_timeout_on_sleeping_server(s):
    channel = s.channel()
    # Connect first: on a fresh channel the 1 ms deadline passes while connecting and
    # grpcio fails the call without ever sending it, which would test nothing remote.
    grpc.channel_ready_future(channel).result(timeout=s.timeout)
    requests = RequestQueue(messages_pb2.StreamingOutputCallRequest(payload=zeros(27182)))
    call = test_pb2_grpc.TestServiceStub(channel).FullDuplexCall(iter(requests), timeout=0.001)
    try:
        responses = list(call)
        raise CaseFailure("call completed with %d responses, expected DEADLINE_EXCEEDED" % len(responses))
    except grpc.RpcError as e:
        expect_rpc_error(e, grpc.StatusCode.DEADLINE_EXCEEDED)
    finally:
        requests.close()


def check_flags(s, direction, expected, what):
    """Asserts the compressed flags the tap saw on the last stream, when it can see them."""
    flags = s.flags_of_last_stream(direction)
    if flags is None:
        note("%s: compressed flag not checked (no wire tap: TLS)" % what)
        return
    flags = [f & 1 for f in flags]
    expect(flags == expected, "%s: compressed flags on the wire are %r, expected %r" % (what, flags, expected))


def case_client_compressed_unary(s):
    stub = s.test_stub(tap=True)
    probe = large_unary_request(expect_compressed=messages_pb2.BoolValue(value=True))
    try:
        stub.UnaryCall(probe, compression=grpc.Compression.NoCompression, timeout=s.timeout)
        raise CaseFailure("probe (uncompressed request with expect_compressed=true) succeeded, "
                          "expected INVALID_ARGUMENT: the server does not check expect_compressed")
    except grpc.RpcError as e:
        expect_rpc_error(e, grpc.StatusCode.INVALID_ARGUMENT, what="probe")
    check_flags(s, h2tap.C2S, [0], "probe request")

    response = stub.UnaryCall(probe, compression=grpc.Compression.Gzip, timeout=s.timeout)
    check_flags(s, h2tap.C2S, [1], "compressed request")
    expect_zeros(response.payload, 314159, "response to the compressed request")

    plain = large_unary_request(expect_compressed=messages_pb2.BoolValue(value=False))
    response = stub.UnaryCall(plain, compression=grpc.Compression.NoCompression, timeout=s.timeout)
    check_flags(s, h2tap.C2S, [0], "uncompressed request")
    expect_zeros(response.payload, 314159, "response to the uncompressed request")


def case_server_compressed_unary(s):
    stub = s.test_stub(tap=True)
    for compressed in (True, False):
        request = large_unary_request(response_compressed=messages_pb2.BoolValue(value=compressed))
        response = stub.UnaryCall(request, timeout=s.timeout)
        check_flags(s, h2tap.S2C, [int(compressed)], "response with response_compressed=%s" % compressed)
        expect_zeros(response.payload, 314159, "response payload (response_compressed=%s)" % compressed)


def case_server_compressed_streaming(s):
    request = messages_pb2.StreamingOutputCallRequest(
        response_type=messages_pb2.COMPRESSABLE,
        response_parameters=[
            messages_pb2.ResponseParameters(size=31415, compressed=messages_pb2.BoolValue(value=True)),
            messages_pb2.ResponseParameters(size=92653, compressed=messages_pb2.BoolValue(value=False))])
    call = s.test_stub(tap=True).StreamingOutputCall(request, timeout=s.timeout)
    responses = list(call)
    expect(len(responses) == 2, "got %d responses, expected 2" % len(responses))
    expect_zeros(responses[0].payload, 31415, "response 0 payload")
    expect_zeros(responses[1].payload, 92653, "response 1 payload")
    check_flags(s, h2tap.S2C, [1, 0], "responses")


def search_text(query, lat, lng, i):
    return "%s@%s,%s#%d" % (query, lat, lng, i)


def case_search(s):
    stub = search_pb2_grpc.SearchStub(s.channel())
    # Coordinates exactly representable as float32, so that "%s" of them is the same
    # text in every language (Python repr, Swift description).
    checks = [
        (dict(query="interop", lat=52.5, lng=13.25, page_number=0, result_per_page=2),
         [search_text("interop", "52.5", "13.25", i) for i in range(2)]),
        (dict(query="sydney", lat=-33.875, lng=151.25, page_number=1),
         [search_text("sydney", "-33.875", "151.25", i) for i in range(3)]),
        (dict(query=""), [search_text("", "0.0", "0.0", i) for i in range(3)]),
    ]
    for fields, expected in checks:
        response = stub.search(search_pb2.SearchRequest(**fields), timeout=s.timeout)
        got = [r.response for r in response.responses]
        expect(got == expected, "search(%r) answered %r, expected %r" % (fields, got, expected))
    try:
        stub.search(search_pb2.SearchRequest(query="x", page_number=-1), timeout=s.timeout)
        raise CaseFailure("search with page_number=-1 succeeded, expected INVALID_ARGUMENT")
    except grpc.RpcError as e:
        expect_rpc_error(e, grpc.StatusCode.INVALID_ARGUMENT, "negative page", "search(page_number=-1)")


def case_monitor(s):
    from google.protobuf import empty_pb2 as wkt_empty_pb2
    stub = search_pb2_grpc.SearchStub(s.channel())
    response = stub.monitor(wkt_empty_pb2.Empty(), timeout=s.timeout)
    expect(response.n_things == 42, "n_things is %d, expected 42" % response.n_things)


def case_health(s):
    try:
        from grpc_health.v1 import health_pb2, health_pb2_grpc
    except ImportError:
        from grpc.health.v1 import health_pb2, health_pb2_grpc
    stub = health_pb2_grpc.HealthStub(s.channel())
    response = stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=s.timeout)
    expect(response.status == health_pb2.HealthCheckResponse.SERVING,
           "overall health is %s, expected SERVING"
           % health_pb2.HealthCheckResponse.ServingStatus.Name(response.status))


CASES = {
    "empty_unary": case_empty_unary,
    "large_unary": case_large_unary,
    "client_streaming": case_client_streaming,
    "server_streaming": case_server_streaming,
    "ping_pong": case_ping_pong,
    "empty_stream": case_empty_stream,
    "custom_metadata": case_custom_metadata,
    "status_code_and_message": case_status_code_and_message,
    "special_status_message": case_special_status_message,
    "unimplemented_method": case_unimplemented_method,
    "unimplemented_service": case_unimplemented_service,
    "cancel_after_begin": case_cancel_after_begin,
    "cancel_after_first_response": case_cancel_after_first_response,
    "timeout_on_sleeping_server": case_timeout_on_sleeping_server,
    "client_compressed_unary": case_client_compressed_unary,
    "server_compressed_unary": case_server_compressed_unary,
    "server_compressed_streaming": case_server_compressed_streaming,
    "search": case_search,
    "monitor": case_monitor,
    "health": case_health,
}


def run_case(name, options):
    started = time.monotonic()
    try:
        with Session(options) as session:
            CASES[name](session)
    except CaseFailure as e:
        return "FAIL %s: %s" % (name, e)
    except Exception as e:
        if options.verbose:
            traceback.print_exc()
        return "FAIL %s: %s" % (name, describe(e))
    finally:
        if options.verbose:
            sys.stderr.write("%s took %.3f s\n" % (name, time.monotonic() - started))
    return "PASS %s" % name


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", help="server address, HOST:PORT")
    parser.add_argument("--case", help="case name, several separated by commas, or 'all'")
    parser.add_argument("--tls-ca", help="PEM root certificate(s); connect with TLS")
    parser.add_argument("--server-host-override", help="name to verify the TLS certificate against (and :authority)")
    parser.add_argument("--rpc-timeout", type=float, default=20.0, help="deadline of each RPC in seconds (default 20)")
    parser.add_argument("--tap", action="store_true", help="relay every case through the wire tap (plaintext only)")
    parser.add_argument("--trace-wire", action="store_true", help="like --tap, and print every HTTP/2 frame on stderr")
    parser.add_argument("--list", action="store_true", help="print the case names and exit")
    parser.add_argument("--verbose", action="store_true", help="tracebacks and timings on stderr")
    options = parser.parse_args()
    if options.list:
        print("\n".join(CASES))
        return 0
    if not options.target or not options.case:
        parser.error("--target and --case are required")
    if options.server_host_override and not options.tls_ca:
        parser.error("--server-host-override needs --tls-ca")
    try:
        split_target(options.target)
    except ValueError as e:
        parser.error(str(e))
    names = list(CASES) if options.case == "all" else [n.strip() for n in options.case.split(",") if n.strip()]
    unknown = [n for n in names if n not in CASES]
    if unknown:
        parser.error("unknown case(s) %s; known: %s" % (", ".join(unknown), ", ".join(CASES)))

    passed = failed = 0
    for name in names:
        line = run_case(name, options)
        print(line, flush=True)
        if line.startswith("PASS"):
            passed += 1
        else:
            failed += 1
    if len(names) > 1:
        print("%d passed, %d failed" % (passed, failed), flush=True)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

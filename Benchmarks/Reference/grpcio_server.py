"""The Search service and its streaming variants on Python's grpcio, a reference for the RPC
benchmark: the same answers as server-ours and server-peer.
  python3 grpcio_server.py GEN_DIR PORT
GEN_DIR holds search_pb2*.py and stream_pb2*.py (grpc_tools.protoc --python_out --grpc_python_out).
"""
import signal
import sys
from concurrent import futures

sys.path.insert(0, sys.argv[1])
import grpc  # noqa: E402

import search_pb2  # noqa: E402
import search_pb2_grpc  # noqa: E402
import stream_pb2_grpc  # noqa: E402

NAMES = [f"place number {i} in Berlin" for i in range(1000)]


def count(request):
    return 10 if request.result_per_page == 0 else min(request.result_per_page, len(NAMES))


class Search(search_pb2_grpc.SearchServicer):
    def __init__(self):
        self.answers = {}

    def search(self, request, context):
        n = count(request)
        if n not in self.answers:
            self.answers[n] = search_pb2.SearchResponses(
                responses=[search_pb2.SearchResponse(response=name) for name in NAMES[:n]])
        return self.answers[n]

    def monitor(self, request, context):
        return search_pb2.MonitorResponse(n_things=len(NAMES))


class Stream(stream_pb2_grpc.SearchStreamServicer):
    FIRST = search_pb2.SearchResponse(response=NAMES[0])

    def searchStream(self, request, context):
        for name in NAMES[:count(request)]:
            yield search_pb2.SearchResponse(response=name)

    def tally(self, request_iterator, context):
        return search_pb2.MonitorResponse(n_things=sum(1 for _ in request_iterator))

    def answerEach(self, request_iterator, context):
        for _ in request_iterator:
            yield self.FIRST


server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
search_pb2_grpc.add_SearchServicer_to_server(Search(), server)
stream_pb2_grpc.add_SearchStreamServicer_to_server(Stream(), server)
server.add_insecure_port(f"127.0.0.1:{sys.argv[2]}")
server.start()
signal.signal(signal.SIGTERM, lambda *_: server.stop(0))
server.wait_for_termination()

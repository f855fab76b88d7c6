#!/usr/bin/env bash
# Every benchmark of this project against its peers, one table of ratios at the end.
#   Benchmarks/run.sh            full run: builds everything (the first time about 20 minutes,
#                                with the peer plugins and two clean builds), then runs ~10 minutes
#   Benchmarks/run.sh --smoke    seconds of each benchmark, for CI: builds codec-bench (the codec
#                                comparison), the two RPC servers and clients (a short unary and
#                                streaming run), skips what needs the rest, saying so; and checks the
#                                migration guide's example (Scripts/migration-check.sh)
# Options after the mode go to Scripts/bench.py (--only codec,rpc,codegen,build; --out FILE).
set -euo pipefail
cd "$(dirname "$0")"
mode=full
if [ "${1:-}" = "--smoke" ]; then mode=smoke; shift; fi

# What the benchmarks run besides Swift: protoc and Python's protobuf and grpcio (the project's
# own install script), valgrind, g++ and libprotobuf for the C++ reference, h2load and nghttpd.
(cd .. && Scripts/install-deps.sh --python)
need=()
command -v valgrind >/dev/null || need+=(valgrind)
command -v g++ >/dev/null || need+=(g++)
[ -f /usr/include/google/protobuf/message.h ] || need+=(libprotobuf-dev)
command -v h2load >/dev/null || need+=(nghttp2-client)
command -v nghttpd >/dev/null || need+=(nghttp2-server)
if [ ${#need[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

if [ "$mode" = smoke ]; then
    swift build -c release --product codec-bench
    swift build -c release --product server-ours
    swift build -c release --product server-peer
    swift build -c release --product client-ours
    swift build -c release --product client-peer
    # The migration guide's example: swift-protobuf + grpc-swift-2 and this toolkit, each client
    # against each server.
    Scripts/migration-check.sh
    exec python3 Scripts/bench.py --smoke --only codec,rpc,codegen "$@"
fi
swift build -c release --product codec-bench
swift build -c release --product server-ours
swift build -c release --product server-peer
swift build -c release --product client-ours
swift build -c release --product client-peer
# The real search-server, for the cost of its per-call log line and metrics.
swift build --package-path ../Examples/Search -c release --product search-server
(cd .. && swift build -c release --product protoc-gen-swift-grpc)
swift build -c release --scratch-path .build-plugins --product protoc-gen-swift
swift build -c release --scratch-path .build-plugins --product protoc-gen-grpc-swift-2
exec python3 Scripts/bench.py "$@"

#!/usr/bin/env bash
# Regenerates the committed Swift the benchmarks compile, from Fixtures/search.proto and
# Benchmarks/Protos/*.proto:
#   Sources/OursMessages, Sources/OursRPC   by this project's protoc-gen-swift-grpc
#   Sources/PeerMessages, Sources/PeerRPC   by swift-protobuf's protoc-gen-swift (1.39.0) and
#                                           grpc-swift-protobuf's protoc-gen-grpc-swift-2 (2.4.1)
#   Sources/migration-before                the same two, from Examples/Greeter's helloworld.proto
#                                           (migration-after generates its own at build time)
# The peer plugins are built from the versions Package.swift pins, into .build-plugins (about
# ten minutes the first time). Review the result with git diff.
# Usage: Benchmarks/Scripts/generate.sh
set -euo pipefail
cd "$(dirname "$0")/.."
include="${PROTO_INCLUDE:-/usr/include}"

ours_bin="$(cd .. && swift build -c release --product protoc-gen-swift-grpc >/dev/null && swift build -c release --show-bin-path)"
swift build -c release --scratch-path .build-plugins --product protoc-gen-swift >/dev/null
swift build -c release --scratch-path .build-plugins --product protoc-gen-grpc-swift-2 >/dev/null
peer_bin="$(swift build -c release --scratch-path .build-plugins --show-bin-path)"

inc=(-I ../Fixtures -I Protos -I "$include")
clean() { find "$1" \( -name '*.pb.swift' -o -name '*.grpc.swift' \) -delete; }  # keeps Messages.swift

clean Sources/OursMessages; clean Sources/OursRPC
# stream.proto declares no message, but its .pb.swift holds the file's descriptor, which the
# services in OursRPC name for reflection.
protoc --plugin=protoc-gen-swift-grpc="$ours_bin/protoc-gen-swift-grpc" \
    --swift-grpc_out=Services=false:Sources/OursMessages "${inc[@]}" search.proto codec.proto proto2.proto stream.proto
# The RPC targets hold services only; their messages come from the Messages targets.
protoc --plugin=protoc-gen-swift-grpc="$ours_bin/protoc-gen-swift-grpc" \
    --swift-grpc_out=Messages=false:Sources/OursRPC "${inc[@]}" search.proto stream.proto

clean Sources/PeerMessages; clean Sources/PeerRPC
protoc --plugin=protoc-gen-swift="$peer_bin/protoc-gen-swift" \
    --swift_out=Visibility=Public:Sources/PeerMessages "${inc[@]}" search.proto codec.proto proto2.proto
protoc --plugin=protoc-gen-grpc-swift-2="$peer_bin/protoc-gen-grpc-swift-2" \
    --grpc-swift-2_out=Visibility=Public,Client=false:Sources/PeerRPC "${inc[@]}" search.proto stream.proto

# The migration guide's starting point: messages, client and server, internal to the program.
clean Sources/migration-before
greeter=(-I ../Examples/Greeter/Sources/Greeting helloworld.proto)
protoc --plugin=protoc-gen-swift="$peer_bin/protoc-gen-swift" --swift_out=Sources/migration-before "${greeter[@]}"
protoc --plugin=protoc-gen-grpc-swift-2="$peer_bin/protoc-gen-grpc-swift-2" --grpc-swift-2_out=Sources/migration-before "${greeter[@]}"
echo "regenerated Sources/{Ours,Peer}{Messages,RPC} and Sources/migration-before"

#!/usr/bin/env bash
# Every test: installs what is missing, then builds and runs the toolkit's suite (the root
# package), the gRPC runtime's tests again under the thread sanitizer, builds its documentation,
# runs the search example's suite (Examples/Search), builds the Greeter example (Examples/Greeter)
# through the build plugin and runs its server and client, runs each fuzz target for a short while,
# and attacks a release search-server with the abuse suite.
# Each package runs its tests as two processes: tests that wait synchronously on protoc and
# Python for seconds at a time would hold Swift's cooperative threads (one per core) away
# from the network tests' servers and deadlines if they shared a process.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-deps.sh --python --postgis --conformance

echo "== toolkit: build"
swift build --build-tests --enable-all-traits
echo "== toolkit: codec and generator tests"
swift test --skip-build --enable-all-traits --filter 'ProtoWireTests|GeneratorTests|FixtureTests|SwiftGRPCPluginTests'
echo "== toolkit: real-world corpus (googleapis-common-protos, grpc-proto, google/protobuf) as one module"
Scripts/corpus.sh
echo "== toolkit: Google's conformance suite (binary, JSON, text format)"
Scripts/conformance.sh
echo "== toolkit: gRPC runtime, TLS, tracing and interop tests"
# Anchored: unanchored, `InteropTests` also matched FixtureTests' JSONInteropTests, whose waits on
# Python held the cooperative threads and starved this process's servers.
swift test --skip-build --enable-all-traits --filter '^(GRPCRuntimeTests|TLSTests|GRPCTracingTests|InteropTests)\.'
# A build of its own (instrumented, in .build-tsan), without the traits' dependencies. The interop
# tests stay out: their peers' deadlines do not allow for the sanitizer's slowdown.
echo "== toolkit: gRPC runtime tests under the thread sanitizer"
swift build --build-tests --sanitize=thread --scratch-path .build-tsan
swift test --skip-build --sanitize=thread --scratch-path .build-tsan --filter '^GRPCRuntimeTests\.'
echo "== toolkit: documentation (DocC, warnings as errors)"
Scripts/docs.sh

search=(--package-path Examples/Search)
echo "== search example: build"
swift build "${search[@]}" --build-tests
echo "== search example: service, metrics, etcd and discovery tests"
swift test "${search[@]}" --skip-build

echo "== greeter example: built through the build plugin, then served and called"
Examples/Greeter/Scripts/check.sh

echo "== fuzzing: each target for 15 seconds"
Scripts/fuzz.sh all 15

# Every attack, each against a fresh release search-server.
echo "== abuse suite: a release search-server attacked from real sockets"
Scripts/abuse.sh

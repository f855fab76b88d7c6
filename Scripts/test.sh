#!/usr/bin/env bash
# Every test: installs what is missing, then builds and runs the whole suite.
# Two runs: the codec and generator tests wait synchronously on protoc and Python for seconds
# at a time, which would hold Swift's cooperative threads (one per core) away from the
# network tests' servers and deadlines if they shared a process.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-deps.sh --python --postgis
swift build --build-tests
swift test --skip-build --filter 'ProtoWireTests|GeneratorTests|FixtureTests'
swift test --skip-build --filter 'GRPCRuntimeTests|TLSTests|InteropTests|SearchServiceTests|StatsDMetricsTests|DiscoveryTests'

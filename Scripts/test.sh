#!/usr/bin/env bash
# Every test: installs what is missing, then builds and runs the whole suite
# (runtime, generator, goldens and bootstrap, fixtures, differential against Python).
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-deps.sh --python
swift build --build-tests
swift test --skip-build

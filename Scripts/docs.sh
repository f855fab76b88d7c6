#!/usr/bin/env bash
# Builds the DocC documentation of the toolkit's modules with the swift-docc-plugin, treating
# every warning (a broken symbol link, an unknown topic) as an error.
#   Scripts/docs.sh                 ProtoWire and GRPCRuntime, into .build/plugins/Swift-DocC/outputs
#   Scripts/docs.sh --target NAME   one module
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(ProtoWire GRPCRuntime)
if [ "${1:-}" = "--target" ]; then targets=("$2"); fi
for target in "${targets[@]}"; do
    echo "== documentation: $target"
    # The same traits as the test command's build, so that the documentation build reuses its modules.
    swift package --enable-all-traits generate-documentation --target "$target" --warnings-as-errors
done

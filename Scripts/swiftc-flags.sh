#!/usr/bin/env bash
# The flags with which `swiftc` compiles a file against this toolkit's modules as a SwiftPM build
# left them in BIN (for example `$(swift build --show-bin-path)`), one per line: the Swift module
# folder, and the module maps of the C modules that GRPCRuntime's interface brings in
# (swift-nio's, swift-atomics', zlib's): those SwiftPM writes for C targets in BIN, and those
# beside the sources of this package and of its checked-out dependencies.
# Used by Scripts/corpus.sh and by FixtureTests' GeneratedCodeVersionTests.
# Usage: Scripts/swiftc-flags.sh BIN
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(cd "$1" && pwd -P)"
root="$PWD"
[ -d "$bin/Modules" ] || { echo "swiftc-flags: no $bin/Modules: build the package first" >&2; exit 1; }
echo "-I"
echo "$bin/Modules"
{
    find "$bin" -mindepth 2 -maxdepth 2 -name module.modulemap -path '*.build/*' | grep -v -- '-tool\.build/' || true
    find "$root/Sources" -mindepth 2 -maxdepth 3 -name module.modulemap
    [ -d "$root/.build/checkouts" ] && find "$root/.build/checkouts" -mindepth 5 -maxdepth 5 -path '*/Sources/*/include/module.modulemap'
} | sort -u | while read -r map; do
    echo "-Xcc"
    echo "-fmodule-map-file=$map"
done

#!/usr/bin/env bash
# Google's protobuf conformance suite against this project: builds the runner from the installed
# protobuf's Debian source (../shared/conformance/build.sh, or $CONFORMANCE_BUILD), generates
# Swift for its protos with the current plugin, builds Tests/Conformance's testee and runs the
# binary+JSON and text-format suites. Tests listed in Tests/Conformance/failure_list.txt
# are expected to fail; the runner fails the run on any other failure, and on a listed test that
# passes (so the list only ever shrinks).
set -euo pipefail
cd "$(dirname "$0")/.."
# Successes today in each suite. The runner passes a testee that skips tests, so fewer
# successes (tests newly skipped) fail the run too; raise these as more tests pass.
min_binary_json=2017 min_text_format=120
root="$PWD"
out="${CONFORMANCE_OUT:-$root/.build/conformance}"
build="${CONFORMANCE_BUILD:-$root/../shared/conformance/build.sh}"
# Runs a build step quietly; on failure shows the end of its output and stops the script.
quiet() {
    local log
    log="$(mktemp)"
    if ! "$@" >"$log" 2>&1; then
        echo "conformance: '$*' failed:"; tail -40 "$log"; rm -f "$log"; exit 1
    fi
    rm -f "$log"
}
quiet env CONFORMANCE_OUT="$out" "$build"
runner="$out/bin/conformance_test_runner"

# With the traits the test command builds with: another trait set rebuilds the whole package.
quiet swift build --enable-all-traits --product protoc-gen-swift-grpc
plugin="$(swift build --enable-all-traits --show-bin-path)/protoc-gen-swift-grpc"
generated="Tests/Conformance/Sources/ConformanceTestee/Generated"
rm -rf "$generated" && mkdir -p "$generated"
protoc --plugin=protoc-gen-swift-grpc="$plugin" --swift-grpc_out="$generated" \
    -I "$out/protos" -I "${PROTO_INCLUDE:-/usr/include}" \
    conformance.proto test_messages_proto2.proto test_messages_proto3.proto
(cd Tests/Conformance && quiet swift build -c release --product ConformanceTestee)
testee="$(cd Tests/Conformance && swift build -c release --show-bin-path)/ConformanceTestee"

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
# The runner runs the text-format suite only when the binary+JSON suite passed (failures on the
# list count as passing), so one list covers both.
status=0
"$runner" --verbose --enforce_recommended --failure_list Tests/Conformance/failure_list.txt --output_dir "$results" \
    "$testee" >"$results/run.log" 2>&1 || status=$?
grep -E "CONFORMANCE SUITE|^ERROR|^These tests|^  [A-Z]" "$results/run.log" | head -60 || true
[ "$status" = 0 ] || { echo "conformance: the runner failed (exit $status)"; exit 1; }
# The runner prints one summary per suite: binary+JSON, then text format.
mapfile -t passed < <(sed -n 's/^CONFORMANCE SUITE PASSED: \([0-9]*\) successes.*/\1/p' "$results/run.log")
if [ "${#passed[@]}" != 2 ] || [ "${passed[0]}" -lt "$min_binary_json" ] || [ "${passed[1]}" -lt "$min_text_format" ]; then
    echo "conformance: successes ${passed[*]:-none}, expected at least $min_binary_json (binary+JSON) and $min_text_format (text format)"
    exit 1
fi
echo "conformance: ${passed[0]} binary+JSON and ${passed[1]} text-format tests pass"
# The tests run, by level (from the name) and the runner's category (--verbose logs each one).
echo "conformance: tests run by level and category ($(grep -c '^[^#[:space:]]' Tests/Conformance/failure_list.txt || true) on the failure list):"
sed -n 's/^conformance test: name=\([A-Za-z]*\)\..*test_category: \([A-Z_]*\).*/\1 \2/p' "$results/run.log" |
    sort | uniq -c | awk '{ printf "  %-12s %-34s %5d\n", $2, $3, $1 }'

#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer (the Swift toolchain's -sanitize=fuzzer, with
# AddressSanitizer): builds one target of the Fuzz package and runs it for SECONDS, from its
# committed seeds (Fuzz/Corpus/TARGET) plus what earlier runs here found (Fuzz/.build/corpus).
#   Scripts/fuzz.sh TARGET SECONDS [libFuzzer options...]   one target (wire, json, text, wkt,
#                                                           deframer, plugin, geojson)
#   Scripts/fuzz.sh all SECONDS [libFuzzer options...]      each target in turn
# Exits non-zero on the first crash, timeout or failed check, naming the saved input
# (Fuzz/.build/artifacts/): reproduce it with `Fuzz/.build/release/fuzz-TARGET FILE`, then add it
# to the normal test suite of the module at fault before fixing.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(wire json text wkt deframer plugin geojson)
if [ $# -lt 2 ] || ! [[ "$2" =~ ^[0-9]+$ ]]; then
    echo "usage: $0 TARGET|all SECONDS [libFuzzer options...]   (targets: ${targets[*]})" >&2
    exit 64
fi
target=$1 seconds=$2
shift 2
if [ "$target" = all ]; then
    selected=("${targets[@]}")
elif [[ " ${targets[*]} " == *" $target "* ]]; then
    selected=("$target")
else
    echo "unknown fuzz target '$target' (targets: ${targets[*]})" >&2
    exit 64
fi

# The fuzz targets' main.swift replaces libFuzzer's main; lld lets SwiftPM's renamed entry point
# win over the one in libFuzzer's archive, where gold stops at the duplicate.
build=(swift build -c release --package-path Fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld)
if [ ${#selected[@]} -eq 1 ]; then
    "${build[@]}" --product "fuzz-${selected[0]}" 2>&1 | grep -v 'ld.gold: warning' || true
else
    "${build[@]}" 2>&1 | grep -v 'ld.gold: warning' || true
fi
bin=$("${build[@]}" --show-bin-path)

mkdir -p Fuzz/.build/artifacts
for t in "${selected[@]}"; do
    [ -x "$bin/fuzz-$t" ] || { echo "fuzz-$t did not build" >&2; exit 1; }
    work="Fuzz/.build/corpus/$t"
    mkdir -p "$work"
    echo "== fuzz $t: ${seconds}s"
    log="Fuzz/.build/fuzz-$t.log"
    status=0
    dict=()
    [ -f "Fuzz/Dictionaries/$t.dict" ] && dict=(-dict="Fuzz/Dictionaries/$t.dict")
    # Swift's own crash reporter would race AddressSanitizer's for the same signal: off.
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}" \
        "$bin/fuzz-$t" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=3072 -print_final_stats=1 \
        -artifact_prefix="Fuzz/.build/artifacts/$t-" "${dict[@]}" "$@" "$work" "Fuzz/Corpus/$t" >"$log" 2>&1 || status=$?
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$log" || true
    if [ $status -ne 0 ]; then
        grep -vE '^#[0-9]+|^INFO:|^MS:|^Dictionary|^  ' "$log" | tail -40 >&2
        echo "fuzz $t failed (status $status); input saved as:" >&2
        grep -o "Fuzz/.build/artifacts/$t-[a-z]*-[0-9a-f]*" "$log" | sort -u >&2 || true
        exit 1
    fi
done

#!/usr/bin/env bash
# The migration guide's example, checked: migration-before (swift-protobuf + grpc-swift-2) and
# migration-after (this toolkit) each serve helloworld.Greeter, and each client calls each server.
# All four runs must print the same, expected lines: the port keeps the program's behaviour, and a
# system can move one side at a time because old and new speak the same gRPC.
# Usage: Benchmarks/Scripts/migration-check.sh [-c debug|release]   (release by default, as run.sh builds)
set -euo pipefail
cd "$(dirname "$0")/.."
configuration=release
if [ "${1:-}" = "-c" ]; then configuration=$2; fi
fail() { echo "migration check FAILED: $*" >&2; exit 1; }

swift build -c "$configuration" --product migration-before
swift build -c "$configuration" --product migration-after
bin=$(swift build -c "$configuration" --show-bin-path)

scratch=$(mktemp -d)
servers=()
cleanup() {
    for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    rm -rf "$scratch"
}
trap cleanup EXIT

expected="request: 5 bytes, name Ada
unary: Hello, Ada! (sent_at set: true)
stream: Hello, Ada! | Bonjour, Ada! | Hallo, Ada! | Hola, Ada!
empty name: status 3, name must not be empty"

for server in before after; do
    "$bin/migration-$server" serve 0 > "$scratch/$server.out" 2> "$scratch/$server.err" &
    pid=$!
    servers+=("$pid")
    for _ in $(seq 200); do
        grep -q '^listening on' "$scratch/$server.out" && break
        kill -0 "$pid" 2>/dev/null || fail "migration-$server exited: $(cat "$scratch/$server.err")"
        sleep 0.1
    done
    port=$(sed -n 's/^listening on //p' "$scratch/$server.out")
    [ -n "$port" ] || fail "migration-$server printed no port"
    for client in before after; do
        got=$("$bin/migration-$client" call "$port" Ada) || fail "$client client against $server server: $got"
        [ "$got" = "$expected" ] || fail "$client client against $server server printed:
$got"
        echo "migration check: $client client against $server server: same output"
    done
done
echo "migration check passed"

#!/usr/bin/env bash
# The example, end to end: builds it with nothing generated beforehand (the build plugin makes the
# Swift from Sources/Greeting/helloworld.proto), starts greeter-server on a free port, checks what
# greeter-client gets from it (a unary call, a server-streaming call, an INVALID_ARGUMENT), runs
# places-check (Places' generated code imports Geometry through a module mapping), and
# checks the plugin's errors when protoc is misnamed, missing, or lacks the well-known types.
# Usage: Examples/Greeter/Scripts/check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "greeter check FAILED: $*" >&2; exit 1; }

generated=$(find Sources \( -name '*.pb.swift' -o -name '*.grpc.swift' \))
[ -z "$generated" ] || fail "generated files in Sources: $generated"

echo "== greeter example: build (the plugin generates helloworld.pb.swift and helloworld.grpc.swift)"
swift build
bin=$(swift build --show-bin-path)
scratch=$(mktemp -d)
server=""
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$scratch"
}
trap cleanup EXIT

"$bin/greeter-server" 0 > "$scratch/server.out" 2> "$scratch/server.err" &
server=$!
for _ in $(seq 200); do
    grep -q '^listening on port' "$scratch/server.out" && break
    kill -0 "$server" 2>/dev/null || fail "greeter-server exited: $(cat "$scratch/server.err")"
    sleep 0.1
done
port=$(sed -n 's/^listening on port //p' "$scratch/server.out")
[ -n "$port" ] || fail "greeter-server printed no port"

expected=$'Hello, Ada!\nHello, Ada! | Bonjour, Ada! | Hallo, Ada! | Hola, Ada!'
got=$("$bin/greeter-client" "$port" Ada) || fail "greeter-client failed: $got"
[ "$got" = "$expected" ] || fail "greeter-client printed: $got"
if got=$("$bin/greeter-client" "$port" ""); then fail "an empty name was accepted: $got"; fi
[ "$got" = "failed: INVALID_ARGUMENT: name must not be empty" ] || fail "empty name: $got"
echo "greeter-server and greeter-client exchanged a unary and a streaming call on port $port"

# Module mappings: Places' generated code imports Geometry for geometry.proto's types.
grep -qx 'import Geometry' "$(find .build/plugins/outputs -path '*Places*' -name places.pb.swift | head -1)" \
    || fail "places.pb.swift does not import Geometry"
got=$("$bin/places-check") || fail "places-check failed: $got"
[ "$got" = "Berlin at 52.52, 13.405; nearest to 0,0: Null Island" ] || fail "places-check printed: $got"
echo "module mappings: Places uses Geometry's generated types ($got)"

# The plugin's errors stop the build at planning, before anything compiles: each run is seconds.
expect_build_error() {
    local what=$1 needle=$2; shift 2
    local out
    if out=$(env "$@" swift build 2>&1); then fail "$what: the build succeeded"; fi
    grep -qF -- "$needle" <<<"$out" || fail "$what: no '$needle' in: $out"
    echo "plugin error for $what: ok"
}
expect_build_error "PROTOC_PATH naming no file" "PROTOC_PATH names /nonexistent/protoc" PROTOC_PATH=/nonexistent/protoc

# A PATH with everything but protoc: links to each program of each PATH directory except protoc.
mkdir "$scratch/bin"
IFS=: read -r -a directories <<<"$PATH"
for directory in "${directories[@]}"; do
    for program in "$directory"/*; do
        [ "${program##*/}" = protoc ] || ln -s "$program" "$scratch/bin/" 2>/dev/null || true
    done
done
expect_build_error "no protoc on PATH" "apt-get install protobuf-compiler" PATH="$scratch/bin"

# A protoc with no well-known types beside it (a copy in a directory of its own).
mkdir -p "$scratch/bare/bin"
cp "$(command -v protoc)" "$scratch/bare/bin/protoc"
expect_build_error "well-known types missing" "apt-get install libprotobuf-dev" PROTOC_PATH="$scratch/bare/bin/protoc"
echo "greeter check passed"

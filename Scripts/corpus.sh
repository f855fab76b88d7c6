#!/usr/bin/env bash
# The real-world corpus: every .proto of PyPI's googleapis-common-protos (the version
# Tests/Interop/requirements.txt pins), of Debian's grpc-proto and of libprotobuf-dev's
# google/protobuf/ (plugin.proto included) generated in ONE protoc run, and the output compiled
# as one Swift module with `swiftc` against the toolkit's modules as `swift build` left
# them (so nothing of the toolkit or its dependencies is built twice). Prints the counts and the
# time of each step.
# Usage: Scripts/corpus.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
include="${PROTO_INCLUDE:-/usr/include}"
grpc_include="${GRPC_PROTO_INCLUDE:-/usr/share/grpc-proto}"
now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
protos="$work/protos"
mkdir -p "$protos"

# googleapis-common-protos: its own .proto files only, copied out of site-packages, where the
# protobuf package keeps a newer descriptor.proto that Debian's protoc must not see.
python3 - "$protos" <<'PY'
import importlib.metadata as metadata, pathlib, shutil, sys
dist = metadata.distribution("googleapis-common-protos")
out = pathlib.Path(sys.argv[1])
for f in dist.files:
    if str(f).endswith(".proto"):
        (out / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f.locate(), out / f)
print(f"googleapis-common-protos {dist.version}", file=sys.stderr)
PY
googleapis=$(cd "$protos" && find . -name '*.proto' | sed 's#^\./##' | sort)
# grpc/tls/provider/meshca/experimental/config.proto imports Envoy's protos, which none of the three
# sets ships: it is the one file left out.
grpc=$(cd "$grpc_include" && find . -name '*.proto' | sed 's#^\./##' | grep -v '^grpc/tls/provider/meshca/' | sort)
wkt=$(cd "$include" && find google/protobuf -name '*.proto' | sort)
# shellcheck disable=SC2206
files=($googleapis $grpc $wkt)
echo "corpus: $(wc -w <<<"$googleapis") googleapis-common-protos + $(wc -w <<<"$grpc") grpc-proto + $(wc -w <<<"$wkt") google/protobuf = ${#files[@]} .proto files"

start=$(now)
# The plugin, and the modules generated code imports.
# With the traits the test command builds with: another trait set rebuilds the whole package.
swift build --enable-all-traits --product protoc-gen-swift-grpc >/dev/null
swift build --enable-all-traits --target GRPCRuntime >/dev/null
bin="$(swift build --enable-all-traits --show-bin-path)"
plugin="$bin/protoc-gen-swift-grpc"

sources="$work/Corpus"
objects="$work/objects"
mkdir -p "$sources" "$objects"
generate_start=$(now)
# One module cannot hold two files of one name (grpc/binlog/v1 and v1alpha both have
# binarylog.proto): the output files are named after their whole path.
protoc --plugin=protoc-gen-swift-grpc="$plugin" --swift-grpc_out="FileNaming=PathToUnderscores:$sources" \
    -I "$include" -I "$grpc_include" -I "$protos" "${files[@]}"
generated=$(find "$sources" -name '*.swift' | wc -l)
echo "generated: ${#files[@]} .proto files -> $generated Swift files in $(seconds "$generate_start" "$(now)") s"

mapfile -t flags < <(Scripts/swiftc-flags.sh "$bin")
compile_start=$(now)
if ! (cd "$objects" && swiftc -c -parse-as-library -module-name Corpus -swift-version 6 -Onone \
    -enable-batch-mode -j "$(nproc)" "${flags[@]}" "$sources"/*.swift) >"$work/build.log" 2>&1; then
    grep -E "error:" "$work/build.log" | sort -u | head -40 >&2
    echo "corpus: the generated module does not compile (log above)" >&2
    exit 1
fi
compiled=$(find "$objects" -name '*.o' | wc -l)
[ "$compiled" = "$generated" ] || { echo "corpus: $generated Swift files but $compiled object files" >&2; exit 1; }
echo "compiled: $compiled Swift files as one module in $(seconds "$compile_start" "$(now)") s"
echo "corpus: $(seconds "$start" "$(now)") s in all"

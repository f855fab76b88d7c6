#!/usr/bin/env bash
# The real-world corpus: every .proto of PyPI's googleapis-common-protos (the version
# Tests/Interop/requirements.txt pins), of Debian's grpc-proto and of libprotobuf-dev's
# google/protobuf/ (plugin.proto included) generated in ONE protoc run, and the output compiled
# as one Swift module: a package made on the fly in a temporary directory that depends on this
# toolkit by path. Prints the counts and the time of each step.
#
# The package builds in .build/corpus, kept between runs, so that only the generated module is
# compiled again; the first run also builds the toolkit's dependencies there.
# Usage: Scripts/corpus.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
include="${PROTO_INCLUDE:-/usr/include}"
grpc_include="${GRPC_PROTO_INCLUDE:-/usr/share/grpc-proto}"
scratch="${CORPUS_SCRATCH:-$root/.build/corpus}"
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
swift build --product protoc-gen-swift-grpc >/dev/null
plugin="$(swift build --show-bin-path)/protoc-gen-swift-grpc"

package="$work/Corpus"
sources="$package/Sources/Corpus"
mkdir -p "$sources"
generate_start=$(now)
# One module cannot hold two files of one name (grpc/binlog/v1 and v1alpha both have
# binarylog.proto): the output files are named after their whole path.
protoc --plugin=protoc-gen-swift-grpc="$plugin" --swift-grpc_out="FileNaming=PathToUnderscores:$sources" \
    -I "$include" -I "$grpc_include" -I "$protos" "${files[@]}"
generated=$(find "$sources" -name '*.swift' | wc -l)
echo "generated: ${#files[@]} .proto files -> $generated Swift files in $(seconds "$generate_start" "$(now)") s"

cat >"$package/Package.swift" <<SWIFT
// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "Corpus",
    dependencies: [.package(path: "$root")],
    targets: [
        .target(
            name: "Corpus",
            dependencies: [
                .product(name: "ProtoWire", package: "$(basename "$root")"),
                .product(name: "GRPCRuntime", package: "$(basename "$root")"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
SWIFT
compile_start=$(now)
if ! swift build --package-path "$package" --scratch-path "$scratch" --target Corpus >"$work/build.log" 2>&1; then
    grep -E "error:" "$work/build.log" | sort -u | head -40 >&2
    echo "corpus: the generated module does not compile (log above)" >&2
    exit 1
fi
echo "compiled: $generated Swift files as one module in $(seconds "$compile_start" "$(now)") s"
echo "corpus: $(seconds "$start" "$(now)") s in all"

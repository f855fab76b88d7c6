#!/usr/bin/env bash
# Regenerates every committed generated file listed in Fixtures/goldens.manifest
# with the current plugin: the well-known types in ProtoWire, the plugin's own
# descriptor types (bootstrap) and the golden fixtures. Review the result with git diff.
set -euo pipefail
cd "$(dirname "$0")/.."
include="${PROTO_INCLUDE:-/usr/include}"
grpc_include="${GRPC_PROTO_INCLUDE:-/usr/share/grpc-proto}"
# With the traits the test command builds with: another trait set rebuilds the whole package.
swift build --enable-all-traits --product protoc-gen-swift-grpc >/dev/null
plugin="$(swift build --enable-all-traits --show-bin-path)/protoc-gen-swift-grpc"

grpc_tools_include() { python3 -c 'import grpc_tools, os; print(os.path.join(os.path.dirname(grpc_tools.__file__), "_proto"))'; }

while IFS='|' read -r out options files first; do
    [[ "$out" =~ ^[[:space:]]*(#|$) ]] && continue
    out="${out//[[:space:]]/}"; options="${options//[[:space:]]/}"; first="${first//[[:space:]]/}"
    extra=()
    compiler=(protoc)
    [ "$first" = grpc_tools ] && extra=(-I "$(grpc_tools_include)")
    # grpcio-tools' protoc knows editions, Debian's does not.
    [ "$first" = grpc_tools_protoc ] && extra=(-I "$(grpc_tools_include)") && compiler=(python3 -m grpc_tools.protoc)
    # Generated files only: hand-written files beside them stay.
    find "$out" \( -name '*.pb.swift' -o -name '*.grpc.swift' \) -delete 2>/dev/null || true
    mkdir -p "$out"
    # shellcheck disable=SC2086
    "${compiler[@]}" --plugin=protoc-gen-swift-grpc="$plugin" --swift-grpc_out="${options:+$options:}$out" \
        "${extra[@]}" -I Fixtures -I Fixtures/protos -I "$include" -I "$grpc_include" $files
    echo "regenerated $out"
done < Fixtures/goldens.manifest

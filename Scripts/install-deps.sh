#!/usr/bin/env bash
# Installs what the build and tests need on a fresh Debian machine, only when missing:
# protoc (protobuf-compiler), the well-known .proto files (libprotobuf-dev),
# plugin.proto (libprotoc-dev), and Python's protobuf package for the differential tests.
# Usage: Scripts/install-deps.sh [--python]
set -euo pipefail
include="${PROTO_INCLUDE:-/usr/include}"
need_apt=()
command -v protoc >/dev/null || need_apt+=(protobuf-compiler)
[ -f "$include/google/protobuf/timestamp.proto" ] || need_apt+=(libprotobuf-dev)
[ -f "$include/google/protobuf/compiler/plugin.proto" ] || need_apt+=(libprotoc-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
if [ "${1:-}" = "--python" ]; then
    python3 -c 'import google.protobuf' 2>/dev/null || python3 -m pip install -q 'protobuf>=5'
fi

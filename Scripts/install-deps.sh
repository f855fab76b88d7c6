#!/usr/bin/env bash
# Installs what the build and tests need on a fresh Debian machine, only when missing:
# protoc (protobuf-compiler), the well-known .proto files (libprotobuf-dev),
# plugin.proto (libprotoc-dev), gRPC's own .proto files (grpc-proto), zlib (zlib1g-dev),
# etcd (etcd-server) and dnsmasq (dnsmasq-base: the program without the system service) for
# the discovery tests, which start their own on loopback ports, and with --python the Python
# packages the differential and interop tests talk to.
# Usage: Scripts/install-deps.sh [--python]
set -euo pipefail
include="${PROTO_INCLUDE:-/usr/include}"
need_apt=()
command -v protoc >/dev/null || need_apt+=(protobuf-compiler)
[ -f "$include/google/protobuf/timestamp.proto" ] || need_apt+=(libprotobuf-dev)
[ -f "$include/google/protobuf/compiler/plugin.proto" ] || need_apt+=(libprotoc-dev)
[ -f "${GRPC_PROTO_INCLUDE:-/usr/share/grpc-proto}/grpc/health/v1/health.proto" ] || need_apt+=(grpc-proto)
[ -f /usr/include/zlib.h ] || need_apt+=(zlib1g-dev)
[ -x /usr/bin/etcd ] || need_apt+=(etcd-server)
[ -x /usr/sbin/dnsmasq ] || need_apt+=(dnsmasq-base)
if [ ${#need_apt[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
if [ "${1:-}" = "--python" ]; then
    python3 -c 'import google.protobuf, grpc, grpc_tools, grpc_health' 2>/dev/null \
        || python3 -m pip install -q 'protobuf>=5' -r Tests/Interop/requirements.txt
fi

#!/usr/bin/env bash
# Installs what the build and tests need on a fresh Debian machine, only when missing:
# protoc (protobuf-compiler), the well-known .proto files (libprotobuf-dev),
# plugin.proto (libprotoc-dev), gRPC's own .proto files (grpc-proto), zlib (zlib1g-dev),
# etcd (etcd-server) and dnsmasq (dnsmasq-base: the program without the system service) for
# the discovery tests, which start their own on loopback ports; with --python the Python
# packages the differential and interop tests talk to and the abuse suite attacks with (h2),
# with --postgis PostgreSQL and PostGIS for the search service's database backend and its
# tests, and with --conformance what building Google's conformance runner from the protobuf
# source package needs (a C++ compiler, pkg-config, dpkg-dev for `apt-get source`).
# Usage: Scripts/install-deps.sh [--python] [--postgis] [--conformance]
set -euo pipefail
python=false postgis=false conformance=false
for option in "$@"; do
    case "$option" in
        --python) python=true ;;
        --postgis) postgis=true ;;
        --conformance) conformance=true ;;
        *) echo "usage: $0 [--python] [--postgis] [--conformance]" >&2; exit 64 ;;
    esac
done
sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
include="${PROTO_INCLUDE:-/usr/include}"
need_apt=()
command -v protoc >/dev/null || need_apt+=(protobuf-compiler)
[ -f "$include/google/protobuf/timestamp.proto" ] || need_apt+=(libprotobuf-dev)
[ -f "$include/google/protobuf/compiler/plugin.proto" ] || need_apt+=(libprotoc-dev)
[ -f "${GRPC_PROTO_INCLUDE:-/usr/share/grpc-proto}/grpc/health/v1/health.proto" ] || need_apt+=(grpc-proto)
[ -f /usr/include/zlib.h ] || need_apt+=(zlib1g-dev)
[ -x /usr/bin/etcd ] || need_apt+=(etcd-server)
[ -x /usr/sbin/dnsmasq ] || need_apt+=(dnsmasq-base)
if $postgis; then
    # PostGIS's package is named after the PostgreSQL major version: install the server first.
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
fi
if $conformance; then
    command -v g++ >/dev/null || need_apt+=(g++)
    command -v pkg-config >/dev/null || need_apt+=(pkg-config)
    command -v dpkg-source >/dev/null || need_apt+=(dpkg-dev)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
if $postgis; then
    major=$(ls /usr/lib/postgresql | sort -n | tail -1)
    if [ ! -f "/usr/share/postgresql/$major/extension/postgis.control" ]; then
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "postgresql-$major-postgis-3" >/dev/null
    fi
fi
if $python; then
    # grpcio-tools at the pinned version: the plugin's bootstrapped descriptor types are generated
    # from the descriptor.proto it ships, and the golden tests compare against them.
    python3 -c 'import google.protobuf, grpc, grpc_tools, grpc_health, grpc_reflection, importlib.metadata as m
assert m.version("grpcio-tools") == "1.85.1" and m.version("googleapis-common-protos") == "1.76.0"' 2>/dev/null \
        || python3 -m pip install -q 'protobuf>=5' -r Tests/Interop/requirements.txt
    python3 -c 'import h2' 2>/dev/null || python3 -m pip install -q -r Examples/Search/Tests/Abuse/requirements.txt
fi

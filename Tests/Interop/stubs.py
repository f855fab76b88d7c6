"""Generates the Python protobuf/gRPC stubs the interop scripts need, on demand.

Usage from a script in this directory:

    import stubs
    stubs.ensure()          # generates (once) and puts the output dir on sys.path
    from grpc.testing import test_pb2, test_pb2_grpc

The stubs are written to Tests/Interop/.gen/ (override with INTEROP_GEN_DIR). A stamp
file holds a hash of the inputs (the .proto files and the grpcio-tools version), so
the generation runs again only when one of them changes. A lock file makes concurrent
callers (several clients spawned at once) safe.

Inputs:
  - grpc/testing/{empty,messages,test}.proto and grpc/health/v1/health.proto from
    GRPC_PROTO_DIR (default /usr/share/grpc-proto, Debian's `grpc-proto` package);
  - search.proto from the repository's Fixtures/ directory;
  - google/protobuf/*.proto bundled with grpcio-tools.

The generated code for grpc/testing/*.proto lives in the Python package `grpc.testing`,
which would collide with grpcio's own `grpc` package. ensure() therefore appends
<gen>/grpc to grpc.__path__, so `grpc.testing` and `grpc.health.v1` resolve to the
generated modules while `grpc` itself stays grpcio.
"""

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
FIXTURES_DIR = os.path.join(REPO_ROOT, "Fixtures")
GRPC_PROTO_DIR = os.environ.get("GRPC_PROTO_DIR", "/usr/share/grpc-proto")
GEN_DIR = os.environ.get("INTEROP_GEN_DIR", os.path.join(HERE, ".gen"))

# (include dir, path relative to it)
PROTOS = [
    (GRPC_PROTO_DIR, "grpc/testing/empty.proto"),
    (GRPC_PROTO_DIR, "grpc/testing/messages.proto"),
    (GRPC_PROTO_DIR, "grpc/testing/test.proto"),
    (GRPC_PROTO_DIR, "grpc/health/v1/health.proto"),
    (FIXTURES_DIR, "search.proto"),
]

_done = False


def _well_known_include():
    import grpc_tools
    return os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")


def _input_hash():
    import grpc_tools
    try:
        from importlib.metadata import version
        tools_version = version("grpcio-tools")
    except Exception:  # pragma: no cover - metadata missing
        tools_version = getattr(grpc_tools, "__version__", "?")
    h = hashlib.sha256()
    h.update(("grpcio-tools " + tools_version + "\n").encode())
    for include, rel in PROTOS:
        path = os.path.join(include, rel)
        with open(path, "rb") as f:
            h.update(rel.encode() + b"\0" + f.read() + b"\0")
    return h.hexdigest()


def _generate(out_dir):
    missing = [os.path.join(i, r) for i, r in PROTOS if not os.path.isfile(os.path.join(i, r))]
    if missing:
        raise RuntimeError(
            "missing .proto inputs: %s (install Debian's grpc-proto package or set GRPC_PROTO_DIR)"
            % ", ".join(missing))
    os.makedirs(out_dir)
    cmd = [sys.executable, "-m", "grpc_tools.protoc",
           "-I", GRPC_PROTO_DIR, "-I", FIXTURES_DIR, "-I", _well_known_include(),
           "--python_out=" + out_dir, "--grpc_python_out=" + out_dir]
    cmd += [rel for _, rel in PROTOS]
    result = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        raise RuntimeError("protoc failed (%d): %s\n%s" % (result.returncode, " ".join(cmd), result.stdout))


def ensure():
    """Generates the stubs if needed and makes them importable. Returns the output dir."""
    global _done
    if _done:
        return GEN_DIR
    wanted = _input_hash()
    stamp = os.path.join(GEN_DIR, ".stamp")
    parent = os.path.dirname(GEN_DIR.rstrip(os.sep)) or "."
    os.makedirs(parent, exist_ok=True)
    with open(GEN_DIR.rstrip(os.sep) + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        current = None
        if os.path.isfile(stamp):
            with open(stamp) as f:
                current = f.read().strip()
        if current != wanted:
            shutil.rmtree(GEN_DIR, ignore_errors=True)
            _generate(GEN_DIR)
            with open(stamp, "w") as f:
                f.write(wanted + "\n")
    if GEN_DIR not in sys.path:
        sys.path.insert(0, GEN_DIR)
    import grpc
    grpc_part = os.path.join(GEN_DIR, "grpc")
    if grpc_part not in grpc.__path__:
        grpc.__path__.append(grpc_part)
    _done = True
    return GEN_DIR


if __name__ == "__main__":
    print(ensure())

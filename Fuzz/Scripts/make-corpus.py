#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora (Fuzz/Corpus/<target>/), small real inputs made by
the reference implementations: Python's protobuf for messages, zlib and gzip for compressed
frames, protoc itself for CodeGeneratorRequests, and features of the search example's places.

The corpora are committed; run this again only to change them (it replaces every seed).
Seeds are deterministic: the same protobuf and protoc versions write the same files.
"""
import gzip
import hashlib
import importlib
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

FUZZ = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(FUZZ)
CORPUS = os.path.join(FUZZ, "Corpus")
INCLUDE = os.environ.get("PROTO_INCLUDE", "/usr/include")
GRPC_INCLUDE = os.environ.get("GRPC_PROTO_INCLUDE", "/usr/share/grpc-proto")

# The order of each fuzz target's selector byte (Sources/fuzz-wire, Sources/fuzz-wkt).
WIRE_TYPES = [
    "fixtures.Scalars", "fixtures.FieldNumbers", "fixtures.enums.Enums", "fixtures.enums.Holder",
    "fixtures.maps.Maps", "fixtures.nested.NestedRoot", "fixtures.nested.Outer", "fixtures.nested.Node",
    "fixtures.nested.Choice", "fixtures.imports.Everything", "fixtures.naming.Naming", "fixtures.v1.Record",
    "fixtures.v2.Record", "fixtures.prefixed.Prefixed", "fixtures.proto2.Proto2", "fixtures.required.Outer",
    "fixtures.defaults.Defaults",
]
WKT_TYPES = [
    "google.protobuf.Any", "google.protobuf.Duration", "google.protobuf.Timestamp", "google.protobuf.Struct",
    "google.protobuf.Value", "google.protobuf.ListValue", "google.protobuf.FieldMask", "google.protobuf.Empty",
    "google.protobuf.Type", "google.protobuf.Enum", "google.protobuf.Api", "google.protobuf.SourceContext",
    "google.protobuf.DoubleValue", "google.protobuf.FloatValue", "google.protobuf.Int64Value",
    "google.protobuf.UInt64Value", "google.protobuf.Int32Value", "google.protobuf.UInt32Value",
    "google.protobuf.BoolValue", "google.protobuf.StringValue", "google.protobuf.BytesValue",
]


def write(target, data):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def fill(message, rng, depth):
    """Sets every field of `message` (recursing into sub-messages to `depth`) to plausible values."""
    for field in message.DESCRIPTOR.fields:
        if field.containing_oneof is not None and rng.random() < 0.6:
            continue
        if field.message_type is not None and depth <= 0:
            continue
        repeated = field.is_repeated
        count = rng.randint(1, 3) if repeated else 1
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            key_field = field.message_type.fields_by_name["key"]
            value_field = field.message_type.fields_by_name["value"]
            target = getattr(message, field.name)
            for _ in range(count):
                key = scalar(key_field, rng)
                if value_field.message_type is not None:
                    fill(target[key], rng, depth - 1)
                else:
                    target[key] = scalar(value_field, rng)
            continue
        for _ in range(count):
            if field.message_type is not None:
                sub = getattr(message, field.name).add() if repeated else getattr(message, field.name)
                fill(sub, rng, depth - 1)
                if not repeated:
                    sub.SetInParent()
            elif repeated:
                getattr(message, field.name).append(scalar(field, rng))
            else:
                setattr(message, field.name, scalar(field, rng))


def scalar(field, rng):
    from google.protobuf import descriptor as d

    t = field.type
    if t in (d.FieldDescriptor.TYPE_DOUBLE, d.FieldDescriptor.TYPE_FLOAT):
        return rng.choice([0.5, -1.25, 1e10, 3.0, float("inf")])
    if t == d.FieldDescriptor.TYPE_BOOL:
        return rng.random() < 0.5
    if t == d.FieldDescriptor.TYPE_STRING:
        return rng.choice(["a", "héllo", "x" * 20, "日本", "key.path"])
    if t == d.FieldDescriptor.TYPE_BYTES:
        return bytes(rng.randrange(256) for _ in range(rng.randint(0, 12)))
    if t == d.FieldDescriptor.TYPE_ENUM:
        return rng.choice([v.number for v in field.enum_type.values])
    if t in (d.FieldDescriptor.TYPE_UINT32, d.FieldDescriptor.TYPE_FIXED32):
        return rng.choice([0, 1, 300, 2**32 - 1])
    if t in (d.FieldDescriptor.TYPE_UINT64, d.FieldDescriptor.TYPE_FIXED64):
        return rng.choice([0, 1, 300, 2**64 - 1])
    if t in (d.FieldDescriptor.TYPE_INT32, d.FieldDescriptor.TYPE_SINT32, d.FieldDescriptor.TYPE_SFIXED32):
        return rng.choice([0, -1, 150, -2**31, 2**31 - 1])
    return rng.choice([0, -1, 150, -2**63, 2**63 - 1])


def message_classes(names, modules):
    from google.protobuf import message_factory, symbol_database

    pool = symbol_database.Default().pool
    return [message_factory.GetMessageClass(pool.FindMessageTypeByName(n)) for n in names]


def compile_fixtures(out):
    protos = ["fixtures/" + p for p in sorted(os.listdir(os.path.join(ROOT, "Fixtures/protos/fixtures")))]
    subprocess.run(
        [sys.executable, "-m", "grpc_tools.protoc", "-I", os.path.join(ROOT, "Fixtures/protos"), "-I", INCLUDE,
         "--python_out", out] + protos,
        check=True,
    )
    sys.path.insert(0, out)
    return [importlib.import_module(p[:-len(".proto")].replace("/", ".") + "_pb2") for p in protos]


def messages_corpus(target, names, rng):
    from google.protobuf import any_pb2, duration_pb2, struct_pb2, timestamp_pb2

    for selector, cls in enumerate(message_classes(names, None)):
        for depth in (1, 3):
            m = cls()
            fill(m, rng, depth)
            write(target, bytes([selector]) + m.SerializeToString(deterministic=True))
        write(target, bytes([selector]))  # the empty message
    if target == "wkt":
        # Meaningful values the generic filler does not make.
        a = any_pb2.Any()
        a.Pack(duration_pb2.Duration(seconds=-3, nanos=-5))
        write(target, bytes([0]) + a.SerializeToString())
        s = struct_pb2.Struct()
        s.update({"name": "x", "list": [1, "two", None, {"nested": True}]})
        write(target, bytes([3]) + s.SerializeToString())
        write(target, bytes([1]) + duration_pb2.Duration(seconds=315576000000, nanos=999999999).SerializeToString())
        write(target, bytes([2]) + timestamp_pb2.Timestamp(seconds=253402300799, nanos=999999999).SerializeToString())


def formats_corpus(rng):
    """JSON and text format of the fixtures' messages, as Python's protobuf writes them, plus
    the forms it accepts but does not write (original field names, numbers as strings, enums by
    number, comments)."""
    from google.protobuf import json_format, text_format

    for selector, cls in enumerate(message_classes(WIRE_TYPES, None)):
        for depth in (1, 3):
            m = cls()
            fill(m, rng, depth)
            try:
                write("json", bytes([selector]) + json_format.MessageToJson(m, indent=None).encode())
                write("json", bytes([selector]) + json_format.MessageToJson(
                    m, preserving_proto_field_name=True, use_integers_for_enums=True, indent=0).encode())
            except (json_format.Error, TypeError, ValueError):
                pass  # a filled Any whose type URL names no known type, or a value JSON cannot hold
            write("text", bytes([selector]) + text_format.MessageToString(m).encode())
            write("text", bytes([selector]) + ("# a comment\n" + text_format.MessageToString(m, as_one_line=True)).encode())
        write("json", bytes([selector]) + b"{}")
        write("text", bytes([selector]))


def frame(payload, flag):
    return bytes([flag]) + struct.pack(">I", len(payload)) + payload


def deframer_corpus(rng):
    from google.protobuf import symbol_database

    scalars = message_classes(["fixtures.Scalars"], None)[0]
    m = scalars()
    fill(m, rng, 2)
    body = m.SerializeToString()
    small = scalars(f_string="hello", f_int32=7).SerializeToString()
    # Header byte: encoding in the low 2 bits (0 none, 1 identity, 2 gzip, 3 deflate), size limit
    # index above; then the frame-cutting seed (0: the whole stream at once).
    limit_4m = 5 << 2
    limit_4k = 3 << 2
    seeds = [
        bytes([0 | limit_4m, 0]) + frame(body, 0) + frame(small, 0),
        bytes([1 | limit_4m, 7]) + frame(small, 0) + frame(b"", 0),
        bytes([2 | limit_4m, 0]) + frame(gzip.compress(body, mtime=0), 1) + frame(small, 0),
        bytes([2 | limit_4k, 9]) + frame(gzip.compress(small, mtime=0) + gzip.compress(small, mtime=0), 1),
        bytes([3 | limit_4m, 0]) + frame(zlib.compress(body), 1),
        bytes([3 | limit_4k, 3]) + frame(zlib.compress(b"\x00" * 8000), 1),  # over the limit once inflated
        bytes([2 | limit_4k, 0]) + frame(gzip.compress(small, mtime=0)[:-3], 1),  # truncated
        bytes([0 | limit_4k, 0]) + frame(small, 1),  # compressed flag without an encoding
    ]
    for s in seeds:
        write("deframer", s)


def plugin_corpus(tmp):
    """Real requests: protoc runs a plugin that saves its standard input and answers with a
    response that only declares proto3 `optional` support (field 2 = 1), as ours does."""
    dump = os.path.join(tmp, "protoc-gen-dump")
    with open(dump, "w") as f:
        f.write('#!/bin/sh\ncat > "$DUMP_TO"\nprintf \'\\020\\001\'\n')
    os.chmod(dump, 0o755)
    jobs = [
        ("protoc", ["fixtures/scalars.proto"]),
        ("protoc", ["fixtures/enums.proto", "fixtures/nested.proto"]),
        ("protoc", ["fixtures/maps.proto", "fixtures/naming.proto"]),
        ("protoc", ["fixtures/imports.proto"]),
        ("protoc", ["search.proto"]),
        ("protoc", ["grpc/testing/test.proto"]),
        ("protoc", ["fixtures/evolution_v1.proto", "fixtures/prefixed.proto"]),
    ]
    for i, (compiler, files) in enumerate(jobs):
        out = os.path.join(tmp, "request-%d" % i)
        env = dict(os.environ, DUMP_TO=out)
        subprocess.run(
            [compiler, "--plugin=protoc-gen-dump=" + dump, "--dump_out=" + tmp,
             "-I", os.path.join(ROOT, "Fixtures"), "-I", os.path.join(ROOT, "Fixtures/protos"),
             "-I", INCLUDE, "-I", GRPC_INCLUDE] + files,
            check=True, env=env,
        )
        with open(out, "rb") as f:
            write("plugin", f.read())


def geojson_corpus():
    with open(os.path.join(ROOT, "Examples/Search/Fixtures/places.geojson")) as f:
        features = json.load(f)["features"]
    polygon = features[0]
    multi = {
        "type": "Feature",
        "properties": {"name": "Two parts, one with a hole"},
        "geometry": {
            "type": "MultiPolygon",
            "coordinates": [
                [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], [[1, 1], [2, 1], [2, 2], [1, 2], [1, 1]]],
                [[[10, 10], [11, 10], [11, 11.5, 30], [10, 10]]],
            ],
        },
    }
    docs = [
        {"type": "FeatureCollection", "features": [polygon]},
        {"type": "FeatureCollection", "features": features[:3] + [multi]},
        {"type": "FeatureCollection", "features": [], "bbox": [0, 0, 1, 1]},
        {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "x"},
                                                    "geometry": {"type": "Point", "coordinates": [1, 2]}}]},
    ]
    for doc in docs:
        write("geojson", json.dumps(doc, separators=(",", ":")).encode())


def main():
    """Every corpus, or only the targets named as arguments (their folders alone are replaced)."""
    only = sys.argv[1:]
    for target in only or ([] if not os.path.isdir(CORPUS) else os.listdir(CORPUS)):
        shutil.rmtree(os.path.join(CORPUS, target), ignore_errors=True)
    wanted = lambda target: not only or target in only  # noqa: E731
    with tempfile.TemporaryDirectory() as tmp:
        compile_fixtures(tmp)
        from google.protobuf import (any_pb2, api_pb2, duration_pb2, empty_pb2, field_mask_pb2,  # noqa: F401
                                     source_context_pb2, struct_pb2, timestamp_pb2, type_pb2, wrappers_pb2)
        # A generator per corpus, so that one made alone is the same as when all are made.
        for target, make in [("wire", lambda rng: messages_corpus("wire", WIRE_TYPES, rng)),
                             ("wkt", lambda rng: messages_corpus("wkt", WKT_TYPES, rng)),
                             ("deframer", deframer_corpus),
                             ("plugin", lambda rng: plugin_corpus(tmp))]:
            if wanted(target):
                make(random.Random(target))
        if wanted("json") or wanted("text"):
            formats_corpus(random.Random("formats"))
    if wanted("geojson"):
        geojson_corpus()
    for target in sorted(os.listdir(CORPUS)):
        files = os.listdir(os.path.join(CORPUS, target))
        size = sum(os.path.getsize(os.path.join(CORPUS, target, f)) for f in files)
        print("%-9s %3d seeds, %6d bytes" % (target, len(files), size))


if __name__ == "__main__":
    main()

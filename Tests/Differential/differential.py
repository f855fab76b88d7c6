#!/usr/bin/env python3
"""Differential testing of the Swift protobuf runtime against Python's.

Messages are loaded at run time from a FileDescriptorSet written by protoc
(`--descriptor_set_out=... --include_imports`); no generated _pb2 modules are
used. Messages travel between the two sides in *record files*: each record is
a 4-byte little-endian unsigned length followed by that many bytes of one
serialized message.

Subcommands:

  generate   build N random messages of one type and write them as records
  check      compare the records another implementation wrote with expected ones
  roundtrip  parse records and write them back re-serialized

See README.md beside this file.
"""

from __future__ import annotations

import argparse
import math
import random
import struct
import sys
from typing import Iterable, List, Optional

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.protobuf.descriptor import Descriptor, EnumDescriptor, FieldDescriptor

FD = FieldDescriptor

# Deepest nesting of generated messages: the root is at depth 0, so a chain
# root -> child -> ... holds at most MAX_DEPTH + 1 message levels.
MAX_DEPTH = 5

# The largest bytes/string values the generator makes (rarely).
LARGE_SIZE = 64 * 1024

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
UINT32_MAX = 2**32 - 1
UINT64_MAX = 2**64 - 1


# --------------------------------------------------------------------------
# Record files


def read_records(path: str) -> List[bytes]:
    with open(path, "rb") as f:
        data = f.read()
    records = []
    pos = 0
    while pos < len(data):
        if pos + 4 > len(data):
            raise SystemExit(f"{path}: truncated length prefix at byte {pos}")
        (size,) = struct.unpack_from("<I", data, pos)
        pos += 4
        if pos + size > len(data):
            raise SystemExit(
                f"{path}: record {len(records)} claims {size} bytes at byte {pos}, "
                f"only {len(data) - pos} remain"
            )
        records.append(data[pos : pos + size])
        pos += size
    return records


def write_records(path: str, records: Iterable[bytes]) -> int:
    count = 0
    with open(path, "wb") as f:
        for record in records:
            f.write(struct.pack("<I", len(record)))
            f.write(record)
            count += 1
    return count


# --------------------------------------------------------------------------
# Descriptors


def _builtin_file(name: str) -> Optional[descriptor_pb2.FileDescriptorProto]:
    """The protobuf package's own copy of a well-known-type file, if `name` is one."""
    if not name.startswith("google/protobuf/") or not name.endswith(".proto"):
        return None
    module = "google.protobuf." + name[len("google/protobuf/") : -len(".proto")].replace("/", ".") + "_pb2"
    try:
        __import__(module)
        fd = descriptor_pool.Default().FindFileByName(name)
    except (ImportError, KeyError):
        return None
    proto = descriptor_pb2.FileDescriptorProto()
    fd.CopyToProto(proto)
    return proto


def load_pool(path: str) -> descriptor_pool.DescriptorPool:
    """A fresh pool holding every file of the descriptor set, dependencies first."""
    fds = descriptor_pb2.FileDescriptorSet()
    with open(path, "rb") as f:
        fds.ParseFromString(f.read())
    by_name = {fp.name: fp for fp in fds.file}
    pool = descriptor_pool.DescriptorPool()
    added = set()

    def add(name: str, wanted_by: str) -> None:
        if name in added:
            return
        fp = by_name.get(name) or _builtin_file(name)
        if fp is None:
            raise SystemExit(
                f"{path}: {wanted_by} imports {name}, which the set does not hold "
                "(run protoc with --include_imports)"
            )
        added.add(name)
        for dep in fp.dependency:
            add(dep, name)
        pool.Add(fp)

    for fp in fds.file:
        add(fp.name, path)
    return pool


def message_class(pool: descriptor_pool.DescriptorPool, full_name: str):
    try:
        descriptor = pool.FindMessageTypeByName(full_name)
    except KeyError:
        raise SystemExit(f"no message named {full_name} in the descriptor set")
    return message_factory.GetMessageClass(descriptor)


def is_repeated(field: FieldDescriptor) -> bool:
    if hasattr(field, "is_repeated"):
        return field.is_repeated
    return field.label == FD.LABEL_REPEATED  # older protobuf releases


def is_required(field: FieldDescriptor) -> bool:
    if hasattr(field, "is_required"):
        return field.is_required
    return field.label == FD.LABEL_REQUIRED  # older protobuf releases


def is_map(field: FieldDescriptor) -> bool:
    return (
        field.type == FD.TYPE_MESSAGE
        and is_repeated(field)
        and field.message_type.GetOptions().map_entry
    )


def enum_is_open(enum: EnumDescriptor) -> bool:
    return not getattr(enum, "is_closed", False)


# --------------------------------------------------------------------------
# Canonical bytes
#
# Python's deterministic mode (upb) writes fields in field-number order but
# map entries in an order of its own: integer keys descending by their
# unsigned bit pattern, bool true first, string keys ascending by bytes
# except that a key comes after every longer key it is a prefix of ("" last).
# Every record this script writes is re-ordered so that each map's entries
# are ascending by key: signed types by signed value, unsigned by value,
# false before true, strings by their UTF-8 bytes. Only entries move; no
# length changes, so the rewrite keeps every length prefix.


def _varint(data: bytes, pos: int):
    result = shift = 0
    while True:
        if pos >= len(data):
            raise ValueError("truncated varint")
        b = data[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result, pos
        shift += 7
        if shift >= 70:
            raise ValueError("varint too long")


def _skip(data: bytes, pos: int, wire: int, field_number: int) -> int:
    """The position after a value of `wire` type starting at `pos`."""
    if wire == 0:
        return _varint(data, pos)[1]
    if wire == 1:
        return pos + 8
    if wire == 5:
        return pos + 4
    if wire == 2:
        size, pos = _varint(data, pos)
        return pos + size
    if wire == 3:  # a group: skip to its matching end tag
        while True:
            tag, pos = _varint(data, pos)
            if tag & 7 == 4:
                if tag >> 3 != field_number:
                    raise ValueError("mismatched end-group tag")
                return pos
            pos = _skip(data, pos, tag & 7, tag >> 3)
    raise ValueError(f"wire type {wire}")


_SIGNED_64 = (FD.TYPE_INT32, FD.TYPE_INT64)
# Field types whose values are messages: length-delimited, or proto2 groups (start/end tags).
_MESSAGE_TYPES = (FD.TYPE_MESSAGE, FD.TYPE_GROUP)
_HOLDS_MAPS: dict = {}


def _holds_maps(descriptor: Descriptor) -> bool:
    """Whether a message of this type can contain a map, at any depth."""
    name = descriptor.full_name
    if name not in _HOLDS_MAPS:
        seen, todo, found = {name}, [descriptor], False
        while todo and not found:
            for f in todo.pop().fields:
                if is_map(f):
                    found = True
                elif f.type in _MESSAGE_TYPES and f.message_type.full_name not in seen:
                    seen.add(f.message_type.full_name)
                    todo.append(f.message_type)
        _HOLDS_MAPS[name] = found
    return _HOLDS_MAPS[name]


def _map_key(entry: bytes, key_field: FieldDescriptor):
    """The sort key of one map entry's payload: the decoded key (the default when absent)."""
    t = key_field.type
    key = b"" if t == FD.TYPE_STRING else 0
    pos = 0
    while pos < len(entry):
        tag, pos = _varint(entry, pos)
        wire, number = tag & 7, tag >> 3
        end = _skip(entry, pos, wire, number)
        if number == 1:
            if wire == 2:
                key = bytes(entry[_varint(entry, pos)[1] : end])
            elif wire == 0:
                v = _varint(entry, pos)[0] & 0xFFFFFFFFFFFFFFFF
                if t in (FD.TYPE_SINT32, FD.TYPE_SINT64):
                    v = (v >> 1) ^ -(v & 1)
                elif t in _SIGNED_64 and v >= 2**63:
                    v -= 2**64
                elif t == FD.TYPE_UINT32:
                    v &= 0xFFFFFFFF
                elif t == FD.TYPE_BOOL:
                    v = 1 if v else 0
                key = v
            elif wire == 5:
                key = struct.unpack_from("<i" if t == FD.TYPE_SFIXED32 else "<I", entry, pos)[0]
            elif wire == 1:
                key = struct.unpack_from("<q" if t == FD.TYPE_SFIXED64 else "<Q", entry, pos)[0]
        pos = end
    if t == FD.TYPE_INT32:
        key = ((key + 2**31) % 2**32) - 2**31  # int32 keys travel sign-extended
    return key


def canonicalize(data: bytes, descriptor: Descriptor) -> bytes:
    """`data` (one message of `descriptor`) with every map's entries in ascending key order."""
    if not _holds_maps(descriptor):
        return data
    out = bytearray()
    pos = 0
    run_field = None  # the map field whose consecutive entries are being collected
    run: list = []

    def flush() -> None:
        nonlocal run_field, run
        if run_field is not None:
            key_field = run_field.message_type.fields_by_name["key"]
            run.sort(key=lambda item: _map_key(item[1], key_field))
            for header, payload in run:
                out.extend(header)
                out.extend(canonicalize(payload, run_field.message_type))
        run_field, run = None, []

    while pos < len(data):
        start = pos
        tag, pos = _varint(data, pos)
        wire, number = tag & 7, tag >> 3
        field = descriptor.fields_by_number.get(number)
        end = _skip(data, pos, wire, number)
        if field is not None and wire == 2 and field.type == FD.TYPE_MESSAGE:
            payload_start = _varint(data, pos)[1]
            header, payload = data[start:payload_start], data[payload_start:end]
            if is_map(field):
                if run_field is not field:
                    flush()
                    run_field = field
                run.append((header, payload))
            else:
                flush()
                out += header
                out += canonicalize(payload, field.message_type)
        elif field is not None and wire == 3 and field.type == FD.TYPE_GROUP:
            # A group: its fields up to the end-group tag, which Python writes in the fewest bytes.
            flush()
            end_tag = len(_encode_tag(number, 4))
            out += data[start:pos]
            out += canonicalize(data[pos : end - end_tag], field.message_type)
            out += data[end - end_tag : end]
        else:
            flush()
            out += data[start:end]
        pos = end
    flush()
    if len(out) != len(data):
        raise AssertionError("canonicalization changed the length")
    return bytes(out)


def _encode_varint(value: int) -> bytes:
    """A varint; negative numbers as their 64-bit two's complement (ten bytes)."""
    value &= 0xFFFFFFFFFFFFFFFF
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _encode_tag(number: int, wire: int) -> bytes:
    return _encode_varint(number << 3 | wire)


def encode(msg) -> bytes:
    """The canonical bytes of a message: deterministic, maps in ascending key order."""
    return canonicalize(msg.SerializeToString(deterministic=True), msg.DESCRIPTOR)


# --------------------------------------------------------------------------
# Random values


def _in_range(values: Iterable[int], lo: int, hi: int) -> List[int]:
    return sorted({v for v in values if lo <= v <= hi})


# Integers at the edges of every varint length and of every integer type.
_INT_EDGES = [0, 1, -1, 2, -2, 63, -64, 64, -65, 127, 128, -128, 255, 256, 300, 16383, 16384, -16384,
              2**21 - 1, 2**21, 2**28 - 1, 2**28, 2**31 - 1, -(2**31), 2**31, -(2**31) - 1,
              2**32 - 1, 2**32, 2**35, 2**42, 2**49, 2**53, 2**53 + 1, -(2**53) - 1,
              2**56, 2**63 - 1, -(2**63), 2**63, 2**64 - 1]

_INT_RANGES = {
    FD.TYPE_INT32: (INT32_MIN, INT32_MAX),
    FD.TYPE_SINT32: (INT32_MIN, INT32_MAX),
    FD.TYPE_SFIXED32: (INT32_MIN, INT32_MAX),
    FD.TYPE_INT64: (INT64_MIN, INT64_MAX),
    FD.TYPE_SINT64: (INT64_MIN, INT64_MAX),
    FD.TYPE_SFIXED64: (INT64_MIN, INT64_MAX),
    FD.TYPE_UINT32: (0, UINT32_MAX),
    FD.TYPE_FIXED32: (0, UINT32_MAX),
    FD.TYPE_UINT64: (0, UINT64_MAX),
    FD.TYPE_FIXED64: (0, UINT64_MAX),
}
_INT_EDGES_BY_TYPE = {t: _in_range(_INT_EDGES, lo, hi) for t, (lo, hi) in _INT_RANGES.items()}


def _bits_to_double(bits: int) -> float:
    return struct.unpack("<d", struct.pack("<Q", bits))[0]


def _bits_to_float(bits: int) -> float:
    return struct.unpack("<f", struct.pack("<I", bits))[0]


_DOUBLE_EDGES = [
    0.0, -0.0, 1.0, -1.0, 0.1, -2.5, 1e-300, 1e300, 2.0**53, 2.0**53 + 2, 2.0**64,
    math.inf, -math.inf, math.nan, -math.nan,
    _bits_to_double(0x0000000000000001),  # smallest subnormal
    _bits_to_double(0x000FFFFFFFFFFFFF),  # largest subnormal
    _bits_to_double(0x0010000000000000),  # smallest normal
    _bits_to_double(0x7FEFFFFFFFFFFFFF),  # largest finite
    _bits_to_double(0xFFEFFFFFFFFFFFFF),  # most negative finite
    _bits_to_double(0x8000000000000001),  # negative subnormal
    _bits_to_double(0x7FF8000000000001),  # quiet NaN with a payload
    _bits_to_double(0xFFF8000000000000),  # negative quiet NaN
    _bits_to_double(0x7FF0000000000001),  # signalling NaN
    _bits_to_double(0x7FFFFFFFFFFFFFFF),  # NaN, all payload bits set
]

_FLOAT_EDGES = [
    0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 16777216.0, 16777217.0,
    math.inf, -math.inf, math.nan, -math.nan,
    _bits_to_float(0x00000001),  # smallest subnormal
    _bits_to_float(0x007FFFFF),  # largest subnormal
    _bits_to_float(0x00800000),  # smallest normal
    _bits_to_float(0x7F7FFFFF),  # largest finite
    _bits_to_float(0xFF7FFFFF),  # most negative finite
    _bits_to_float(0x7FC00001),  # quiet NaN with a payload
    _bits_to_float(0xFFC00000),  # negative quiet NaN
    0.1,  # not representable: stored rounded to float
    1e39,  # beyond float range: stored as +inf
]

# Pieces strings are built from: every UTF-8 length, astral characters,
# combining sequences, controls, and strings that are canonically equivalent
# in Unicode but differ byte for byte.
_STRING_PIECES = [
    "a", "Z", "hello", " ", "\t", "\r\n", "\x00", "\x7f", "\x80", "\u00ff", "é", "e\u0301", "ß",
    "\u07ff", "\u0800", "中文", "日本語", "한국어", "עברית", "العربية", "\ufeff", "\u200d", "\ufffd",
    "\uffff", "\ufffe", "\U00010000", "😀", "𝄞", "🦄", "👨\u200d👩\u200d👧", "🇨🇭", "\U0010ffff",
    "Å", "A\u030a", "\u212b", "\u2126", "Ω", "\"quoted\"", "back\\slash", "%s{}",
]

# Map keys that Unicode treats as equal or orders differently from their
# UTF-8 bytes. Protobuf compares keys as raw bytes: all of these are distinct.
_TRICKY_STRING_KEYS = [
    "\u00e9", "e\u0301",             # é precomposed / decomposed
    "\u00c5", "A\u030a", "\u212b",   # Å, A + ring, ANGSTROM SIGN
    "\u03a9", "\u2126",              # GREEK CAPITAL OMEGA, OHM SIGN
    "\u00c6",                        # Æ: after Å by code point, before ANGSTROM SIGN by bytes
    "\u1e69", "s\u0323\u0307", "s\u0307\u0323",  # ṩ in three spellings
    "Z", "a", "\uff21", "\U0001f600", "\ufb01",  # ASCII, fullwidth, astral, ligature
]


_FLOAT_MAX = _bits_to_float(0x7F7FFFFF)

# The JSON mapping's ranges: Timestamps from 0001-01-01 to 9999-12-31, Durations within
# ±10,000 years.
_TIMESTAMP_MIN, _TIMESTAMP_MAX = -62_135_596_800, 253_402_300_799
_DURATION_MAX = 315_576_000_000

# Well-known types that JSON mode fills with Generator methods of these names.
_JSON_WKTS = {
    "google.protobuf.Timestamp": "json_timestamp",
    "google.protobuf.Duration": "json_duration",
    "google.protobuf.FieldMask": "json_field_mask",
    "google.protobuf.Value": "json_value",
    "google.protobuf.Struct": "json_struct",
    "google.protobuf.ListValue": "json_list",
}


class Generator:
    """Random messages of one pool. All randomness comes from `self.rng`."""

    def __init__(self, pool: descriptor_pool.DescriptorPool, rng: random.Random, all_types: List[Descriptor]):
        self.pool = pool
        self.rng = rng
        self.all_types = all_types  # candidates for google.protobuf.Any payloads
        self.density = 0.5
        self.undeclared_closed_enums = False  # see closed_enum_unknowns
        self.json = False  # only values the JSON mapping can carry (see _JSON_WKTS)
        self.refused_floats = 0  # ±FLT_MAX drawn and drawn again in JSON mode (see float)
        self.extensions = False  # also set the extensions the pool declares (fill_extensions)

    # -- scalars --------------------------------------------------------

    def integer(self, ftype: int) -> int:
        lo, hi = _INT_RANGES[ftype]
        rng = self.rng
        r = rng.random()
        if r < 0.3:
            return rng.choice(_INT_EDGES_BY_TYPE[ftype])
        if r < 0.55:
            return rng.randint(max(lo, -300), min(hi, 300))
        bits = rng.randint(1, 64 if hi > UINT32_MAX else 32)
        value = rng.getrandbits(bits)
        if lo < 0 and rng.random() < 0.4:
            value = -value
        return max(lo, min(hi, value))

    def double(self) -> float:
        rng = self.rng
        r = rng.random()
        if r < 0.35:
            return rng.choice(_DOUBLE_EDGES)
        if r < 0.5:
            return _bits_to_double(rng.getrandbits(64))  # any bit pattern, NaN payloads included
        if r < 0.7:
            return float(rng.randint(-1000, 1000))
        return rng.uniform(-1e6, 1e6) * 10.0 ** rng.randint(-30, 30)

    def float(self) -> float:
        value = self._float()
        # Python's json_format refuses the largest floats: it writes FLT_MAX as the shortest
        # decimal that reads back as it (3.4028235e+38), and its parser's range check compares
        # that decimal as a double with FLT_MAX's exact value, which it exceeds. A limit of
        # Python's, not of JSON: in JSON mode exactly ±FLT_MAX are drawn again, and counted.
        while self.json and abs(value) == _FLOAT_MAX:
            self.refused_floats += 1
            value = self._float()
        return value

    def _float(self) -> float:
        rng = self.rng
        r = rng.random()
        if r < 0.35:
            return rng.choice(_FLOAT_EDGES)
        if r < 0.5:
            return _bits_to_float(rng.getrandbits(32))
        if r < 0.7:
            return float(rng.randint(-1000, 1000))
        return _bits_to_float(struct.unpack("<I", struct.pack("<f", rng.uniform(-1e6, 1e6)))[0])

    def code_point(self) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.5:
            return chr(rng.randint(0x20, 0x7E))
        if r < 0.65:
            return chr(rng.randint(0x80, 0x7FF))
        if r < 0.85:
            c = rng.randint(0x800, 0xFFFF - 0x800)
            return chr(c if c < 0xD800 else c + 0x800)  # skip the surrogates
        return chr(rng.randint(0x10000, 0x10FFFF))

    def string(self) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.15:
            return ""
        if r < 0.45:
            return "".join(rng.choice(_STRING_PIECES) for _ in range(rng.randint(1, 4)))
        if r < 0.95:
            return "".join(self.code_point() for _ in range(rng.randint(1, 40)))
        if r < 0.998:
            return "".join(self.code_point() for _ in range(rng.randint(100, 3000)))
        return "x" * rng.randint(LARGE_SIZE // 2, LARGE_SIZE) + "🦄"

    def bytes(self) -> bytes:
        rng = self.rng
        r = rng.random()
        if r < 0.15:
            return b""
        if r < 0.25:
            return rng.choice([b"\x00", b"\xff\xfe", b"\xc0\x80", b"\xed\xa0\x80", b"\x80", b"\x00" * 16])
        if r < 0.9:
            return rng.randbytes(rng.randint(1, 32))
        if r < 0.998:
            return rng.randbytes(rng.randint(33, 2000))
        return rng.randbytes(rng.randint(LARGE_SIZE // 2, LARGE_SIZE))

    def enum(self, enum: EnumDescriptor) -> int:
        rng = self.rng
        known = [v.number for v in enum.values]
        if self.json and enum.full_name == "google.protobuf.NullValue":
            return 0  # JSON writes any NullValue as null, which reads back as NULL_VALUE (0)
        if enum_is_open(enum) and rng.random() < 0.15:
            # A number the enum does not declare.
            candidates = [v for v in (INT32_MIN, INT32_MAX, -1, 3, 7, 99, 1000, rng.randint(INT32_MIN, INT32_MAX))
                          if v not in known]
            return rng.choice(candidates)
        return rng.choice(known)

    def scalar(self, field: FieldDescriptor):
        t = field.type
        if t in _INT_RANGES:
            return self.integer(t)
        if t == FD.TYPE_DOUBLE:
            return self.double()
        if t == FD.TYPE_FLOAT:
            return self.float()
        if t == FD.TYPE_BOOL:
            return self.rng.random() < 0.5
        if t == FD.TYPE_STRING:
            return self.string()
        if t == FD.TYPE_BYTES:
            return self.bytes()
        if t == FD.TYPE_ENUM:
            return self.enum(field.enum_type)
        raise SystemExit(f"{field.full_name}: unsupported field type {t}")

    def zero(self, field: FieldDescriptor):
        t = field.type
        if t == FD.TYPE_STRING:
            return ""
        if t == FD.TYPE_BYTES:
            return b""
        if t == FD.TYPE_BOOL:
            return False
        if t in (FD.TYPE_DOUBLE, FD.TYPE_FLOAT):
            return 0.0
        if t == FD.TYPE_ENUM:
            # The enum's default: its first value, which a closed enum need not number 0.
            return field.enum_type.values[0].number
        return 0

    def map_key(self, field: FieldDescriptor):
        if field.type == FD.TYPE_STRING and self.rng.random() < 0.3:
            return self.rng.choice(_TRICKY_STRING_KEYS)
        if field.type == FD.TYPE_STRING and self.rng.random() < 0.02:
            return "k" * self.rng.randint(128, 600)  # a key whose length takes a 2-byte varint
        return self.scalar(field)

    # -- messages -------------------------------------------------------

    def count(self, depth: int, is_message: bool) -> int:
        """How many elements a repeated field or map gets."""
        rng = self.rng
        if is_message:
            if depth == 0 and rng.random() < 0.03:
                return rng.randint(8, 20)
            return rng.randint(0, max(0, 3 - depth))
        r = rng.random()
        if r < 0.2:
            return 0
        if r < 0.85 or (depth > 0 and r < 0.99):
            return rng.randint(1, 4)
        if r < 0.99:
            return rng.randint(5, 30)
        # Long lists only at the root, where they cannot multiply.
        return rng.randint(50, 200) if depth == 0 else rng.randint(5, 12)

    def wants(self, field: FieldDescriptor, depth: int) -> bool:
        """Whether to set a field that is not in a oneof. Deeper messages get fewer
        repeated, map and message fields, so recursive types stay small."""
        p = self.density
        if field.type in _MESSAGE_TYPES and not is_map(field):
            if depth >= MAX_DEPTH:
                return False
            p *= 0.75 ** depth
        elif is_repeated(field):
            p *= 0.6 ** depth
        return self.rng.random() < p

    def fill(self, msg, depth: int) -> None:
        """Sets a random selection of `msg`'s fields; `msg` sits at `depth`."""
        descriptor = msg.DESCRIPTOR
        if descriptor.full_name == "google.protobuf.Any":
            self.fill_any(msg, depth)
            return
        if self.json and descriptor.full_name in _JSON_WKTS:
            getattr(self, _JSON_WKTS[descriptor.full_name])(msg, depth)
            return
        chosen_in_oneof = {}
        for oneof in descriptor.oneofs:
            # Real oneofs and proto3 `optional` (a synthetic oneof of one field) alike:
            # at most one member is set.
            members = list(oneof.fields)
            if self.density > 0 and self.rng.random() < self.density + 0.2:
                pick = self.rng.choice(members)
                if pick.type not in _MESSAGE_TYPES or depth < MAX_DEPTH:
                    chosen_in_oneof[oneof.name] = pick
        for field in descriptor.fields:
            oneof = field.containing_oneof
            if oneof is not None:
                if chosen_in_oneof.get(oneof.name) is field:
                    self.set_present(msg, field, depth)
            elif is_map(field):
                if self.wants(field, depth):
                    self.fill_map(msg, field, depth)
            elif is_repeated(field):
                if self.json and field.type == FD.TYPE_ENUM and field.enum_type.full_name == "google.protobuf.NullValue":
                    # json_format writes these as [null, …] and refuses to read null as a list
                    # element: left empty in JSON mode (json_format cannot read its own output).
                    continue
                if self.wants(field, depth):
                    self.fill_repeated(msg, field, depth)
            elif self.wants(field, depth):
                if field.type in _MESSAGE_TYPES:
                    self.set_present(msg, field, depth)
                else:
                    setattr(msg, field.name, self.scalar(field))
        if self.extensions and descriptor.extension_ranges:
            self.fill_extensions(msg, depth)

    def fill_extensions(self, msg, depth: int) -> None:
        """Sets a random selection of the extensions the pool declares for `msg`'s type."""
        for ext in sorted(self.pool.FindAllExtensions(msg.DESCRIPTOR), key=lambda e: e.number):
            if not self.wants(ext, depth):
                continue
            if is_repeated(ext):
                container = msg.Extensions[ext]
                if ext.type in _MESSAGE_TYPES:
                    for _ in range(self.count(depth, True)):
                        sub = container.add()
                        if self.fills(sub):
                            self.fill(sub, depth + 1)
                else:
                    container.extend(self.scalar(ext) for _ in range(self.count(depth, False)))
            elif ext.type in _MESSAGE_TYPES:
                sub = msg.Extensions[ext]
                sub.SetInParent()
                if self.fills(sub):
                    self.fill(sub, depth + 1)
            else:
                msg.Extensions[ext] = self.scalar(ext)

    def set_present(self, msg, field: FieldDescriptor, depth: int) -> None:
        """Sets a field with presence, sometimes to its zero value (which must still be written)."""
        if field.type in _MESSAGE_TYPES:
            sub = getattr(msg, field.name)
            sub.SetInParent()
            if self.fills(sub):
                self.fill(sub, depth + 1)
        elif self.rng.random() < 0.2:
            setattr(msg, field.name, self.zero(field))
        else:
            setattr(msg, field.name, self.scalar(field))

    def fills(self, sub) -> bool:
        """Whether to fill a message just set present (else it stays empty). In JSON mode a
        Value is always filled: an empty one is written as null, which reads back as null_value."""
        fill = self.rng.random() < 0.85
        return fill or (self.json and sub.DESCRIPTOR.full_name == "google.protobuf.Value")

    def fill_repeated(self, msg, field: FieldDescriptor, depth: int) -> None:
        container = getattr(msg, field.name)
        if field.type in _MESSAGE_TYPES:
            for _ in range(self.count(depth, True)):
                sub = container.add()
                if self.fills(sub):
                    self.fill(sub, depth + 1)
        else:
            n = self.count(depth, False)
            container.extend(self.scalar(field) for _ in range(n))

    def fill_map(self, msg, field: FieldDescriptor, depth: int) -> None:
        container = getattr(msg, field.name)
        key_field = field.message_type.fields_by_name["key"]
        value_field = field.message_type.fields_by_name["value"]
        is_message = value_field.type == FD.TYPE_MESSAGE
        if is_message and depth >= MAX_DEPTH:
            return
        for _ in range(self.count(depth, is_message)):
            key = self.map_key(key_field)
            if self.rng.random() < 0.1:
                key = self.zero(key_field)  # a default key is still written
            if is_message:
                sub = container[key]  # creates the entry
                if self.fills(sub):
                    self.fill(sub, depth + 1)
            elif self.rng.random() < 0.1:
                container[key] = self.zero(value_field)  # so is a default value
            else:
                container[key] = self.scalar(value_field)

    def complete_required(self, msg) -> None:
        """Sets every required field left unset, at every depth: Python refuses to write a
        message that lacks one."""
        for field in msg.DESCRIPTOR.fields:
            if is_required(field) and not msg.HasField(field.name):
                if field.type in _MESSAGE_TYPES:
                    getattr(msg, field.name).SetInParent()
                else:
                    setattr(msg, field.name, self.scalar(field))
        for field, value in msg.ListFields():
            if field.type not in _MESSAGE_TYPES:
                continue
            if is_map(field):
                if field.message_type.fields_by_name["value"].type in _MESSAGE_TYPES:
                    for v in value.values():
                        self.complete_required(v)
            elif is_repeated(field):
                for v in value:
                    self.complete_required(v)
            else:
                self.complete_required(value)

    # -- well-known types inside the JSON mapping's ranges (JSON mode) ---------

    def json_timestamp(self, msg, depth: int) -> None:
        """0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z, edges included."""
        rng = self.rng
        if rng.random() < 0.15:
            return  # the epoch, written as 1970-01-01T00:00:00Z
        msg.seconds = rng.choice([_TIMESTAMP_MIN, _TIMESTAMP_MAX, 0, -1, 1, rng.randint(_TIMESTAMP_MIN, _TIMESTAMP_MAX),
                                  rng.randint(_TIMESTAMP_MIN, _TIMESTAMP_MAX), rng.randint(-2**31, 2**31)])
        msg.nanos = self.json_nanos()

    def json_nanos(self) -> int:
        rng = self.rng
        return rng.choice([0, 0, 999_999_999, 1, 1000, 1_000_000, rng.randint(0, 999) * 1_000_000,
                           rng.randint(0, 999_999) * 1000, rng.randint(0, 999_999_999)])

    def json_duration(self, msg, depth: int) -> None:
        """Within ±315,576,000,000 seconds, nanos of the seconds' sign."""
        rng = self.rng
        if rng.random() < 0.15:
            return
        seconds = rng.choice([_DURATION_MAX, -_DURATION_MAX, 0, 1, -1, rng.randint(-_DURATION_MAX, _DURATION_MAX),
                              rng.randint(-100_000, 100_000)])
        nanos = self.json_nanos()
        if seconds < 0 or (seconds == 0 and rng.random() < 0.5):
            nanos = -nanos
        msg.seconds, msg.nanos = seconds, nanos

    def json_field_mask(self, msg, depth: int) -> None:
        """Paths that survive the lowerCamelCase conversion both ways: lowercase ASCII words
        joined by `_` (each word after one starting with a letter) and `.`."""
        rng = self.rng

        def word() -> str:
            return rng.choice("abcdefghijklmnopqrstuvwxyz") + "".join(
                rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(rng.randint(0, 6)))

        for _ in range(self.count(depth, False)):
            msg.paths.append(".".join("_".join(word() for _ in range(rng.randint(1, 3)))
                                      for _ in range(rng.randint(1, 3))))

    def json_value(self, msg, depth: int) -> None:
        """A Value of every kind; never unset (written as null, read back as null_value) and
        never a NaN or infinite number (JSON has no number for them)."""
        rng = self.rng
        kinds = ["null", "number", "string", "bool"] + (["struct", "list"] if depth < MAX_DEPTH else [])
        kind = rng.choice(kinds)
        if kind == "null":
            msg.null_value = 0
        elif kind == "number":
            value = self.double()
            msg.number_value = value if math.isfinite(value) else float(rng.randint(-1000, 1000))
        elif kind == "string":
            msg.string_value = self.string()
        elif kind == "bool":
            msg.bool_value = rng.random() < 0.5
        elif kind == "struct":
            msg.struct_value.SetInParent()
            self.json_struct(msg.struct_value, depth + 1)
        else:
            msg.list_value.SetInParent()
            self.json_list(msg.list_value, depth + 1)

    def json_struct(self, msg, depth: int) -> None:
        key_field = msg.DESCRIPTOR.fields_by_name["fields"].message_type.fields_by_name["key"]
        for _ in range(self.count(depth, True)):
            self.json_value(msg.fields[self.map_key(key_field)], depth)

    def json_list(self, msg, depth: int) -> None:
        for _ in range(self.count(depth, True)):
            self.json_value(msg.values.add(), depth)

    # -- closed enums ---------------------------------------------------

    def undeclared(self, enum: EnumDescriptor) -> int:
        """A number the closed `enum` does not declare."""
        known = {v.number for v in enum.values}
        candidates = [v for v in (INT32_MIN, INT32_MAX, -1, 0, 7, 99, 1000, self.rng.randint(INT32_MIN, INT32_MAX))
                      if v not in known]
        return self.rng.choice(candidates)

    def closed_enum_unknowns(self, msg) -> None:
        """Merges into `msg` numbers its closed-enum fields do not declare, in every shape they can
        arrive in: a singular or oneof value, an unpacked element, a packed run mixing declared and
        undeclared numbers, a map entry. A parser keeps each undeclared number (a whole map entry
        for a map) in the unknown fields and leaves the field as it was."""
        rng = self.rng
        raw = bytearray()
        for field in msg.DESCRIPTOR.fields:
            if rng.random() >= 0.3:
                continue
            if is_map(field):
                value_field = field.message_type.fields_by_name["value"]
                if value_field.type != FD.TYPE_ENUM or enum_is_open(value_field.enum_type):
                    continue
                # The largest key, so that the entry stays last in its run of entries (the
                # canonical form sorts runs of entries, and unknown fields follow known ones).
                key_field = field.message_type.fields_by_name["key"]
                entry = message_factory.GetMessageClass(field.message_type)()
                entry.key = ("\U0010ffff" * 8 if key_field.type == FD.TYPE_STRING
                             else True if key_field.type == FD.TYPE_BOOL else _INT_RANGES[key_field.type][1])
                payload = entry.SerializeToString() + _encode_tag(2, 0) + _encode_varint(self.undeclared(value_field.enum_type))
                raw += _encode_tag(field.number, 2) + _encode_varint(len(payload)) + payload
                continue
            if field.type != FD.TYPE_ENUM or enum_is_open(field.enum_type):
                continue
            if is_repeated(field) and rng.random() < 0.5:
                values = [self.undeclared(field.enum_type) if rng.random() < 0.5 else rng.choice(field.enum_type.values).number
                          for _ in range(rng.randint(1, 6))]
                payload = b"".join(_encode_varint(v) for v in values)
                raw += _encode_tag(field.number, 2) + _encode_varint(len(payload)) + payload
            else:
                raw += _encode_tag(field.number, 0) + _encode_varint(self.undeclared(field.enum_type))
        if raw:
            msg.MergeFromString(bytes(raw))

    def fill_any(self, msg, depth: int) -> None:
        """An Any usually holds a real message of the pool; sometimes arbitrary bytes."""
        rng = self.rng
        if rng.random() < 0.15:
            return
        if self.json and (depth >= MAX_DEPTH or not self.all_types):
            return  # JSON can only write an Any whose type both sides know
        if not self.json and (rng.random() < 0.2 or depth >= MAX_DEPTH or not self.all_types):
            msg.type_url = self.string()
            msg.value = self.bytes()
            return
        descriptor = rng.choice(self.all_types)
        inner = message_factory.GetMessageClass(descriptor)()
        self.fill(inner, depth + 1)
        self.complete_required(inner)
        prefix = rng.choice(["type.googleapis.com/", "example.com/types/", ""])
        msg.type_url = prefix + descriptor.full_name
        msg.value = encode(inner)

    def message(self, cls):
        r = self.rng.random()
        if r < 0.03:
            self.density = 0.0  # an empty message
        elif r < 0.2:
            self.density = 0.9
        elif r < 0.5:
            self.density = 0.2
        else:
            self.density = 0.5
        msg = cls()
        self.fill(msg, 0)
        self.complete_required(msg)
        if self.undeclared_closed_enums and self.density > 0:
            self.closed_enum_unknowns(msg)
        return msg


def all_message_types(pool: descriptor_pool.DescriptorPool, fds_path: str) -> List[Descriptor]:
    """Every non-map-entry message of the set, sorted by name so choices are reproducible."""
    fds = descriptor_pb2.FileDescriptorSet()
    with open(fds_path, "rb") as f:
        fds.ParseFromString(f.read())
    names = []

    def walk(prefix: str, messages) -> None:
        for m in messages:
            full = f"{prefix}.{m.name}" if prefix else m.name
            if not m.options.map_entry:
                names.append(full)
            walk(full, m.nested_type)

    for fp in fds.file:
        walk(fp.package, fp.message_type)
    return [pool.FindMessageTypeByName(n) for n in sorted(set(names))]


# --------------------------------------------------------------------------
# Unknown-field accounting for `generate --as`


def _wire_type(field: FieldDescriptor) -> int:
    if is_repeated(field) and field.type not in (FD.TYPE_STRING, FD.TYPE_BYTES, FD.TYPE_MESSAGE):
        return 2 if field.is_packed else -1  # packed or not: parsers accept both
    return {
        FD.TYPE_DOUBLE: 1, FD.TYPE_FIXED64: 1, FD.TYPE_SFIXED64: 1,
        FD.TYPE_FLOAT: 5, FD.TYPE_FIXED32: 5, FD.TYPE_SFIXED32: 5,
        FD.TYPE_STRING: 2, FD.TYPE_BYTES: 2, FD.TYPE_MESSAGE: 2,
    }.get(field.type, 0)


def incompatibilities(a: Descriptor, b: Descriptor, seen=None) -> List[str]:
    """Field numbers both messages use with different wire types (recursing into shared sub-messages)."""
    seen = seen if seen is not None else set()
    if (a.full_name, b.full_name) in seen:
        return []
    seen.add((a.full_name, b.full_name))
    problems = []
    for fa in a.fields:
        fb = b.fields_by_number.get(fa.number)
        if fb is None:
            continue
        wa, wb = _wire_type(fa), _wire_type(fb)
        if wa != wb and -1 not in (wa, wb):
            problems.append(f"{fa.full_name} and {fb.full_name} (field {fa.number}) differ on the wire")
        if fa.type == FD.TYPE_MESSAGE and fb.type == FD.TYPE_MESSAGE:
            problems += incompatibilities(fa.message_type, fb.message_type, seen)
    return problems


def has_unknown_fields(msg) -> bool:
    from google.protobuf import unknown_fields

    if len(unknown_fields.UnknownFieldSet(msg)) > 0:
        return True
    for field, value in msg.ListFields():
        if field.type != FD.TYPE_MESSAGE:
            continue
        if is_map(field):
            if field.message_type.fields_by_name["value"].type == FD.TYPE_MESSAGE:
                if any(has_unknown_fields(v) for v in value.values()):
                    return True
        elif is_repeated(field):
            if any(has_unknown_fields(v) for v in value):
                return True
        elif has_unknown_fields(value):
            return True
    return False


# --------------------------------------------------------------------------
# Subcommands


def cmd_generate(args) -> int:
    pool = load_pool(args.descriptor_set)
    cls = message_class(pool, args.message)
    types = all_message_types(pool, args.descriptor_set)
    records = []
    refused_floats = 0
    for i in range(args.count):
        # One generator per message, seeded from (seed, index): message i does
        # not depend on how many came before it.
        rng = random.Random(f"{args.seed}/{i}")
        generator = Generator(pool, rng, types)
        generator.undeclared_closed_enums = args.undeclared_closed_enums
        generator.json = args.json
        generator.extensions = args.extensions
        msg = generator.message(cls)
        refused_floats += generator.refused_floats
        records.append(encode(msg))
    write_records(args.out, records)
    total = sum(len(r) for r in records)
    note = ""
    if args.as_message:
        other = message_class(pool, args.as_message)
        problems = incompatibilities(cls.DESCRIPTOR, other.DESCRIPTOR)
        for p in problems:
            print(f"differential: incompatible: {p}", file=sys.stderr)
        if problems:
            return 1
        carrying = sum(1 for r in records if has_unknown_fields(other.FromString(r)))
        note = f"; {carrying} carry fields unknown to {args.as_message}"
    if args.json:
        note += f"; JSON mode, {refused_floats} float values ±FLT_MAX drawn again"
    print(f"differential: wrote {len(records)} {args.message} messages, {total} bytes, to {args.out}{note}")
    return 0


def _hex(data: bytes, limit: int) -> str:
    text = data.hex()
    if len(text) > limit:
        return text[:limit] + f"...({len(data)} bytes)"
    return text


def _text(msg, limit: int) -> str:
    text = " ".join(str(msg).split())
    if len(text) > limit:
        return text[:limit] + "..."
    return text


def _text_diff(want, got, limit: int) -> str:
    """The lines of the two messages' text forms that differ, '-' expected, '+' actual."""
    import difflib

    lines = [
        line
        for line in difflib.unified_diff(str(want).splitlines(), str(got).splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    text = " | ".join(" ".join(line.split()) for line in lines) or "text forms equal"
    return text if len(text) <= limit else text[:limit] + "..."


def _window(expected: bytes, actual: bytes, at: int) -> str:
    lo = max(0, at - 8)
    return f"expected[{lo}:]={expected[lo : at + 16].hex()} actual[{lo}:]={actual[lo : at + 16].hex()}"


def _first_difference(a: bytes, b: bytes) -> int:
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


def cmd_check(args) -> int:
    pool = load_pool(args.descriptor_set)
    cls = message_class(pool, args.message)
    expected = read_records(args.expected)
    actual = read_records(args.actual)
    mismatches = 0
    shown = 0

    def report(line: str) -> None:
        nonlocal mismatches, shown
        mismatches += 1
        if args.limit == 0 or shown < args.limit:
            print(line)
            shown += 1

    for i in range(max(len(expected), len(actual))):
        if i >= len(actual):
            report(f"#{i}: missing from actual (expected {len(expected[i])} bytes)")
            continue
        if i >= len(expected):
            report(f"#{i}: extra record in actual ({len(actual[i])} bytes)")
            continue
        exp, act = expected[i], actual[i]
        try:
            parsed = cls.FromString(act)
        except Exception as error:  # the upb backend raises DecodeError; be broad
            report(f"#{i}: actual does not parse: {error}; actual={_hex(act, args.width)}")
            continue
        again = encode(parsed)
        if again != exp and args.json_lossy and _json_form(parsed, pool) == _json_form(cls.FromString(exp), pool):
            pass
        elif again != exp and args.any_canonical and _deep_encode(parsed, pool) == _deep_encode(cls.FromString(exp), pool):
            pass
        elif again != exp and args.text_lossy and _writer("text", pool)(parsed) == _writer("text", pool)(cls.FromString(exp)):
            pass
        elif again != exp:
            want = cls.FromString(exp)
            at = _first_difference(again, exp)
            report(
                f"#{i}: differs at byte {at} of the re-encoded actual: "
                f"{_window(exp, again, at)} diff={{{_text_diff(want, parsed, args.width)}}} "
                f"expected={_hex(exp, args.width)} actual={_hex(act, args.width)} "
                f"expected_msg={{{_text(want, args.width)}}} actual_msg={{{_text(parsed, args.width)}}}"
            )
        elif args.strict and act != exp:
            at = _first_difference(act, exp)
            report(
                f"#{i}: same message, different bytes at byte {at} (--strict): "
                f"{_window(exp, act, at)} expected={_hex(exp, args.width)} actual={_hex(act, args.width)}"
            )
    if shown < mismatches:
        print(f"... {mismatches - shown} more mismatches not shown (--limit 0 shows all)")
    print(f"differential: {len(expected)} messages, {mismatches} mismatches")
    return 1 if mismatches else 0


def cmd_roundtrip(args) -> int:
    pool = load_pool(args.descriptor_set)
    cls = message_class(pool, args.message)
    out = []
    for i, record in enumerate(read_records(args.input)):
        try:
            msg = cls.FromString(record)
        except Exception as error:
            print(f"differential: record #{i} of {args.input} does not parse as {args.message}: {error}",
                  file=sys.stderr)
            return 1
        out.append(encode(msg))
    write_records(args.out, out)
    print(f"differential: re-encoded {len(out)} {args.message} messages to {args.out}")
    return 0


def _json_form(msg, pool) -> bytes:
    """The canonical bytes of a message as far as JSON can carry it: every NaN is the one
    JSON "NaN" reads as (no payload, no sign), and every -0 is +0 (Python's json_format reads
    the JSON number -0 as +0, which for a field without presence is not there at all), down
    through `Any` payloads."""
    return _deep_encode(msg, pool, forget_json_losses=True)


def _deep_encode(msg, pool, forget_json_losses: bool = False) -> bytes:
    """`encode`, with the payload of every `Any` of a type the pool knows in canonical form
    too (json_format and text_format pack the `Any`s they parse with their map entries in
    upb's order) and, with `forget_json_losses`, what JSON cannot carry forgotten."""
    copy = type(msg)()
    copy.CopyFrom(msg)
    _normalize(copy, pool, forget_json_losses)
    return encode(copy)


def _plain_float(value: float) -> float:
    if math.isnan(value):
        return math.nan
    return 0.0 if value == 0 else value


def _normalize(msg, pool, forget_json_losses: bool) -> None:
    if msg.DESCRIPTOR.full_name == "google.protobuf.Any":
        try:
            inner = message_factory.GetMessageClass(pool.FindMessageTypeByName(msg.type_url.split("/")[-1]))()
            inner.ParseFromString(msg.value)
        except Exception:  # not a known type, or not its bytes: compared as bytes
            return
        _normalize(inner, pool, forget_json_losses)
        msg.value = encode(inner)
        return
    floats = (FD.TYPE_DOUBLE, FD.TYPE_FLOAT)
    for field, value in msg.ListFields():
        if field.type in _MESSAGE_TYPES:
            if is_map(field):
                if field.message_type.fields_by_name["value"].type in _MESSAGE_TYPES:
                    for v in value.values():
                        _normalize(v, pool, forget_json_losses)
                elif forget_json_losses and field.message_type.fields_by_name["value"].type in floats:
                    for k in list(value.keys()):
                        value[k] = _plain_float(value[k])
            elif is_repeated(field):
                for v in value:
                    _normalize(v, pool, forget_json_losses)
            else:
                _normalize(value, pool, forget_json_losses)
        elif forget_json_losses and field.type in floats:
            if is_repeated(field):
                plain = [_plain_float(v) for v in value]
                del value[:]
                value.extend(plain)
            elif field.is_extension:
                msg.Extensions[field] = _plain_float(value)
            elif value == 0 and not field.has_presence:
                msg.ClearField(field.name)
            else:
                setattr(msg, field.name, _plain_float(value))


def _writer(fmt: str, pool):
    """How Python writes a message in `fmt`: json_format compact, or text_format (the `Any`
    expanded form through the pool)."""
    from google.protobuf import json_format, text_format

    if fmt == "json":
        return lambda msg: json_format.MessageToJson(msg, indent=None, descriptor_pool=pool)
    return lambda msg: text_format.MessageToString(msg, descriptor_pool=pool)


def _parser(fmt: str, pool):
    from google.protobuf import json_format, text_format

    if fmt == "json":
        return lambda text, msg: json_format.Parse(text, msg, descriptor_pool=pool)
    return lambda text, msg: text_format.Parse(text, msg, descriptor_pool=pool)


def cmd_to_format(args) -> int:
    """Binary records in, the same messages in JSON (json_format, compact) or the text format
    (text_format) out; with `--parsed`, also what Python itself reads back from each text, as
    binary records (for another reader of the same text to be compared with)."""
    pool = load_pool(args.descriptor_set)
    cls = message_class(pool, args.message)
    write = _writer(args.format, pool)
    parse = _parser(args.format, pool)
    out, parsed = [], []
    for i, record in enumerate(read_records(args.input)):
        text = write(cls.FromString(record))
        out.append(text.encode("utf-8"))
        if args.parsed:
            try:
                parsed.append(encode(parse(text, cls())))
            except Exception as error:
                print(f"differential: #{i}: {args.format} that Python wrote does not parse in Python: {error}",
                      file=sys.stderr)
                return 1
    write_records(args.out, out)
    if args.parsed:
        write_records(args.parsed, parsed)
    print(f"differential: wrote {len(out)} {args.message} messages as {args.format} to {args.out}")
    return 0


def cmd_check_format(args) -> int:
    """JSON or text-format records (`--actual`) parsed by json_format or text_format must be the
    binary `--expected` messages. Compared by their deterministic encodings, so that NaN equals
    NaN; what the format cannot carry (NaN payloads; in JSON also the sign of -0) is not a
    difference."""
    pool = load_pool(args.descriptor_set)
    cls = message_class(pool, args.message)
    parse = _parser(args.format, pool)
    # The text form with `Any` expanded: a NaN inside an `Any`'s bytes loses its payload too.
    lossy = (lambda msg: _json_form(msg, pool)) if args.format == "json" else _writer("text", pool)
    expected = read_records(args.expected)
    actual = read_records(args.actual)
    mismatches = 0
    for i, (exp, act) in enumerate(zip(expected, actual)):
        want = cls.FromString(exp)
        try:
            got = parse(act.decode("utf-8"), cls())
        except Exception as error:  # ParseError, UnicodeDecodeError
            mismatches += 1
            if mismatches <= args.limit:
                print(f"#{i}: {args.format} parser cannot parse it: {error}; text={act[:args.width]!r}")
            continue
        if encode(got) != encode(want) and lossy(got) != lossy(want):
            mismatches += 1
            if mismatches <= args.limit:
                print(f"#{i}: parsed {args.format} differs: diff={{{_text_diff(want, got, args.width)}}} text={act[:args.width]!r}")
    mismatches += abs(len(expected) - len(actual))
    print(f"differential: {len(expected)} messages, {mismatches} mismatches")
    return 1 if mismatches else 0


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    def common(p) -> None:
        p.add_argument("--descriptor-set", required=True, help="FileDescriptorSet from protoc --include_imports")
        p.add_argument("--message", required=True, help="full message name, such as fixtures.Scalars")

    g = commands.add_parser("generate", help="write N random messages as records")
    common(g)
    g.add_argument("--count", type=int, required=True)
    g.add_argument("--seed", type=int, required=True)
    g.add_argument("--out", required=True)
    g.add_argument("--as", dest="as_message", metavar="FULL.NAME2",
                   help="the type the other side decodes these as (e.g. an older version): "
                        "checks the two are wire-compatible and reports how many records "
                        "carry fields it does not know; the records are the same")
    g.add_argument("--undeclared-closed-enums", action="store_true",
                   help="merge numbers that closed enums do not declare into each root message, "
                        "as raw fields (they end up in the unknown fields)")
    g.add_argument("--json", action="store_true",
                   help="only values the JSON mapping (and Python's json_format) can carry: Timestamps, "
                        "Durations and FieldMask paths in range, Values of a kind, Any of known types, "
                        "no ±FLT_MAX floats, no undeclared NullValues, no repeated NullValues")
    g.add_argument("--extensions", action="store_true",
                   help="also set the extensions the descriptor set declares, in every message that has "
                        "extension ranges")
    g.set_defaults(run=cmd_generate)

    c = commands.add_parser("check", help="compare actual records with expected ones")
    common(c)
    c.add_argument("--expected", required=True)
    c.add_argument("--actual", required=True)
    c.add_argument("--strict", action="store_true",
                   help="also require the actual bytes to equal the expected bytes as written")
    c.add_argument("--limit", type=int, default=0, help="print at most this many mismatch lines (0: all)")
    c.add_argument("--width", type=int, default=400, help="truncate hex and text to this many characters")
    c.add_argument("--json-lossy", action="store_true",
                   help="accept what a trip through JSON cannot keep: NaN payloads, the sign of -0")
    c.add_argument("--any-canonical", action="store_true",
                   help="compare the payloads of Any fields as messages, not bytes (json_format and "
                        "text_format pack the Any values they parse without sorting map entries)")
    c.add_argument("--text-lossy", action="store_true",
                   help="accept what a trip through the text format cannot keep: NaN payloads")
    c.set_defaults(run=cmd_check)

    r = commands.add_parser("roundtrip", help="parse records and write them re-encoded")
    common(r)
    r.add_argument("--in", dest="input", required=True)
    r.add_argument("--out", required=True)
    r.set_defaults(run=cmd_roundtrip)

    for fmt, library in (("json", "json_format"), ("text", "text_format")):
        j = commands.add_parser(f"to-{fmt}", help=f"write binary records as {fmt} records ({library})")
        common(j)
        j.add_argument("--in", dest="input", required=True)
        j.add_argument("--out", required=True)
        j.add_argument("--parsed", help=f"also write what {library} reads back from each text here, as binary records")
        j.set_defaults(run=cmd_to_format, format=fmt)

        cj = commands.add_parser(f"check-{fmt}", help=f"parse {fmt} records with {library} and compare with binary ones")
        common(cj)
        cj.add_argument("--expected", required=True)
        cj.add_argument("--actual", required=True)
        cj.add_argument("--limit", type=int, default=10)
        cj.add_argument("--width", type=int, default=400)
        cj.set_defaults(run=cmd_check_format, format=fmt)

    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())

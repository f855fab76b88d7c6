"""Python protobuf (upb backend) reference for the codec benchmark.

Decodes (ParseFromString) and encodes (SerializeToString) the wire bytes codec-bench wrote; for
the "... JSON" cases the file holds JSON, read with json_format.Parse and written with
json_format.MessageToJson (Python code over upb messages: there is no single upb function to
count instructions in, so callgrind mode counts the whole call).
  python3 codec_bench.py GEN_DIR BYTES_DIR [seconds]            case<TAB>op<TAB>seconds per op
  python3 codec_bench.py GEN_DIR BYTES_DIR --callgrind CASE OP N
      runs one op N times; under callgrind, --toggle-collect=PyUpb_Message_ParseFromString
      (decode) or PyUpb_Message_SerializeToString (encode) counts upb's own work.
GEN_DIR holds search_pb2.py, codec_pb2.py and proto2_pb2.py (grpc_tools.protoc --python_out).
"""
import sys
import time

sys.path.insert(0, sys.argv[1])
from google.protobuf.internal import api_implementation  # noqa: E402

from google.protobuf import json_format  # noqa: E402

import codec_pb2  # noqa: E402
import proto2_pb2  # noqa: E402
import search_pb2  # noqa: E402

CASES = {
    "SearchRequest": search_pb2.SearchRequest,
    "SearchResponses(100)": search_pb2.SearchResponses,
    "AllScalars": codec_pb2.AllScalars,
    "PackedInt64(1000)": codec_pb2.PackedInt64,
    "Map<string,int64>(100)": codec_pb2.StringInt64Map,
    "Map<string,int64>(100, shared prefix)": codec_pb2.StringInt64Map,
    "Map<string,int64>(100, random keys)": codec_pb2.StringInt64Map,
    "Map<string,int64>(10000)": codec_pb2.StringInt64Map,
    "Nested(3 levels)": codec_pb2.Level1,
    "Bytes(1 MiB)": codec_pb2.Blob,
    "WellKnownTypes": codec_pb2.WellKnownTypes,
    "Proto2Order": proto2_pb2.Order,
    "SearchRequest JSON": search_pb2.SearchRequest,
    "SearchResponses(100) JSON": search_pb2.SearchResponses,
    "AllScalars JSON": codec_pb2.AllScalars,
    "Nested(3 levels) JSON": codec_pb2.Level1,
    "WellKnownTypes JSON": codec_pb2.WellKnownTypes,
}


def json_ops(cls, data):
    text = data.decode()
    message = json_format.Parse(text, cls())

    def encode():
        return len(json_format.MessageToJson(message, indent=None))

    def decode():
        json_format.Parse(text, cls())
        return 1

    return {"encode": encode, "decode": decode}


def ops(cls, data):
    message = cls()
    message.ParseFromString(data)

    def encode():
        return len(message.SerializeToString())

    def decode():
        m = cls()
        m.ParseFromString(data)
        return 1

    return {"encode": encode, "decode": decode}


def main():
    bytes_dir = sys.argv[2]
    if api_implementation.Type() != "upb":
        print(f"protobuf backend is {api_implementation.Type()}, not upb", file=sys.stderr)
    if len(sys.argv) == 7 and sys.argv[3] == "--callgrind":
        name, op, n = sys.argv[4], sys.argv[5], int(sys.argv[6])
        with open(f"{bytes_dir}/{name}.bin", "rb") as f:
            body = (json_ops if name.endswith(" JSON") else ops)(CASES[name], f.read())[op]
        body()
        for _ in range(n):
            body()
        return
    target = float(sys.argv[3]) if len(sys.argv) > 3 else 0.2
    for name, cls in CASES.items():
        with open(f"{bytes_dir}/{name}.bin", "rb") as f:
            table = (json_ops if name.endswith(" JSON") else ops)(cls, f.read())
        for op in ("encode", "decode"):
            body = table[op]
            n = 1
            while True:
                t0 = time.perf_counter()
                for _ in range(n):
                    body()
                t = time.perf_counter() - t0
                if t > target / 10:
                    break
                n *= 2
            best = t / n
            for _ in range(5):
                t0 = time.perf_counter()
                for _ in range(n):
                    body()
                best = min(best, (time.perf_counter() - t0) / n)
            print(f"{name}\t{op}\t{best:.6e}")


main()

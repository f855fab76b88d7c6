"""A server reflection client made of grpcio-reflection's ProtoReflectionDescriptorDatabase.

Lists the server's services, describes one from the descriptors the server sends, and calls one
of its methods with a request built from those descriptors alone: no code generated for the
service on this side. Prints what it learnt, one fact a line, for the Swift test that starts it:

    services: NAME NAME ...
    method: NAME INPUT_TYPE OUTPUT_TYPE
    response: JSON
    missing symbol: NAME not found
    missing file: NAME not found

--version v1 speaks grpc.reflection.v1: grpcio-reflection ships only v1alpha's Python types, and
v1's messages are v1alpha's field for field, so the same client is pointed at v1's method.
"""

import argparse
import json
import sys

import grpc
from google.protobuf import descriptor_pool, json_format, message_factory
from grpc_reflection.v1alpha import reflection_pb2
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase


class _V1Stub:
    def __init__(self, channel):
        self.ServerReflectionInfo = channel.stream_stream(
            "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
            request_serializer=reflection_pb2.ServerReflectionRequest.SerializeToString,
            response_deserializer=reflection_pb2.ServerReflectionResponse.FromString,
        )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--target", required=True)
    parser.add_argument("--version", choices=["v1", "v1alpha"], default="v1alpha")
    parser.add_argument("--service", required=True, help="the service to describe, fully qualified")
    parser.add_argument("--method", required=True, help="the unary method to call")
    parser.add_argument("--request", required=True, help="the request, in JSON")
    parser.add_argument("--missing-symbol", default="no.such.Symbol")
    parser.add_argument("--missing-file", default="no/such/file.proto")
    args = parser.parse_args()

    with grpc.insecure_channel(args.target) as channel:
        database = ProtoReflectionDescriptorDatabase(channel)
        if args.version == "v1":
            database._stub = _V1Stub(channel)
        print("services: " + " ".join(sorted(database.get_services())))

        pool = descriptor_pool.DescriptorPool(database)
        service = pool.FindServiceByName(args.service)
        for method in service.methods:
            print(f"method: {method.name} {method.input_type.full_name} {method.output_type.full_name}")

        method = service.methods_by_name[args.method]
        request_type = message_factory.GetMessageClass(method.input_type)
        response_type = message_factory.GetMessageClass(method.output_type)
        request = json_format.Parse(args.request, request_type())
        call = channel.unary_unary(
            f"/{service.full_name}/{method.name}",
            request_serializer=request_type.SerializeToString,
            response_deserializer=response_type.FromString,
        )
        response = call(request, timeout=10)
        print("response: " + json.dumps(json_format.MessageToDict(response), sort_keys=True))

        for kind, name, find in [
            ("symbol", args.missing_symbol, database.FindFileContainingSymbol),
            ("file", args.missing_file, database.FindFileByName),
        ]:
            try:
                find(name)
                print(f"missing {kind}: {name} found")
            except KeyError:
                print(f"missing {kind}: {name} not found")
    return 0


if __name__ == "__main__":
    sys.exit(main())

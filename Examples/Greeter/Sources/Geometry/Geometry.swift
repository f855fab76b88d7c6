// Geometry holds the types generated from geometry.proto, which other modules' protos import.
// Places (beside it) shows how: its swift-grpc-config.json maps geometry.proto to this module.

#!/usr/bin/env bash
# The main job: generate Swift for Fixtures/search.proto with this project's plugin,
# check it matches the copy the demo is built from, and run the demo against protoc.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-deps.sh
include="${PROTO_INCLUDE:-/usr/include}"

# The plugin comes from the toolkit package (the root); the demo, server and client from the
# search example's package (Examples/Search), which depends on the toolkit by path.
swift build --product protoc-gen-swift-grpc
plugin="$(swift build --show-bin-path)/protoc-gen-swift-grpc"
search=(--package-path Examples/Search)
swift build "${search[@]}" --product search-demo
bin="$(swift build "${search[@]}" --show-bin-path)"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
protoc --plugin=protoc-gen-swift-grpc="$plugin" --swift-grpc_out="$out" \
    -I Fixtures -I "$include" Fixtures/search.proto
echo "== protoc --swift-grpc_out wrote $out/search.pb.swift ($(wc -l < "$out/search.pb.swift") lines)"
diff -u Examples/Search/Sources/SearchService/Generated/search.pb.swift "$out/search.pb.swift"
diff -u Examples/Search/Sources/SearchService/Generated/search.grpc.swift "$out/search.grpc.swift"
echo "== it is the code SearchService, search-demo, search-server and search-client are built from"
sed -n '/^nonisolated public struct SearchRequest/,/^}/p' "$out/search.pb.swift" | head -20
sed -n '/protocol Servicer/,/^  }/p' "$out/search.grpc.swift"

echo "== protoc --encode SearchRequest | search-demo | protoc --decode SearchResponses"
printf 'query: "a"\nlat: 52.52\nlng: 13.405\nresult_per_page: 3\n' \
    | protoc -I Fixtures -I "$include" --encode=SearchRequest Fixtures/search.proto \
    | "$bin/search-demo" \
    | protoc -I Fixtures -I "$include" --decode=SearchResponses Fixtures/search.proto

echo "== the search service: search-server on the embedded place index, queried by search-client"
swift build "${search[@]}" --product search-server
swift build "${search[@]}" --product search-client
log="$(mktemp)"
"$bin/search-server" --port 0 --data Examples/Search/Fixtures/places.geojson > "$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$out" "$log"' EXIT
for _ in $(seq 1 50); do grep -q "listening on" "$log" && break; sleep 0.2; done
target="$(grep -o 'listening on [0-9.]*:[0-9]*' "$log" | cut -d' ' -f3)"
echo "-- search-client --monitor"
"$bin/search-client" --monitor --target "$target"
echo "-- search-client 52.4742 13.3463   (a point in Berlin)"
"$bin/search-client" 52.4742 13.3463 --target "$target"
echo "-- search-client 52.4742 13.3463 --query mitte"
"$bin/search-client" 52.4742 13.3463 --query mitte --target "$target"
echo "-- search-client 95 13   (out of range: INVALID_ARGUMENT, exit status 3)"
"$bin/search-client" 95 13 --target "$target" || echo "exit status $?"
kill -TERM "$server"
wait "$server" || true
echo "-- server log"
cat "$log"

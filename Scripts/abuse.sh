#!/usr/bin/env bash
# The abuse suite: builds search-server in release and attacks it from real sockets while
# legitimate clients keep calling (Examples/Search/Tests/Abuse/abuse.py says what it checks).
#   Scripts/abuse.sh [--only NAME[,NAME...]] [--json FILE] [--list]
# Exits non-zero if any attack's check fails; every attack runs either way.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-deps.sh --python
search=(--package-path Examples/Search -c release)
swift build "${search[@]}" --product search-server
server="$(swift build "${search[@]}" --show-bin-path)/search-server"
exec python3 Examples/Search/Tests/Abuse/abuse.py --server "$server" "$@"

#!/usr/bin/env bash
# bench/soak.sh MINUTES [roomcast-soak options]: 1,000 clients chatting in 20 rooms and
# reconnecting at random against a roomcast-server for MINUTES, at the lowest priority. Prints
# the server's RSS and descriptors over time, and acks sent against history stored; the exit
# code is roomcast-soak's (0: equal, and RSS growth after the warm-up within 5 %). The log also
# goes to $BUILD_DIR/soak-<date>.log.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $# -lt 1 || ! "$1" =~ ^[0-9]+([.][0-9]+)?$ ]]; then
    echo "usage: bench/soak.sh MINUTES [roomcast-soak options]" >&2
    exit 2
fi
minutes=$1
shift
build_dir=${BUILD_DIR:-build}
[[ -f "$build_dir/build.ninja" ]] || BUILD_DIR="$build_dir" scripts/build.sh
cmake --build "$build_dir" --target roomcast-soak roomcast-server --parallel 2
# A thousand sockets on each side: the soft limit goes up to the hard one.
ulimit -n "$(ulimit -Hn)"
log="$build_dir/soak-$(date +%Y%m%d-%H%M%S).log"
echo "logging to $log"
nice -n 19 "$build_dir/bench/soak/roomcast-soak" --server "$build_dir/app/roomcast-server/roomcast-server" --minutes "$minutes" "$@" \
    2>&1 | tee "$log"
exit "${PIPESTATUS[0]}"

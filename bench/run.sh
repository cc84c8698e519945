#!/usr/bin/env bash
# Measures roomcast-server against the Node socket.io 4.8 reference (bench/reference) on this
# machine, in one run, and prints one table: each figure for Node, for Roomcast, and
# Roomcast/Node, then the bars of docs/PERFORMANCE.md. roomcast-server runs with --no-presence
# --no-flood-limit (the tutorial contract alone, as the Node reference speaks it); the
# connections scenario runs once more, to fewer connections, against roomcast-server in its
# default configuration (presence on), so that the cost of the nickname map shows in the
# table beside the like-for-like figures. The server under test runs on CPU 0,
# the load generator (roomcast-loadgen, C++, one epoll loop) on CPU 1; server CPU time and RSS
# are read from /proc/<pid>/stat and /proc/<pid>/status by the generator around each
# measured window.
#
#   bench/run.sh                 the full run (about 15 minutes), Release build in build-bench/
#   bench/run.sh --smoke         a few seconds of every scenario; fails if one printed nothing
#   options: --bin-dir DIR       use the binaries of an existing build instead of building
#            --only "S1 S2…"     scenarios among: connections fanout fanout10k acks codec ui
#            --out FILE          also write the table (Markdown) to FILE
#
# Needs the Node reference installed (scripts/deps.sh: npm ci in bench/reference).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
smoke=0
bin_dir=""
only="connections fanout fanout10k acks codec ui"
out=""
while (($#)); do
    case "$1" in
    --smoke) smoke=1 ;;
    --bin-dir) bin_dir=$2; shift ;;
    --only) only=$2; shift ;;
    --out) out=$2; shift ;;
    *) echo "usage: bench/run.sh [--smoke] [--bin-dir DIR] [--only \"SCENARIOS\"] [--out FILE]" >&2; exit 2 ;;
    esac
    shift
done

reference="$root/bench/reference"
if [[ ! -d "$reference/node_modules/socket.io" ]]; then
    echo "bench/run.sh: the Node reference is not installed; run scripts/deps.sh" >&2
    exit 1
fi
if [[ -z "$bin_dir" ]]; then
    bin_dir="$root/build-bench"
    echo "Building the Release binaries in $bin_dir" >&2
    cmake -S "$root" -B "$bin_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
    cmake --build "$bin_dir" --parallel 2 --target roomcast-server roomcast-loadgen roomcast-codecbench roomcast-uibench >&2
fi
server_bin="$bin_dir/app/roomcast-server/roomcast-server"
loadgen_bin="$bin_dir/bench/roomcast-loadgen"
codec_bin="$bin_dir/bench/roomcast-codecbench"
ui_bin="$bin_dir/bench/roomcast-uibench"
for binary in "$server_bin" "$loadgen_bin" "$codec_bin" "$ui_bin"; do
    [[ -x "$binary" ]] || { echo "bench/run.sh: $binary is missing" >&2; exit 1; }
done

# Both CPUs when the machine has them; on a single CPU both sides share it.
server_cpu=0
loadgen_cpu=1
if (($(nproc) < 2)); then loadgen_cpu=0; fi

secret="roomcast-bench-secret"
work=$(mktemp -d)
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# The generator holds one descriptor per connection, as does the server.
ulimit -n "$(ulimit -Hn)"

if ((smoke)); then
    connections_args=(--counts 30,60 --hold 1)
    presence_args=(--counts 30 --hold 1)
    fanout_args=(--receivers 20 --rates 10,50 --duration 0.5)
    fanout10k_args=(--receivers 50 --rates 1,2 --duration 0.5)
    acks_args=(--clients 10 --duration 0.5 --paced 500)
    codec_seconds=0.05
    ui_messages=2000
else
    connections_args=(--counts 1000,5000,10000,19900 --hold 30)
    # Presence on, every connect is announced to every socket and the newcomer is sent the
    # whole nickname map: N² messages to fill a server, so it is measured to 2,000.
    presence_args=(--counts 1000,2000 --hold 30)
    fanout_args=(--receivers 1000 --rates 10,25,50,75,100,150,200,300,400,500,700,1000,1500,2000 --duration 5)
    fanout10k_args=(--receivers 10000 --rates 1,2,5,10 --duration 5)
    acks_args=(--clients 100 --duration 5 --paced 10000)
    codec_seconds=1
    ui_messages=100000
fi

starts=0
start_server() { # kind
    # A log of its own: the background job truncates a reused one only once it runs, and until
    # then the loop below would read the previous server's port.
    starts=$((starts + 1))
    local log="$work/server-$1-$starts.log"
    case $1 in
    node) taskset -c "$server_cpu" node "$reference/server.mjs" --port 0 --secret "$secret" >"$log" 2>&1 & ;;
    roomcast) taskset -c "$server_cpu" "$server_bin" --port 0 --secret "$secret" --no-presence --no-flood-limit >"$log" 2>&1 & ;;
    roomcast-presence) taskset -c "$server_cpu" "$server_bin" --port 0 --secret "$secret" >"$log" 2>&1 & ;;
    esac
    server_pid=$!
    for _ in $(seq 100); do
        if grep -q '^listening on http://' "$log"; then
            server_port=$(sed -n 's|^listening on http://[^:]*:\([0-9]*\).*|\1|p' "$log" | head -1)
            return 0
        fi
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "bench/run.sh: the $1 server did not start:" >&2
    cat "$log" >&2
    return 1
}

stop_server() {
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
}

status=0
run_scenario() { # kind scenario
    local kind=$1 scenario=$2 result="$work/$1.tsv"
    echo "== $scenario against $kind" >&2
    local before
    before=$(grep -c '' "$result" 2>/dev/null || echo 0)
    case "$scenario" in
    connections | fanout | fanout10k | acks)
        local mode=$scenario args=()
        case "$scenario" in
        connections) args=("${connections_args[@]}"); [[ $kind == roomcast-presence ]] && args=("${presence_args[@]}") ;;
        fanout) args=("${fanout_args[@]}") ;;
        fanout10k) mode=fanout; args=("${fanout10k_args[@]}") ;;
        acks) args=("${acks_args[@]}") ;;
        esac
        start_server "$kind"
        if ! taskset -c "$loadgen_cpu" "$loadgen_bin" "$mode" --port "$server_port" --secret "$secret" \
            --server-pid "$server_pid" "${args[@]}" | grep '^figure' >>"$result"; then
            echo "bench/run.sh: $scenario against $kind reported failures" >&2
            status=1
        fi
        stop_server
        ;;
    codec)
        if [[ $kind == node ]]; then
            taskset -c "$server_cpu" node "$reference/codec.mjs" --seconds "$codec_seconds" | grep '^figure' >>"$result"
        else
            taskset -c "$server_cpu" "$codec_bin" --seconds "$codec_seconds" | grep '^figure' >>"$result"
        fi
        ;;
    ui)
        [[ $kind == node ]] && return 0 # no Node counterpart: the desktop model only
        QT_QPA_PLATFORM=offscreen taskset -c "$server_cpu" "$ui_bin" --messages "$ui_messages" | grep '^figure' >>"$result"
        ;;
    esac
    local after
    after=$(grep -c '' "$result" 2>/dev/null || echo 0)
    if ((after <= before)); then
        echo "bench/run.sh: $scenario against $kind produced no figures" >&2
        status=1
    fi
}

echo "machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)," \
    "$(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo), Linux $(uname -r), node $(node --version)," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for scenario in $only; do
    kinds="node roomcast"
    [[ $scenario == connections ]] && kinds="node roomcast roomcast-presence"
    for kind in $kinds; do
        run_scenario "$kind" "$scenario" || status=1
    done
done

touch "$work/node.tsv" "$work/roomcast.tsv" "$work/roomcast-presence.tsv"
table=$(awk -F'\t' '
    { file = (FILENAME == ARGV[1]) ? 1 : (FILENAME == ARGV[2]) ? 2 : 3 } # by name: an empty file has no first line
    file == 1 { node[$2] = $3; norder[++nn] = $2 }
    file == 2 { rc[$2] = $3; if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 } }
    file == 3 { presence[$2] = $3; porder[++np] = $2 }
    function num(v) { return v ~ /^-?[0-9.]+(e[-+]?[0-9]+)?$/ }
    END {
        # in Roomcast order (it measures every level Node does, and the levels past Node
        # saturation), then what Node alone reported
        for (i = 1; i <= nn; i++) if (!(norder[i] in seen)) { seen[norder[i]] = 1; order[++n] = norder[i] }
        print "| figure | Node | Roomcast | Roomcast/Node |"
        print "|---|---:|---:|---:|"
        for (i = 1; i <= n; i++) {
            k = order[i]; a = (k in node) ? node[k] : "—"; b = (k in rc) ? rc[k] : "—"
            r = (num(a) && num(b) && a + 0 != 0) ? sprintf("%.2f", b / a) : "—"
            printf "| %s | %s | %s | %s |\n", k, a, b, r
        }
        # roomcast-server in its default configuration, against the same Node figures
        for (i = 1; i <= np; i++) {
            k = porder[i]; a = (k in node) ? node[k] : "—"; b = presence[k]
            r = (num(a) && num(b) && a + 0 != 0) ? sprintf("%.2f", b / a) : "—"
            printf "| presence on: %s | %s | %s | %s |\n", k, a, b, r
        }
    }' "$work/node.tsv" "$work/roomcast.tsv" "$work/roomcast-presence.tsv")

# The bars of issue 6 (docs/PERFORMANCE.md), from the same figures.
bars=$(awk -F'\t' '
    { file = (FILENAME == ARGV[1]) ? 1 : (FILENAME == ARGV[2]) ? 2 : 3 } # by name: an empty file has no first line
    file == 1 { node[$2] = $3 }
    file == 2 { rc[$2] = $3 }
    function has(k) { return (k in node) && (k in rc) && node[k] != "-" && rc[k] != "-" && node[k] + 0 != 0 }
    function bar(name, k, limit, higher,   r, ok) {
        if (!has(k)) { printf "| %s | — | %s | not measured |\n", name, (higher ? "≥ " : "≤ ") limit; return }
        r = rc[k] / node[k]; ok = higher ? r >= limit : r <= limit
        printf "| %s | %.2f | %s %s | %s |\n", name, r, (higher ? "≥" : "≤"), limit, ok ? "met" : "NOT MET"
    }
    END {
        print "| bar | Roomcast/Node | wanted | |"
        print "|---|---:|---:|---|"
        # the largest level measured for both
        last = ""
        for (k in rc) if (k ~ /^connections [0-9]+: server RSS per connection/) {
            split(k, w, "[ :]"); if (last == "" || w[2] + 0 > last + 0) last = w[2] }
        bar("RSS per idle connection (" last ")", "connections " last ": server RSS per connection (KB)", 0.5, 0)
        # CPU per delivery at the highest rate both kept up with
        rate = ""
        for (k in rc) if (k ~ /^fan-out 1000 @ [0-9]+ msg\/s: server CPU per delivery/) {
            split(k, w, " "); r0 = w[4]
            if ((k in node) && r0 + 0 <= node["fan-out 1000: highest rate kept up with (msg/s)"] + 0 \
                && r0 + 0 <= rc["fan-out 1000: highest rate kept up with (msg/s)"] + 0 && (rate == "" || r0 + 0 > rate + 0)) rate = r0 }
        bar("CPU per delivery, 1000 receivers (" rate " msg/s)", "fan-out 1000 @ " rate " msg/s: server CPU per delivery (us)", 0.6, 0)
        bar("deliveries/s at saturation, 1000 receivers", "fan-out 1000: deliveries/s at saturation", 1.7, 1)
        bar("acks/s, closed loop", "acks closed loop, 100 clients: acks/s", 1.5, 1)
        bar("ack latency p99, closed loop", "acks closed loop, 100 clients: latency p99 (ms)", 1.0, 0)
        bar("connect rate (to " last ")", "connections: connect rate to " last " (conn/s)", 1.5, 1)
        f = 0; for (k in rc) if (k ~ /^connections [0-9]+: failures/) f += rc[k]
        if (last != "") printf "| connection failures to %s | %d | 0 | %s |\n", last, f, f == 0 ? "met" : "NOT MET"
    }' "$work/node.tsv" "$work/roomcast.tsv")

printf '%s\n\n%s\n' "$table" "$bars"
if [[ -n "$out" ]]; then printf '%s\n\n%s\n' "$table" "$bars" >"$out"; fi
exit $status

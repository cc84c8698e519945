#!/usr/bin/env bash
# Builds the libFuzzer harnesses into build-fuzz/ (FUZZ_BUILD_DIR to change it) and runs them,
# one after the other, for SECONDS in total: each of the N harnesses run gets SECONDS / N.
#
#   fuzz/run.sh SECONDS [HARNESS...]      e.g. fuzz/run.sh 60, fuzz/run.sh 1800 jwt
#
# Each harness starts from its committed seeds (fuzz/corpus/NAME, never written to) plus what
# earlier runs found (BUILD/corpus/NAME), with its dictionary (fuzz/dict/NAME.dict). Any crash,
# failed invariant, leak, AddressSanitizer or UndefinedBehaviorSanitizer report, timeout or
# out-of-memory stops that harness; the crashing input is saved as BUILD/artifacts/NAME-*, and
# the script goes on with the others and exits 1 at the end. Logs: BUILD/logs/NAME.log.
# FUZZ_TIMEOUT (default 10) is the time in seconds one input may take before it counts as a hang;
# raise it on a machine so loaded that a harness may not be scheduled for that long.
set -euo pipefail
cd "$(dirname "$0")/.."

# All in a function, read whole before it runs: editing the script during a long run is safe.
usage() { echo "usage: fuzz/run.sh SECONDS [HARNESS...]" >&2; exit 2; }

main() {
    [[ $# -ge 1 && $1 =~ ^[0-9]+$ && $1 -gt 0 ]] || usage
    total=$1
    shift
    all=(engineio_packet engineio_handshake socketio_decoder http_request websocket_frame handshake_query jwt joinurl discovery)
    harnesses=("$@")
    ((${#harnesses[@]})) || harnesses=("${all[@]}")
    for harness in "${harnesses[@]}"; do
        [[ " ${all[*]} " == *" $harness "* ]] || { echo "unknown harness: $harness (${all[*]})" >&2; exit 2; }
    done

    build_dir=${FUZZ_BUILD_DIR:-build-fuzz}
    cxx=${FUZZ_CXX:-clang++-14}
    if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
        # Debug keeps Q_ASSERT on; -O1 is fast enough and keeps stack traces readable.
        cmake -S . -B "$build_dir" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=Debug \
            -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" -DBUILD_TESTING=OFF -DROOMCAST_FUZZ=ON >/dev/null
    fi
    cmake --build "$build_dir" --target fuzzers --parallel "${JOBS:-$(nproc)}"

    per=$((total / ${#harnesses[@]}))
    ((per > 0)) || per=1
    mkdir -p "$build_dir/logs" "$build_dir/artifacts"
    symbolizer=$(command -v llvm-symbolizer-14 || command -v llvm-symbolizer || true)
    export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:symbolize=1${symbolizer:+:external_symbolizer_path=$symbolizer}"
    export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
    export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
    export QT_LOGGING_RULES="*.debug=false"

    failed=()
    printf '%-18s %10s %8s %6s %7s %14s  %s\n' harness executions exec/s edges features corpus result
    for harness in "${harnesses[@]}"; do
        corpus="$build_dir/corpus/$harness"
        log="$build_dir/logs/$harness.log"
        mkdir -p "$corpus"
        status=0
        "$build_dir/fuzz/fuzz_$harness" "$corpus" "fuzz/corpus/$harness" \
            -dict="fuzz/dict/$harness.dict" -max_total_time="$per" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2560 \
            -print_final_stats=1 -artifact_prefix="$build_dir/artifacts/$harness-" >"$log" 2>&1 || status=$?
        # The last status line: "#N DONE cov: E ft: F corp: C/Sb lim: L exec/s: X rss: R".
        last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
        field() { sed -nE "s/.*$1: ([^ ]+).*/\\1/p" <<<"$last"; }
        executions=$(sed -nE 's/^stat::number_of_executed_units: ([0-9]+)/\1/p' "$log" | tail -1)
        speed=$(sed -nE 's/^stat::average_exec_per_sec: +([0-9]+)/\1/p' "$log" | tail -1)
        result=ok
        if ((status != 0)); then
            result="FAILED (exit $status, see $log)"
            failed+=("$harness")
        fi
        printf '%-18s %10s %8s %6s %7s %14s  %s\n' "$harness" "${executions:-?}" "${speed:-?}" "$(field cov)" \
            "$(field ft)" "$(field corp)" "$result"
    done

    if ((${#failed[@]})); then
        for harness in "${failed[@]}"; do
            echo "---- $harness: the end of $build_dir/logs/$harness.log" >&2
            tail -40 "$build_dir/logs/$harness.log" >&2
        done
        exit 1
    fi
}

main "$@"

#!/usr/bin/env bash
# The whole test suite built with AddressSanitizer (LeakSanitizer included) and
# UndefinedBehaviorSanitizer, in its own build directory (ASAN_BUILD_DIR, default build-asan/):
# any report fails the test that made it. Then every fuzzer for FUZZ_SECONDS in all (default
# 60, see fuzz/README.md). Leaks that third-party libraries keep on purpose are suppressed in
# tests/lsan.supp, and only those.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${ASAN_BUILD_DIR:-build-asan}
if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
    # Debug keeps Q_ASSERT on; -O1 keeps the sanitizers' stack traces readable and fast enough.
    cmake -S . -B "$build_dir" -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=Debug \
        -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" -DBUILD_TESTING=ON -DROOMCAST_SANITIZE=ON
fi
cmake --build "$build_dir" --parallel "${JOBS:-$(nproc)}"

symbolizer=$(command -v llvm-symbolizer-14 || command -v llvm-symbolizer || true)
# Not strict_string_checks: it reads strndup()'s source up to a NUL even when the length given
# ends it first, which is legal and what libxkbcommon-x11 does with X atom names (tst_screenshot).
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1${symbolizer:+:external_symbolizer_path=$symbolizer}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
scripts/ctest.sh "$build_dir"

fuzz/run.sh "${FUZZ_SECONDS:-60}"

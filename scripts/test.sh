#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test with CTest (scripts/ctest.sh: a private
# D-Bus session with an unlocked gnome-keyring, the offscreen Qt platform). Then the same suite
# under AddressSanitizer and UndefinedBehaviorSanitizer, and a short fuzzing run
# (scripts/test-sanitizers.sh); SKIP_SANITIZERS=1 leaves those out of a local run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh
scripts/ctest.sh "${BUILD_DIR:-build}"
if [[ "${SKIP_SANITIZERS:-0}" != 1 ]]; then
    scripts/test-sanitizers.sh
fi

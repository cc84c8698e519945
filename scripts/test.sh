#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test with CTest. The tests run in a private
# D-Bus session with an unlocked gnome-keyring (QtKeychain's Secret Service) and the offscreen
# Qt platform.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh
build_dir=${BUILD_DIR:-build}
export QT_QPA_PLATFORM=offscreen
exec dbus-run-session -- sh -c '
    echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 || true
    cd "$0" && ctest --output-on-failure --timeout 300 -j2' "$build_dir"

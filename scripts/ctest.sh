#!/usr/bin/env bash
# Runs CTest in BUILD_DIR (default build/) the way every test expects: a private D-Bus session
# with an unlocked gnome-keyring (QtKeychain's Secret Service) and the offscreen Qt platform.
# Extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
shift || true
export QT_QPA_PLATFORM=offscreen
exec dbus-run-session -- sh -c '
    echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 || true
    cd "$0" && ctest --output-on-failure --timeout 300 -j2 "$@"' "$build_dir" "$@"

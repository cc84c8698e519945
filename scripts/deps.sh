#!/usr/bin/env bash
# Installs everything Roomcast needs to build, run and test on Debian 12, as root.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
    cmake ninja-build g++ pkg-config
    qt6-base-dev qt6-websockets-dev qtkeychain-qt6-dev qt6-tools-dev qt6-l10n-tools qt6-tools-dev-tools qt6-translations-l10n
    libqt6svg6 desktop-file-utils
    libqt6sql6-sqlite libgl-dev
    nodejs npm openssl
    dbus dbus-x11 gnome-keyring xvfb xauth
    # The sanitizer build and the fuzzers (scripts/test-sanitizers.sh, fuzz/): Clang with
    # libFuzzer and the sanitizer runtimes, and llvm-symbolizer for readable reports.
    clang-14 libclang-rt-14-dev llvm-14
)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
# Node may come from outside Debian's archive (as on our machines); then npm is part of it.
if command -v node >/dev/null && command -v npm >/dev/null; then
    filtered=()
    for package in "${missing[@]}"; do
        [[ "$package" == nodejs || "$package" == npm ]] || filtered+=("$package")
    done
    missing=("${filtered[@]}")
fi
if ((${#missing[@]})); then
    echo "Installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The real Node socket.io 4.8 peers for the interop tests and the reference server of the
# benchmarks (bench/reference), each from its committed lockfile.
for dir in tests/interop/node bench/reference; do
    if [[ -f "$dir/package-lock.json" ]]; then
        if [[ ! -d "$dir/node_modules" || "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]]; then
            (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
        fi
    fi
done

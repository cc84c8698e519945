#!/usr/bin/env bash
# Installs what is missing, builds, and starts the Roomcast desktop app. With no arguments it
# hosts a room at once (the embedded chat server: nothing else needs to run); arguments go to
# the app (a join link, --locale fr, …).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh
if (($# == 0)); then
    set -- --host
fi
exec build/app/roomcast "$@"

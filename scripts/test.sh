#!/usr/bin/env bash
# Sets up what is missing (Xvfb, Mesa's software Vulkan driver), then runs every test, the real-window
# screenshot tests included. Extra arguments go to cargo test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-debian.sh test
# Bevy wants a private runtime folder; a headless machine often has none.
if [ -z "${XDG_RUNTIME_DIR:-}" ] || [ ! -w "${XDG_RUNTIME_DIR}" ]; then
  XDG_RUNTIME_DIR="$(mktemp -d)"
  chmod 700 "$XDG_RUNTIME_DIR"
  export XDG_RUNTIME_DIR
fi
# Window tests each start the program; run them one at a time so they do not fight over two cores.
exec cargo test "$@" -- --test-threads=1

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
cargo test "$@" -- --test-threads=1
# The web page: built for wasm32 (scripts/web.sh installs its tools when missing), then opened in headless
# Chromium. Only the whole suite runs it: arguments choose among cargo's tests.
if [ "$#" -gt 0 ]; then
  echo "downhill: the web page's browser test was not run: arguments chose among cargo's tests" >&2
  exit 0
fi
site="$(scripts/web.sh build | tail -n 1)"
python3 tests/browser/check.py "$site" --shots "${CARGO_TARGET_DIR:-target}/screenshots/web"

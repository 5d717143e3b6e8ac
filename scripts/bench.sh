#!/usr/bin/env bash
# Measures downhill against the engine's floor: runs `downhill bench` for the full scene and the empty one
# at 1280x720 (under Xvfb when there is no display), prints both JSON lines and the full/empty ratios.
# Extra arguments go to both runs, e.g. scripts/bench.sh --frames 1200.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-debian.sh test
cargo build --quiet
binary="${CARGO_TARGET_DIR:-target}/debug/downhill"
if [ -z "${XDG_RUNTIME_DIR:-}" ] || [ ! -w "${XDG_RUNTIME_DIR}" ]; then
  XDG_RUNTIME_DIR="$(mktemp -d)"
  chmod 700 "$XDG_RUNTIME_DIR"
  export XDG_RUNTIME_DIR
fi
run() {
  if [ -n "${DISPLAY:-}" ]; then
    "$binary" bench --scene "$1" --size 1280x720 "${@:2}" 2>/dev/null
  else
    xvfb-run -a -s "-screen 0 1280x720x24" "$binary" bench --scene "$1" --size 1280x720 "${@:2}" 2>/dev/null
  fi
}
empty=$(run empty "$@")
full=$(run full "$@")
echo "$empty"
echo "$full"
field() { sed -E "s/.*\"$2\":([0-9.eE+-]+).*/\1/" <<<"$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "full/empty p50 frame time: $(ratio "$(field "$full" p50)" "$(field "$empty" p50)")"
echo "full/empty peak RSS:       $(ratio "$(field "$full" peak_rss_mb)" "$(field "$empty" peak_rss_mb)")"
echo "our systems per frame:     $(field "$full" systems_ms_per_frame) ms (full), $(field "$empty" systems_ms_per_frame) ms (empty)"
echo "first frame:               $(field "$full" first_frame_ms) ms (full), $(field "$empty" first_frame_ms) ms (empty)"

#!/usr/bin/env bash
# Measures downhill against the engine's floor: runs `downhill bench` for the full scene and the empty one
# at 1280x720 (under Xvfb when there is no display), prints both JSON lines and the full/empty ratios.
# Extra arguments go to every run, e.g. scripts/bench.sh --frames 1200; BENCH_RUNS=5 runs each scene five
# times (default 3) and compares the medians.
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
# Software rendering on a shared machine is noisy: run the scenes in turn several times and compare medians.
runs="${BENCH_RUNS:-3}"
empties=()
fulls=()
for _ in $(seq "$runs"); do
  empties+=("$(run empty "$@")")
  fulls+=("$(run full "$@")")
done
printf '%s\n' "${empties[@]}" "${fulls[@]}"
field() { sed -E "s/.*\"$2\":([0-9.eE+-]+).*/\1/" <<<"$1"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
medians() { local key="$1"; shift; for line in "$@"; do field "$line" "$key"; done | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
empty_p50=$(medians p50 "${empties[@]}")
full_p50=$(medians p50 "${fulls[@]}")
echo "median p50 frame time over $runs runs: ${empty_p50} ms (empty), ${full_p50} ms (full)"
echo "full/empty p50 frame time: $(ratio "$full_p50" "$empty_p50")"
echo "full/empty peak RSS:       $(ratio "$(medians peak_rss_mb "${fulls[@]}")" "$(medians peak_rss_mb "${empties[@]}")")"
echo "our systems per frame:     $(medians systems_ms_per_frame "${fulls[@]}") ms (full), $(medians systems_ms_per_frame "${empties[@]}") ms (empty: the engine work between the timing marks)"
echo "first frame:               $(medians first_frame_ms "${fulls[@]}") ms (full), $(medians first_frame_ms "${empties[@]}") ms (empty)"

#!/usr/bin/env bash
# downhill on a web page: WebAssembly and WebGL2, a plain folder of static files.
#   scripts/web.sh build   builds the site; its last line is the folder that holds it (index.html and all)
#   scripts/web.sh         builds it, then serves it on http://127.0.0.1:${PORT:-8080} until Ctrl+C
# Installs what is missing first: the wasm32-unknown-unknown target (rustup), wasm-bindgen-cli at the
# version in Cargo.lock (cargo install), and binaryen's wasm-opt (Debian's when new enough, else npm's).
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir="${CARGO_TARGET_DIR:-$PWD/target}"
mode="${1:-serve}"
case "$mode" in
  build | serve) ;;
  *)
    echo "downhill: scripts/web.sh: unknown command '$mode'; use 'scripts/web.sh build' or 'scripts/web.sh'" >&2
    exit 2
    ;;
esac

say() { echo "downhill: $*" >&2; }

if ! command -v cargo >/dev/null 2>&1; then
  say "cargo was not found; install Rust 1.95 or newer with rustup, then run this again"
  exit 1
fi
if ! command -v rustup >/dev/null 2>&1; then
  say "rustup was not found; the web page needs the wasm32-unknown-unknown target, which rustup installs"
  exit 1
fi
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the Rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown >&2
fi

# wasm-bindgen-cli must be exactly the version of the wasm-bindgen crate the build links.
bindgen_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
if [ -z "$bindgen_version" ]; then
  say "Cargo.lock names no wasm-bindgen version; run 'cargo generate-lockfile' and try again"
  exit 1
fi
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $bindgen_version"; then
  say "installing wasm-bindgen-cli $bindgen_version (a few minutes, once)"
  # Not --locked: one of the dependencies its own lock file names is no longer in the registry.
  cargo install --quiet wasm-bindgen-cli --version "$bindgen_version" >&2
fi

# wasm-opt makes the download smaller. It must know reference types as wasm-bindgen now writes them: Debian
# bookworm's binaryen 108 does not (its output stops at start with "WebAssembly.Table.set(): Argument 1 is
# invalid for table"), so one older than the version tested here (older ones also lack flags used below) is passed
# over for the npm registry's binaryen, kept in the target folder.
binaryen_version=132
wasm_opt=""
if command -v wasm-opt >/dev/null 2>&1 &&
  [ "$(wasm-opt --version | sed -n 's/^wasm-opt version \([0-9]*\).*/\1/p')" -ge "$binaryen_version" ] 2>/dev/null; then
  wasm_opt="wasm-opt"
else
  tools="$target_dir/web-tools"
  if ! "$tools/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version $binaryen_version"; then
    if ! command -v npm >/dev/null 2>&1; then
      if ! command -v apt-get >/dev/null 2>&1; then
        say "npm is missing and there is no apt-get to install it; install Node.js and npm, then run this again"
        exit 1
      fi
      sudo=""
      if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
      say "installing Node.js and npm (for binaryen's wasm-opt)"
      $sudo apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
    fi
    say "installing binaryen $binaryen_version (wasm-opt) from the npm registry into $tools"
    mkdir -p "$tools"
    npm install --silent --no-audit --no-fund --prefix "$tools" "binaryen@$binaryen_version" >&2
  fi
  wasm_opt="$tools/node_modules/.bin/wasm-opt"
fi

say "building the web page (the first build takes a while: Bevy, for a new target, with link-time optimisation)"
cargo build --profile web --target wasm32-unknown-unknown --bin downhill >&2

site="$target_dir/site"
rm -rf "$site"
mkdir -p "$site"
wasm-bindgen --target web --no-typescript --out-dir "$site" --out-name downhill \
  "$target_dir/wasm32-unknown-unknown/web/downhill.wasm"
# -Oz: the smallest download (measured on this build, -Os gave 5.55 MiB gzipped, -Oz 5.52; both about 8 min).
# The features Rust 1.95 compiles wasm32-unknown-unknown with, and no others: with --all-features binaryen 132
# writes compact imports, which no browser reads yet ("Invalid import kind 127").
features=(--enable-bulk-memory --enable-bulk-memory-opt --enable-call-indirect-overlong --enable-multivalue
  --enable-mutable-globals --enable-nontrapping-float-to-int --enable-reference-types --enable-sign-ext)
"$wasm_opt" -Oz "${features[@]}" --strip-debug --strip-producers "$site/downhill_bg.wasm" \
  -o "$site/downhill_bg.opt.wasm"
mv "$site/downhill_bg.opt.wasm" "$site/downhill_bg.wasm"
cp assets/web/index.html "$site/"
bytes="$(stat -c %s "$site/downhill_bg.wasm")"
gzipped="$(gzip -9 -c "$site/downhill_bg.wasm" | wc -c)"
say "$(awk -v b="$bytes" -v g="$gzipped" 'BEGIN { printf "downhill_bg.wasm: %.1f MiB, %.2f MiB gzipped", b / 1048576, g / 1048576 }')"

if [ "$mode" = build ]; then
  echo "$site"
  exit 0
fi
port="${PORT:-8080}"
say "serving $site on http://127.0.0.1:$port (Ctrl+C stops it)"
exec python3 -m http.server --bind 127.0.0.1 --directory "$site" "$port"

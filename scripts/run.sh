#!/usr/bin/env bash
# Sets up what is missing, builds downhill and opens its window. Extra arguments go to downhill.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-debian.sh run
exec cargo run --quiet -- "$@"

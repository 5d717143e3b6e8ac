#!/usr/bin/env bash
# Installs, on Debian or Ubuntu, the system packages downhill needs and that are missing.
#   scripts/setup-debian.sh run    what the window needs: a Vulkan driver (Mesa's, which also works without a GPU)
#   scripts/setup-debian.sh test   that, plus Xvfb, xdotool, openbox and wmctrl so the window tests run without a
#                                  display (openbox is the window manager whose close and Alt+F4 the exhibit ignores),
#                                  and Chromium, ChromeDriver, tesseract and ImageMagick for the web page's test
set -euo pipefail

want=(libvulkan1 mesa-vulkan-drivers libx11-6 libxcursor1 libxrandr2 libxi6 libxkbcommon-x11-0)
if [ "${1:-run}" = test ]; then
  want+=(xvfb xauth xdotool openbox wmctrl chromium chromium-driver tesseract-ocr imagemagick)
fi

missing=()
for package in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ! command -v cargo >/dev/null 2>&1; then
  echo "downhill: cargo was not found; install Rust 1.95 or newer with rustup, then run this again" >&2
  exit 1
fi

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "downhill: missing system packages (${missing[*]}) and no apt-get to install them; install them by hand" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "downhill: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

#!/usr/bin/env bash
# Installs Debian's Chromium for the browser test (test/server/webChat.browser.test.ts) when it is
# missing. playwright-core never downloads a browser; the test drives CHROME_PATH or /usr/bin/chromium.
set -euo pipefail

chrome="${CHROME_PATH:-/usr/bin/chromium}"
if [ -x "$chrome" ]; then
  echo "chromium: $("$chrome" --version 2>/dev/null || echo "$chrome")"
  exit 0
fi
if [ -n "${CHROME_PATH:-}" ]; then
  echo "CHROME_PATH=$CHROME_PATH is not an executable" >&2
  exit 1
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "chromium is missing and installing it needs root (apt-get install chromium)" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq chromium >/dev/null
echo "chromium: $(/usr/bin/chromium --version)"

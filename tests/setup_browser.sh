#!/bin/sh
# Install Debian's Chromium for the browser tests (pytest -m browser) when it is missing.
# Idempotent: does nothing when `chromium` is already on PATH. Needs root (CI image).
set -eu
if command -v chromium >/dev/null 2>&1; then
    echo "chromium: $(command -v chromium)"
    exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends chromium
command -v chromium

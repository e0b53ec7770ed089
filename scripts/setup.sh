#!/usr/bin/env bash
# Idempotent set-up for gdviz: Debian system libraries, then the .venv.
# Quick when everything is already there (one dpkg query and one stamp check).
# Usage: scripts/setup.sh [--test]   (--test adds what only the tests need: Debian's chromium,
# which the gallery test drives headless)
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  libcairo2-dev libpango1.0-dev pkg-config
  texlive-latex-base texlive-latex-extra texlive-fonts-recommended dvisvgm cm-super-minimal
  fonts-noto-cjk fontconfig
)
for arg in "$@"; do
  case "$arg" in
    --test) APT_PACKAGES+=(chromium) ;;
    *) echo "usage: $0 [--test]" >&2; exit 2 ;;
  esac
done
PYTHON=${PYTHON:-python3}
VENV=.venv
STAMP="$VENV/.gdviz-installed"

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done

# A stock Debian python3 lacks venv/ensurepip and the headers that pycairo and manimpango
# compile against; an image with its own Python (pyenv, python.org) may have them already.
if ! command -v "$PYTHON" >/dev/null 2>&1; then
  missing+=(python3 python3-venv python3-dev)
else
  "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
  "$PYTHON" -c 'import os, sysconfig, sys
sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
    || missing+=(python3-dev)
fi
command -v gcc >/dev/null 2>&1 || missing+=(build-essential)

if ((${#missing[@]})); then
  line="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then
    echo "gdviz set-up: these system packages are missing: ${missing[*]}" >&2
    echo "Install them as root, then run this again:" >&2
    echo "  sudo sh -c '$line && fc-cache -f'" >&2
    exit 1
  fi
  echo "gdviz set-up: installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
  fc-cache -f >/dev/null
fi

# Re-install the venv when pyproject.toml changes (the stamp keeps its hash).
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [[ ! -x "$VENV/bin/python" ]]; then
  echo "gdviz set-up: creating $VENV"
  "$PYTHON" -m venv "$VENV"
fi
if [[ ! -f "$STAMP" || "$(cat "$STAMP")" != "$want" ]]; then
  echo "gdviz set-up: installing the project into $VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet -e ".[dev]"
  echo "$want" > "$STAMP"
fi

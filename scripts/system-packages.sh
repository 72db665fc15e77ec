#!/usr/bin/env bash
# The Debian packages the app needs beyond Python: WeasyPrint's Pango (the board paper's PDF) and fonts it can
# embed (Liberation Sans is metric-compatible with Arial, the paper's font). Installs what is missing when run as
# root (CI, a container); otherwise says the one command to run. `make setup` and `.ci/run` call it.
set -euo pipefail

packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
((${#missing[@]})) || exit 0
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
else
  echo "The board paper's PDF needs these Debian packages: sudo apt-get install -y ${missing[*]}" >&2
fi

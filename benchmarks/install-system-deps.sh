#!/usr/bin/env bash
# Debian/Ubuntu packages that make bench needs beyond the test ones: Pango and its friends for
# WeasyPrint, the HTML-to-PDF peer of the letters figure. As root: installs what is missing;
# otherwise names it and exits 1. Nothing is fetched when everything is there.
set -euo pipefail

packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1)

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "benchmarks: not a Debian-based system; install the equivalents of:" \
         "${packages[*]}" >&2
    exit 1
fi
missing=()
for pkg in "${packages[@]}"; do
    status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)"
    [[ "$status" == "installed" ]] || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0
if [[ "$(id -u)" -ne 0 ]]; then
    echo "benchmarks: missing Debian packages: ${missing[*]}; install them with:" \
         "sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
echo "benchmarks: installing ${missing[*]}"
if compgen -G '/var/lib/apt/lists/*_Packages' >/dev/null \
        && apt-get install -y -q --no-install-recommends "${missing[@]}"; then
    exit 0
fi
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"

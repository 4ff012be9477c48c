#!/usr/bin/env bash
# Debian/Ubuntu packages the test suite needs beyond the Python ones in .venv.
#
#   scripts/install-system-deps.sh          # as root: installs what is missing
#                                           # otherwise: names what is missing, exits 1
#   scripts/install-system-deps.sh --list   # print the package list
#
# Nothing is fetched when everything is already installed.
set -euo pipefail

packages=(
    postgresql          # server for the PostgreSQL tests (initdb, pg_ctl)
    poppler-utils       # pdftoppm: PDF pages to images in the document tests
    zbar-tools          # zbarimg: the printed SEPA QR codes read back
    gnome-keyring       # Secret Service for the keyring tests
    dbus                # dbus-run-session: a private session bus for the keyring
    dbus-user-session   # the session bus gnome-keyring depends on
    libsecret-tools     # secret-tool, to inspect the keyring by hand
    desktop-file-utils  # desktop-file-validate for the .desktop file
    binutils            # objdump: PyInstaller reads the libraries it bundles (make package)
    libxcb-cursor0      # X11 libraries Qt's xcb plugin needs that the PySide6 wheels lack;
    libxcb-icccm4       #   make package puts them in the bundle
    libxcb-keysyms1
    # Qt (PySide6 wheels) on the offscreen platform: libraries the wheels do not carry.
    libegl1
    libgl1
    libx11-6
    libxkbcommon0
    libfontconfig1
    fonts-dejavu-core   # Qt ships no fonts and cannot draw text without one
    libdbus-1-3
    libglib2.0-0
)

if [[ "${1:-}" == "--list" ]]; then
    printf '%s\n' "${packages[@]}"
    exit 0
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "install-system-deps: not a Debian-based system; install the equivalents of:" \
         "${packages[*]}" >&2
    exit 1
fi

# A Debian python3 makes venvs only with its -venv package (ensurepip).
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    packages+=(python3-venv)
fi

missing=()
for pkg in "${packages[@]}"; do
    status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)"
    [[ "$status" == "installed" ]] || missing+=("$pkg")
done

if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
    echo "install-system-deps: missing Debian packages: ${missing[*]}; install them with:" \
         "sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "install-system-deps: installing ${missing[*]}"
# Refresh the package lists only when there are none yet or an install cannot find a package.
apt_install() {
    apt-get install -y -q --no-install-recommends "${missing[@]}"
}
if compgen -G '/var/lib/apt/lists/*_Packages' >/dev/null && apt_install; then
    exit 0
fi
apt-get update -q
apt_install

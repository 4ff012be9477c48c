#!/usr/bin/env bash
# Debian/Ubuntu packages PaidUp needs beyond the Python ones in .venv.
#
#   scripts/install-system-deps.sh                 # the window's and the tests' (make test)
#   scripts/install-system-deps.sh --window         # the window's only (make run)
#   scripts/install-system-deps.sh [--window] --list  # print the package list
#
# As root it installs what is missing; otherwise it names what is missing and the one
# command that installs it, and exits 1.
#
# Nothing is fetched when everything is already installed.
set -euo pipefail

# What the window needs: the packages of the libraries that the Qt libraries and plugins of
# the PySide6 wheels link against directly (readelf NEEDED), for X11 and Wayland, GL,
# printing (CUPS) and fonts; apt brings their own dependencies.
# tests/packaging/test_window_libraries.py derives this from the installed wheels and fails
# when a library is missing here.
window_packages=(
    libc6 libstdc++6 libgcc-s1 zlib1g libzstd1 libbrotli1 libglib2.0-0 libdbus-1-3
    libgssapi-krb5-2
    libfontconfig1 libfreetype6
    fonts-dejavu-core   # Qt ships no fonts and cannot draw text without one
    libegl1 libgl1
    libx11-6 libx11-xcb1 libxcb1 libxkbcommon0 libxkbcommon-x11-0
    libxcb-cursor0 libxcb-glx0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
    libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1
    libxcb-xfixes0 libxcb-xkb1
    libwayland-client0 libwayland-cursor0 libwayland-egl1
    libcups2            # the print dialog lists the printers through CUPS
)

# What the tests need besides the window's.
test_packages=(
    postgresql          # server for the PostgreSQL tests (initdb, pg_ctl)
    poppler-utils       # pdftoppm: PDF pages to images in the document tests
    zbar-tools          # zbarimg: the printed SEPA QR codes read back
    gnome-keyring       # Secret Service for the keyring tests
    dbus                # dbus-run-session: a private session bus for the keyring
    dbus-user-session   # the session bus gnome-keyring depends on
    libsecret-tools     # secret-tool, to inspect the keyring by hand
    desktop-file-utils  # desktop-file-validate for the .desktop file
    binutils            # objdump and readelf: the bundle's and the window's libraries
    faketime            # the suite again with the system date moved (scripts/run-tests.sh)
    stress-ng           # both cores busy for the window tests under load (make stress)
)

packages=("${window_packages[@]}")
if [[ "${1:-}" == "--window" ]]; then
    shift
else
    packages+=("${test_packages[@]}")
fi

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

#!/usr/bin/env bash
# Run a command inside a private D-Bus session with a fresh, unlocked GNOME keyring,
# so `keyring` (Secret Service backend) works headless: in CI, in containers, as root.
#
#   scripts/with-keyring.sh COMMAND [ARG...]
#   scripts/with-keyring.sh .venv/bin/python -c 'import keyring; print(keyring.get_keyring())'
#
# The keyring lives in a temporary folder (XDG_DATA_HOME, XDG_RUNTIME_DIR point there)
# and is deleted afterwards; your own keyrings are never opened. The exit status is the
# command's. Needs: dbus-run-session (dbus), gnome-keyring-daemon (gnome-keyring).
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 COMMAND [ARG...]" >&2
    exit 2
fi

if [[ "${PAIDUP_KEYRING_STAGE:-}" != "inside" ]]; then
    missing=()
    for tool in dbus-run-session gnome-keyring-daemon; do
        command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
    done
    if [[ ${#missing[@]} -gt 0 ]]; then
        echo "error: ${missing[*]} not found; install the Debian packages: dbus gnome-keyring" \
             "(or run: make deps)" >&2
        exit 127
    fi

    scratch="$(mktemp -d "${TMPDIR:-/tmp}/paidup-keyring.XXXXXX")"
    trap 'rm -rf "$scratch"' EXIT
    mkdir -m 700 "$scratch/runtime" "$scratch/data"

    # The session daemons' chatter goes to a log (shown only if the session itself fails);
    # the command keeps this terminal's stderr through fd 3.
    status=0
    XDG_RUNTIME_DIR="$scratch/runtime" XDG_DATA_HOME="$scratch/data" \
        PAIDUP_KEYRING_STAGE=inside PAIDUP_KEYRING_LOG="$scratch/session.log" \
        dbus-run-session -- "$0" "$@" 3>&2 2>>"$scratch/session.log" || status=$?
    if [[ ! -f "$scratch/started" || -f "$scratch/failed" ]]; then
        echo "--- D-Bus / keyring session log ---" >&2
        cat "$scratch/session.log" >&2
    fi
    exit "$status"
fi

# Inside the private session bus.
exec 2>&3 3>&-
unset PAIDUP_KEYRING_STAGE
log="$PAIDUP_KEYRING_LOG"
unset PAIDUP_KEYRING_LOG
touch "$(dirname "$log")/started"

# --unlock reads the password from stdin; with no login keyring yet it creates one with
# that password, unlocked. An empty password would leave no usable default collection.
if ! env_lines="$(printf 'paidup-test' \
        | gnome-keyring-daemon --unlock --components=secrets 2>>"$log")"; then
    touch "$(dirname "$log")/failed"
    echo "error: gnome-keyring-daemon --unlock failed" >&2
    exit 1
fi
# --start makes the daemon just started claim org.freedesktop.secrets on this bus.
env_lines+=$'\n'"$(gnome-keyring-daemon --start --components=secrets 2>>"$log")" || true
while IFS='=' read -r name value; do
    case "$name" in
        GNOME_KEYRING_CONTROL | SSH_AUTH_SOCK | GPG_AGENT_INFO) export "$name=$value" ;;
    esac
done <<<"$env_lines"

exec "$@"

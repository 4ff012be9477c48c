#!/usr/bin/env bash
# Re-render the README's pictures of the window (docs/images/window-*.png, 1280 x 800) from
# the demo book with a realistic morning on Today (scripts/demo_day.py).
#
#   scripts/render-screenshots.sh [YYYY-MM-DD]     # the day shown (default 2026-11-23)
#
# The book lives where a user's would: in the default data folder of a throwaway home, so
# that the status line shows ~/.local/share/PaidUp/... and nothing of this computer.
set -euo pipefail
cd "$(dirname "$0")/.."
as_of="${1:-2026-11-23}"
repo="$PWD"
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
export HOME="$home" QT_QPA_PLATFORM=offscreen
unset PAIDUP_DB PAIDUP_DATA_DIR PAIDUP_CONFIG_DIR PAIDUP_LOG_DIR PAIDUP_BACKUP_DIR \
    XDG_DATA_HOME XDG_CONFIG_HOME XDG_STATE_HOME XDG_CACHE_HOME
cd "$home"
PYTHONPATH="$repo" "$repo/.venv/bin/python" -m scripts.demo_day --as-of "$as_of"
for page in today customers invoices payments reports settings; do
    "$repo/.venv/bin/paidup" --as-of "$as_of" --page "$page" \
        --screenshot "$repo/docs/images/window-$page.png" 2> >(grep -v propagateSizeHints >&2)
    echo "docs/images/window-$page.png"
done

#!/usr/bin/env bash
# The window tests three times in a row while stress-ng keeps both cores busy: a test that
# races the window (clicks before an action is enabled again, reads a status before its
# query landed) fails here rather than on a slow morning.
#
#   scripts/stress-window-tests.sh [PYTEST_ARG...]
set -uo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"

stress-ng --cpu "$(nproc)" --timeout 0 --quiet &
stressor=$!
trap 'kill "$stressor" 2>/dev/null; wait "$stressor" 2>/dev/null' EXIT

failed=0
for run in 1 2 3; do
    echo "==> window tests under load, run ${run} of 3"
    .venv/bin/python -m pytest -q -p no:cacheprovider -m "not postgres" tests/ui "$@" \
        || failed=$((failed + 1))
done
if [[ $failed -gt 0 ]]; then
    echo "stress: ${failed} of 3 runs failed" >&2
    exit 1
fi
echo "stress: 3 of 3 runs passed"

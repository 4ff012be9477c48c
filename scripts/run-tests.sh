#!/usr/bin/env bash
# The whole test suite, in tiers; exits non-zero if any tier fails.
#
#   scripts/run-tests.sh [PYTEST_ARG...]     # e.g. -x, -k invoice; passed to every tier
#
# Tiers (each its own pytest run; "no tests collected" is fine for the keyring tier, and for
# the others when arguments narrow the selection):
#   keyring  tests marked `keyring`, inside a private D-Bus session with an unlocked
#            GNOME keyring (scripts/with-keyring.sh)
#   bundle   tests marked `bundle`: builds the desktop bundle as `make package` does (3 to 5
#            minutes on two cores), installs it and runs it; PAIDUP_SKIP_BUNDLE=1 skips it
#   faketime the domain, services, command-line and window tests again (on SQLite) with
#            the system date moved by Debian's libfaketime to one of FAKE_DAYS (each test
#            to one of them), so that a test or a rule leaning on the real date fails here
#            and not on some later morning; PAIDUP_SKIP_FAKETIME=1 skips it
#   main     everything else, with offscreen Qt; runs last, so the output ends with its
#            pytest summary line
# One throwaway PostgreSQL server serves the whole run; its URL is exported as
# PAIDUP_TEST_PG_URL (set that yourself to use another server). PAIDUP_SKIP_PG=1 skips
# the PostgreSQL tests when PostgreSQL is not installed; otherwise they fail.
set -uo pipefail
cd "$(dirname "$0")/.."

py=.venv/bin/python
if [[ ! -x "$py" ]]; then
    echo "run-tests: $py not found; run: make venv" >&2
    exit 2
fi
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"

stop_postgres() {
    if [[ -n "${PAIDUP_TEST_PG_DATA:-}" ]]; then
        "$py" -m tests.support.postgres stop || true
        unset PAIDUP_TEST_PG_DATA
    fi
}
trap stop_postgres EXIT
trap 'stop_postgres; exit 130' INT TERM

if [[ -z "${PAIDUP_TEST_PG_URL:-}" ]]; then
    if exports="$("$py" -m tests.support.postgres start)"; then
        eval "$exports"
    else
        echo "run-tests: no PostgreSQL server for this run; the postgres tests will say why" >&2
    fi
fi

failed=()
run_tier() {  # NAME EMPTY_OK COMMAND...
    local name="$1" empty_ok="$2" rc=0
    shift 2
    "$@" || rc=$?
    if [[ $rc -eq 5 && "$empty_ok" == yes ]]; then
        echo "run-tests: $name tier: no tests collected"
        rc=0
    fi
    if [[ $rc -ne 0 ]]; then
        failed+=("$name (pytest exit $rc)")
    fi
}

# The main and bundle tiers must run tests, unless the caller narrowed the selection.
main_empty_ok=no
[[ $# -gt 0 ]] && main_empty_ok=yes

echo "==> keyring tier: pytest -m keyring, in a private D-Bus session with GNOME keyring"
run_tier keyring yes scripts/with-keyring.sh "$py" -m pytest -m keyring "$@"

echo
if [[ "${PAIDUP_SKIP_BUNDLE:-}" == "1" ]]; then
    echo "==> bundle tier: skipped (PAIDUP_SKIP_BUNDLE=1)"
else
    echo "==> bundle tier: pytest -m bundle, the desktop bundle built, installed and started"
    run_tier bundle "$main_empty_ok" "$py" -m pytest -m bundle "$@"
fi

echo
# Far apart and awkward: a leap day, and a New Year's Eve evening (the UTC date differs from
# the local one in much of the world).
FAKE_DAYS=("2028-02-29 09:00:00" "2030-12-31 21:00:00")
if [[ "${PAIDUP_SKIP_FAKETIME:-}" == "1" ]]; then
    echo "==> faketime tier: skipped (PAIDUP_SKIP_FAKETIME=1)"
elif ! command -v faketime >/dev/null 2>&1; then
    echo "run-tests: faketime is not installed (make deps installs it)" >&2
    failed+=("faketime (not installed)")
else
    # Each test runs on one of the days (PAIDUP_TEST_SHARD, by its id): both days together
    # cover every test once, in the time of one pass. They run one after the other: side
    # by side on two cores they took as long and slowed each other's window tests. The
    # monotonic clock stays real (a faked one hangs timed waits); see
    # tests/support/faketime/sitecustomize.py for the one adjustment that needs. The
    # window's words and sizes (languages, layout, untranslated texts) read no clock and
    # run in the main tier only.
    for i in "${!FAKE_DAYS[@]}"; do
        echo "==> faketime tier: part $((i + 1)) of ${#FAKE_DAYS[@]} of the domain, services, CLI and window tests on ${FAKE_DAYS[$i]}"
        run_tier "faketime ${FAKE_DAYS[$i]}" "$main_empty_ok" \
            env PYTHONPATH=tests/support/faketime FAKETIME_DONT_FAKE_MONOTONIC=1 \
            PAIDUP_TEST_SHARD="$i/${#FAKE_DAYS[@]}" \
            faketime "${FAKE_DAYS[$i]}" "$py" -m pytest -m "not keyring and not bundle and not postgres" \
            tests/domain tests/services tests/cli tests/ui tests/test_one_clock.py \
            --ignore=tests/ui/test_languages_ui.py --ignore=tests/ui/test_layout.py \
            --ignore=tests/ui/test_untranslated.py "$@"
        echo
    done
fi

echo "==> main tier: pytest -m 'not keyring and not bundle', Qt offscreen, PostgreSQL at ${PAIDUP_TEST_PG_URL:-(none)}"
run_tier main "$main_empty_ok" "$py" -m pytest -m "not keyring and not bundle" "$@"

if [[ ${#failed[@]} -gt 0 ]]; then
    echo "run-tests: FAILED: ${failed[*]}" >&2
    exit 1
fi

"""No retainer period is invoiced twice: two PaidUps running at once, or a run that dies
half-way, leave each period with one invoice."""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from desktop_app.services import invoices, retainers
from desktop_app.services.books import Books

ROOT = Path(__file__).resolve().parents[2]
RUN = "import sys; from desktop_app.cli import main; sys.exit(main(sys.argv[1:]))"


def add_three(books: Books) -> None:
    books.today = lambda: date(2026, 1, 1)
    for price in ("100.00", "200.00", "300.00"):
        retainers.add_retainer(books, retainers.RetainerInput(
            customer_id=1, lines=[f"Support|1|{price}|19"], start=date(2026, 1, 1)))


@pytest.mark.skipif(
    "FAKETIME" in os.environ,
    reason="two processes writing one SQLite book under libfaketime met a disk I/O error once "
           "(SQLITE_IOERR); the test runs in the main tier on the real clock")
def test_two_processes_running_the_day_at_once_issue_each_period_once(ready):
    add_three(ready)
    target = ready.db.url.render_as_string(hide_password=False) if not ready.db.is_sqlite \
        else str(ready.db.url.database)
    procs = [subprocess.Popen([sys.executable, "-c", RUN, "--db", target, "--as-of",
                               "2026-03-10", "followup", "run"], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    for proc in procs:
        _, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
    ready.today = lambda: date(2026, 3, 10)
    periods = [(r.id, p.period_start) for r in retainers.list_retainers(ready)
               for p in r.invoiced]
    assert len(periods) == 9 == len(set(periods))
    assert len(invoices.list_invoices(ready)) == 9


def test_a_run_that_dies_half_way_keeps_nothing_and_the_next_issues_once(ready, monkeypatch):
    add_three(ready)
    real = invoices.issue_invoice
    calls = []

    def dies_on_the_fifth(*args, **kw):
        calls.append(1)
        if len(calls) == 5:
            raise RuntimeError("power cut")
        return real(*args, **kw)

    monkeypatch.setattr(invoices, "issue_invoice", dies_on_the_fifth)
    ready.today = lambda: date(2026, 3, 10)
    with pytest.raises(RuntimeError):
        retainers.issue_due(ready, date(2026, 3, 10))
    assert invoices.list_invoices(ready) == []  # no draft, no number, no period taken
    monkeypatch.setattr(invoices, "issue_invoice", real)
    assert len(retainers.issue_due(ready, date(2026, 3, 10)).issued) == 9
    assert retainers.issue_due(ready, date(2026, 3, 10)).issued == ()
    numbers = sorted(r.number for r in invoices.list_invoices(ready))
    assert numbers == [f"INV-2026-{n:04d}" for n in range(1, 10)]  # gapless

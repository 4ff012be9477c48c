"""One clock: business code reads the books' day, never the computer's."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

from desktop_app.services import invoices
from tests.support.books import draft

ROOT = Path(__file__).resolve().parent.parent
RUFF = Path(sys.executable).parent / "ruff"  # installed with the test extras

READS_THE_CLOCK = """\
from datetime import date, datetime

def due_from(days):
    return date.today(), datetime.now()
"""


def _ruff(as_file: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(RUFF), "check", "--select", "TID251", "--output-format", "concise",
         "--stdin-filename", as_file, "-"],
        input=READS_THE_CLOCK, capture_output=True, text=True, cwd=ROOT, check=False)


def test_lint_refuses_the_system_clock_outside_the_clock_module() -> None:
    flagged = _ruff("desktop_app/services/anything.py")
    assert flagged.returncode == 1
    assert "`datetime.date.today` is banned" in flagged.stdout
    assert "`datetime.datetime.now` is banned" in flagged.stdout
    assert _ruff("desktop_app/clock.py").returncode == 0


def test_a_drafts_preview_follows_the_books_day(ready) -> None:
    ready.today = lambda: date(2031, 3, 3)
    shown = invoices.show_invoice(ready, draft(ready, "Build|1|1000", schedule="50/50"))
    assert [i.due_date for i in shown.installments] == [date(2031, 3, 3), date(2031, 4, 2)]

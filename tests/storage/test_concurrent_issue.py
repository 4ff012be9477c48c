"""Two writers issuing at the same time still get one unbroken series of numbers."""

import subprocess
import sys
from pathlib import Path

from desktop_app.services import invoices
from tests.support.books import draft

ROOT = Path(__file__).resolve().parents[2]


def test_two_processes_issue_consecutive_unique_numbers(ready):
    ids = [draft(ready, f"Work {i}|1|10") for i in range(40)]
    target = str(ready.db.url.render_as_string(hide_password=False)) if not ready.db.is_sqlite \
        else str(ready.db.url.database)
    halves = [",".join(map(str, ids[0::2])), ",".join(map(str, ids[1::2]))]
    procs = [subprocess.Popen([sys.executable, "-m", "tests.storage.issue_worker", target, h],
                              cwd=ROOT, stderr=subprocess.PIPE, text=True) for h in halves]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    numbers = sorted(r.number for r in invoices.list_invoices(ready) if r.number)
    assert numbers == [f"INV-2026-{n:04d}" for n in range(1, 41)]

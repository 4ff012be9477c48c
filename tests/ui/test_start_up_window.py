"""The window starts with what its first page needs: the other pages are built, and their
modules, the dialogs, the PDF and Microsoft sign-in libraries loaded, when first used."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from desktop_app.ui.main_window import PAGES

ROOT = Path(__file__).resolve().parents[2]
NOT_AT_START = ("reportlab", "pypdf", "alembic", "msal", "segno",
                "desktop_app.ui.pages.today", "desktop_app.ui.pages.customers",
                "desktop_app.ui.pages.payments", "desktop_app.ui.pages.reports",
                "desktop_app.ui.pages.settings", "desktop_app.ui.dialogs.outbox",
                "desktop_app.ui.dialogs.first_run", "desktop_app.ui.dialogs.pdf_preview",
                "desktop_app.ui.diagnose")
PROBE = """
import json, sys
from desktop_app.ui.app import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "loaded": sorted(sys.modules)}), file=sys.stderr)
"""


def test_the_invoices_page_shows_without_what_it_does_not_use(ready_books, tmp_path):
    ready_books.close()
    picture = tmp_path / "invoices.png"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "--db", str(ready_books.location), "--screenshot",
         str(picture), "--page", "invoices"], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, timeout=120, check=False)
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report["code"] == 0
    assert picture.stat().st_size > 10_000
    loaded = set(report["loaded"])
    assert "desktop_app.ui.pages.invoices" in loaded
    assert not {name for name in NOT_AT_START
                if name in loaded or any(m.startswith(name + ".") for m in loaded)}


def test_a_page_is_built_on_its_first_visit(open_window, ready_books):
    window = open_window(ready_books)
    assert [page.key for page in window.pages.built()] == ["invoices"]
    window.go("reports")
    assert window.current_page().key == "reports"
    assert window.stack.currentWidget() is window.pages["reports"]
    assert {page.key for page in window.pages.built()} == {"invoices", "reports"}
    assert [window.pages[key].key for key in PAGES] == list(PAGES)  # each builds its own

"""Search as you type on the Invoices page of the big book, in a real window offscreen:
python -m benchmarks.window_search BOOK RUNS -> JSON on standard output.

The clock starts at the key that sends the search (Return; while typing, the field waits
for a 250 ms pause first, by design, and then the same work follows) and stops when the
list shows the found rows, repainted: ids counted, the visible rows loaded, the viewport
painted.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time

TERMS = ("Acme", "Northwind Traders #3", "Müller", "INV-2025-1", "上海", "Studio Kranich #12")


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from desktop_app.services.books import open_books
    from desktop_app.ui.main_window import MainWindow
    from desktop_app.ui.window_state import window_settings

    book, runs = sys.argv[1], int(sys.argv[2])
    app = QApplication(sys.argv[:1])
    books = open_books(book)
    window = MainWindow(books, window_settings(), on_crash=lambda exc: print(
        f"window: {exc!r}", file=sys.stderr), first_run=False, remember=False)
    window.resize(1280, 800)
    window.go("invoices")
    window.show()
    assert window.ops.wait_idle()
    page = window.pages["invoices"]
    view = page.view

    class Painted(QObject):
        at = 0.0

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.at = time.perf_counter()
            return False

    painted = Painted()
    view.viewport().installEventFilter(painted)
    heartbeat = QTimer()
    heartbeat.start(20)
    times, found = [], {}
    for _ in range(runs):
        for term in TERMS:
            page.search.clear()
            assert window.ops.wait_idle()
            app.processEvents()
            page.search.setText(term)  # typed (QTest types ASCII only); Return sends it
            start = time.perf_counter()
            QTest.keyClick(page.search, Qt.Key.Key_Return)
            while True:
                # Wait in Qt's event loop as the window does, the GIL released while it
                # waits: polling here would take the GIL from the books thread and slow the
                # very work being timed. The heartbeat timer wakes it in any case.
                app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
                visible = min(page.model.rowCount(), 20)
                if not window.ops.busy and not page.model.loading and all(
                        page.model.row_at(r) is not None for r in range(visible)) \
                        and painted.at > start:
                    break
            view.viewport().repaint()  # the rows as they now are, painted
            times.append(painted.at - start)
            found[term] = page.model.rowCount()
    window.ops.shutdown()
    books.close()
    print(json.dumps({"median": statistics.median(times), "found": found,
                      "searches": len(times)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

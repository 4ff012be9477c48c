"""The floor for the start-up figure: a bare PySide6 window with a table, started the way
``paidup --screenshot`` starts (a fresh process, offscreen, the window painted into a PNG,
exit). python -m benchmarks.bare_window FILE.png"""

from __future__ import annotations

import os
import sys

ROWS, COLUMNS = 40, 8  # what the Invoices page shows on one screen


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication(sys.argv[:1])
    model = QStandardItemModel(ROWS, COLUMNS)
    for row in range(ROWS):
        for column in range(COLUMNS):
            model.setItem(row, column, QStandardItem(f"cell {row}.{column}"))
    window = QMainWindow()
    view = QTableView()
    view.setModel(model)
    window.setCentralWidget(view)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    return 0 if window.grab().save(sys.argv[1]) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Start the window on the books in the user's data folder (or --db)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from desktop_app import __version__
from desktop_app.domain.errors import PaidUpError
from desktop_app.services.books import open_books

ICON = Path(__file__).resolve().parents[2] / "resources" / "icons" / "paidup.svg"
SCREENSHOT_SIZE = (1280, 800)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="paidup", description="PaidUp, the window.")
    parser.add_argument("--db", help="database file or PostgreSQL URL")
    parser.add_argument("--screenshot", metavar="FILE.png",
                        help="render the window offscreen to this picture and exit")
    parser.add_argument("--version", action="version", version=f"PaidUp {__version__}")
    args = parser.parse_args(argv)
    app = QApplication(sys.argv[:1])
    app.setWindowIcon(QIcon(str(ICON)))
    window = QMainWindow()
    window.setWindowTitle("PaidUp")
    try:
        books = open_books(args.db)
    except PaidUpError as exc:
        window.setCentralWidget(QLabel(str(exc)))
    else:
        window.setCentralWidget(QLabel(f"PaidUp — books at {books.location}"))
        books.close()
    if args.screenshot:
        window.resize(*SCREENSHOT_SIZE)
        return 0 if window.grab().save(args.screenshot) else 1
    window.resize(960, 640)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())

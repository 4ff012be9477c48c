"""Start the window on the books in the user's data folder (or --db)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from desktop_app import __version__
from desktop_app.domain.errors import PaidUpError
from desktop_app.services.books import open_books


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="paidup", description="PaidUp, the window.")
    parser.add_argument("--db", help="database file or PostgreSQL URL")
    parser.add_argument("--version", action="version", version=f"PaidUp {__version__}")
    args = parser.parse_args(argv)
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("PaidUp")
    try:
        books = open_books(args.db)
    except PaidUpError as exc:
        window.setCentralWidget(QLabel(str(exc)))
    else:
        window.setCentralWidget(QLabel(f"PaidUp — books at {books.location}"))
        books.close()
    window.resize(960, 640)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())

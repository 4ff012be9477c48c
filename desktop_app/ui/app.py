"""Start the window on the books in the user's data folder (or --db)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from desktop_app import APP_ID, __version__, resources
from desktop_app.domain.errors import PaidUpError
from desktop_app.services.books import open_books
from desktop_app.services.books_lock import books_identity
from desktop_app.ui.books_in_use import TakeOverWatch, claim_books
from desktop_app.ui.diagnose import write_diagnosis
from desktop_app.ui.single_instance import SingleInstance, bring_to_front, instance_key

SCREENSHOT_SIZE = (1280, 800)


def _window(db: str | None) -> QMainWindow:
    window = QMainWindow()
    window.setWindowTitle("PaidUp")
    try:
        books = open_books(db)
    except PaidUpError as exc:
        window.setCentralWidget(QLabel(str(exc)))
    else:
        window.setCentralWidget(QLabel(f"PaidUp — books at {books.location}"))
        books.close()
    return window


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="paidup", description="PaidUp, the window.")
    parser.add_argument("--db", help="database file or PostgreSQL URL")
    parser.add_argument("--screenshot", metavar="FILE.png",
                        help="render the window offscreen to this picture and exit")
    parser.add_argument("--diagnose", metavar="FILE.json", help=argparse.SUPPRESS)
    parser.add_argument("--version", action="version", version=f"PaidUp {__version__}")
    args = parser.parse_args(argv)
    app = QApplication(sys.argv[:1])
    app.setWindowIcon(QIcon(str(resources.APP_ICON)))
    app.setDesktopFileName(APP_ID)  # matches the installed .desktop file (Wayland, docks)
    if args.diagnose:
        return write_diagnosis(args.diagnose)
    if args.screenshot:
        window = _window(args.db)
        window.resize(*SCREENSHOT_SIZE)
        return 0 if window.grab().save(args.screenshot) else 1

    # One window per user and books: a second launch brings this one to the front.
    guard = SingleInstance(instance_key(books_identity(args.db)), app)
    if not guard.claim():
        return 0
    # Books another computer has open: the user is told who/where/since and chooses.
    lock = claim_books(args.db)
    if lock is None:
        return 0
    app.aboutToQuit.connect(lock.release)

    window = _window(args.db)
    guard.activated.connect(lambda: bring_to_front(window))
    TakeOverWatch(lock, window)
    window.resize(960, 640)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())

"""Start the window: parse arguments, make the application, open the books, show the window.

``paidup --screenshot FILE.png --page invoices`` renders one page at 1280 x 800 offscreen
(for the README and the tests) and exits.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app import APP_ID, __version__
from desktop_app.clock import day_of, system_now
from desktop_app.domain.errors import PaidUpError
from desktop_app.services import backups
from desktop_app.services.books import Books, open_books
from desktop_app.services.books_lock import BooksLock, books_identity
from desktop_app.ui import display, theme, translate
from desktop_app.ui.books_in_use import TakeOverWatch, claim_books
from desktop_app.ui.crash import CrashReporter, setup_logging
from desktop_app.ui.main_window import PAGES, MainWindow, app_icon
from desktop_app.ui.single_instance import SingleInstance, bring_to_front, instance_key
from desktop_app.ui.translate import _
from desktop_app.ui.window_state import DB_TARGET_KEY, window_settings

log = logging.getLogger("paidup")
SCREENSHOT_SIZE = (1280, 800)


def _size(text: str) -> tuple[int, int]:
    width, _x, height = text.lower().partition("x")
    if not (width.isdigit() and height.isdigit()):
        raise argparse.ArgumentTypeError(f"'{text}' is not a size such as 1024x640")
    return int(width), int(height)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="paidup", description="PaidUp, the window.")
    parser.add_argument("--db", metavar="PATH_OR_URL",
                        help="books to open: a file, or a PostgreSQL URL (default: as chosen "
                             "in Settings, else the file in your data folder)")
    parser.add_argument("--screenshot", metavar="FILE.png", type=Path,
                        help="render one page at 1280 x 800 offscreen to this picture and exit")
    parser.add_argument("--size", metavar="WxH", type=_size, default=SCREENSHOT_SIZE,
                        help="the window's size for --screenshot (default: 1280x800)")
    parser.add_argument("--page", choices=PAGES, default="invoices",
                        help="the page for --screenshot (default: invoices)")
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", type=date.fromisoformat,
                        help="work as if today were this day (to replay a day, and for the "
                             "pictures); default: today")
    parser.add_argument("--lang", choices=translate.LANGUAGES,
                        help="the window's language for this start (default: as chosen in "
                             "Settings, else the system's; also PAIDUP_LANG)")
    parser.add_argument("--diagnose", metavar="FILE.json", help=argparse.SUPPRESS)
    parser.add_argument("--version", action="version", version=f"PaidUp {__version__}")
    return parser.parse_args(argv)


def books_target(args: argparse.Namespace, settings: QSettings) -> str | None:
    """--db, else PAIDUP_DB (as for paidup-cli), else the choice saved in Settings."""
    return args.db or os.environ.get("PAIDUP_DB") or str(settings.value(DB_TARGET_KEY, "")) \
        or None


def open_or_explain(target: str | None, settings: QSettings) -> Books | None:
    """Open the books; if they cannot be opened, say why and offer the local file, or for
    damaged books their newest good backup."""
    try:
        return open_books(target)
    except PaidUpError as exc:
        log.warning("Cannot open the books at %s: %s", target, exc)
        box = QMessageBox(QMessageBox.Icon.Warning, "PaidUp", _("PaidUp cannot open your books."))
        box.setInformativeText(display.refusal(exc))
        good = backups.good_copy_for_damaged(target, exc)
        restore = None
        if good is not None:
            restore = box.addButton(_("Restore the backup of {made_on}").format(
                                      made_on=backups.made_on(good)),
                                    QMessageBox.ButtonRole.AcceptRole)
        local = None
        if target:
            local = box.addButton(_("Open the books on this computer"),
                                  QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()
        if restore is not None and box.clickedButton() is restore:
            assert good is not None
            return _restore_and_open(target, good, settings)
        if local is not None and box.clickedButton() is local:
            settings.remove(DB_TARGET_KEY)
            return open_or_explain(None, settings)
        return None


def _restore_and_open(target: str | None, good: Path, settings: QSettings) -> Books | None:
    try:
        done = backups.restore_file(target, good, clock=system_now)
    except PaidUpError as exc:
        QMessageBox.warning(None, "PaidUp",
                            _("The backup could not be restored: {exc}").format(
                                exc=display.refusal(exc)))
        return None
    log.warning("restored %s from %s; the damaged books are kept as %s", done.books,
                done.source, done.previous)
    QMessageBox.information(None, "PaidUp",
                            _("Your books were restored from {backup}. The damaged file is kept "
                              "as {damaged}.").format(backup=good.name,
                                                      damaged=Path(done.previous).name))
    return open_or_explain(target, settings)


class Reopener:
    """Swaps the window for one on other books (Settings › The books › Open now), moving
    the lock on the books along with it."""

    def __init__(self, window: MainWindow, reporter: CrashReporter, lock: BooksLock) -> None:
        self.window, self.reporter, self.lock = window, reporter, lock
        self.watch = TakeOverWatch(lock, window)
        window.reopen_requested.connect(self.reopen)

    def reopen(self, target: str) -> None:
        lock = claim_books(target, self.window)
        if lock is None:  # the user left those books to the other computer
            return
        old = self.window
        old.ops.long(lambda _books, _progress: open_books(target), _("Opening the books"),
                     lambda books: self._opened(books, lock), books=False, owner=old)

    def _opened(self, books: Books, lock: BooksLock) -> None:
        old = self.window
        old.save_state()
        self.lock.release()
        self.lock = lock
        self.window = MainWindow(books, old.settings, today=old.ctx.today, on_crash=self.reporter)
        self.window.reopen_requested.connect(self.reopen)
        self.watch = TakeOverWatch(lock, self.window)
        self.window.show()
        old.close()
        old.deleteLater()


def screenshot(window: MainWindow, page: str, target: Path,
               size: tuple[int, int] = SCREENSHOT_SIZE) -> int:
    """The page as the user sees it once its background loads are done."""
    window.resize(*size)
    window.go(page)
    window.show()
    window.ops.wait_idle()
    current = window.current_page()
    view = getattr(current, "view", None)
    if view is not None and view.model() is not None and view.model().rowCount() \
            and not view.selectionModel().hasSelection():
        view.selectRow(0)  # so that the detail below the list shows too
        window.ops.wait_idle()
    QApplication.processEvents()
    ok = window.grab().save(str(target))
    window.ops.shutdown()
    return 0 if ok else 1


def today_of(args: argparse.Namespace) -> Callable[[], date]:
    """The window's 'today': the day given with --as-of, else the calendar's."""
    return day_of(args.as_of)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    reporter = CrashReporter(setup_logging())
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication(sys.argv[:1])
    app.setApplicationName("PaidUp")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)  # matches the installed .desktop file (Wayland, docks)
    app.setWindowIcon(app_icon())
    theme.follow_color_scheme(app)
    if args.diagnose:
        from desktop_app.ui.diagnose import write_diagnosis  # the keyring: only for this

        return write_diagnosis(args.diagnose)
    reporter.install()
    settings = window_settings()
    translate.start(app, settings, args.lang or os.environ.get("PAIDUP_LANG", ""))
    if args.screenshot:
        try:
            books = open_books(books_target(args, settings))
        except PaidUpError as exc:
            print(f"paidup: {exc}", file=sys.stderr)
            return 1
        window = MainWindow(books, settings, today=today_of(args), on_crash=reporter,
                            first_run=False, remember=False, background=False)
        return screenshot(window, args.page, args.screenshot, args.size)
    target = books_target(args, settings)
    # One window per user and books: a second launch brings this one to the front.
    guard = SingleInstance(instance_key(books_identity(target)), app)
    if not guard.claim():
        return 0
    # Books another computer has open: the user is told who, where and since, and chooses.
    lock = claim_books(target)
    if lock is None:
        return 0
    books = open_or_explain(target, settings)
    if books is None:
        lock.release()
        return 1
    log.info("PaidUp %s opened the books at %s", __version__, books.location)
    window = MainWindow(books, settings, today=today_of(args), on_crash=reporter)
    reopener = Reopener(window, reporter, lock)
    app.aboutToQuit.connect(lambda: reopener.lock.release())
    guard.activated.connect(lambda: bring_to_front(reopener.window))
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())

"""The main window: sidebar, pages, menus with shortcuts, and the status line."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, QSize, Qt, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QFontMetrics,
    QIcon,
    QKeySequence,
    QPalette,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app import __version__, paths, resources
from desktop_app.clock import system_today
from desktop_app.domain.errors import PaidUpError, RuleViolation
from desktop_app.services.books import Books
from desktop_app.ui import display, fonts, theme
from desktop_app.ui.actions import with_shortcut
from desktop_app.ui.context import Context
from desktop_app.ui.mail_worker import MailWorker
from desktop_app.ui.ops import Changes, LongWork, Ops
from desktop_app.ui.pages.base import Page
from desktop_app.ui.pages.invoices import InvoicesPage
from desktop_app.ui.translate import N_, Words, _, ngettext
from desktop_app.ui.widgets import ErrorLabel, NoteLabel

if TYPE_CHECKING:
    from desktop_app.services.outbox import OutboxStatus
    from desktop_app.services.undo import Undoable

PAGE_TITLES = Words({"today": N_("Today"), "customers": N_("Customers"),
                     "invoices": N_("Invoices"), "quotes": N_("Quotes"),
                     "payments": N_("Payments"), "reports": N_("Reports"),
                     "settings": N_("Settings")})
PAGES = tuple(PAGE_TITLES)
ICON = resources.APP_ICON
SIDEBAR_LEAST = 136  # room for the brand: the drawing and "PaidUp"
SIDEBAR_PADDING = 44  # the item's margins, the gap after its drawing, the selection's edge


def app_icon() -> QIcon:
    return QIcon(str(ICON))


class MessageBar(QWidget):
    """A refusal that belongs to no form, shown above the page until dismissed."""

    def __init__(self) -> None:
        super().__init__()
        self.label = ErrorLabel()
        close = QToolButton()
        close.setText("✕")
        close.setToolTip(_("Dismiss"))
        close.setAutoRaise(True)
        close.clicked.connect(lambda: self.say(""))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self.setVisible(False)

    def say(self, message: str) -> None:
        self.label.say(message)
        self.setVisible(bool(message))


class OutboxIndicator(QToolButton):
    """The outbox state in the status line (to send, needing a decision, offline); a click
    opens the outbox. Hidden while the outbox has nothing to say."""

    def __init__(self) -> None:
        super().__init__()
        self.setAutoRaise(True)
        self.setVisible(False)
        self.setAccessibleName(_("Outbox"))
        self.status: OutboxStatus | None = None
        self.sending = False

    def show_status(self, status: OutboxStatus) -> None:
        self.status = status
        self._update()

    def show_sending(self, sending: bool) -> None:
        self.sending = sending
        self._update()

    def _update(self) -> None:
        status = self.status
        parts = []
        waiting = (status.queued + status.retrying) if status else 0
        attention = (status.failed + status.unknown) if status else 0
        if self.sending:
            parts.append(_("sending…"))
        elif waiting:
            parts.append(_("{waiting} to send").format(waiting=waiting))
        if attention:
            parts.append(ngettext("{n} needs a decision", "{n} need a decision",
                                  attention).format(n=attention))
        if status is not None and status.offline:
            parts.append(_("offline"))
        self.setText(_("Outbox: ") + ", ".join(parts) if parts else "")
        tips = [_("Open the outbox")]
        if status is not None and status.offline:
            tips.insert(0, _("The mail server could not be reached ({last_error}). PaidUp tries "
                             "again every few minutes.").format(last_error=status.last_error))
        if attention:
            tips.insert(0, _("Some mail was refused or may not have arrived: see Today."))
        self.setToolTip("\n".join(tips))
        alert = attention or (status is not None and status.offline)
        self.setStyleSheet(f"color: {theme.error_color().name()};" if alert else "")
        self.setVisible(bool(parts))


class ProgressLine(QWidget):
    """Long work in the status line: what, how far, and a Cancel button."""

    def __init__(self, ops: Ops) -> None:
        super().__init__()
        self.ops = ops
        self.op_id: int | None = None
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(200)
        self.bar.setTextVisible(False)
        self.cancel = QPushButton(_("Cancel"))
        self.cancel.clicked.connect(self._cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel)
        self.setVisible(False)
        ops.long_work.connect(self.show_work)

    def show_work(self, work: LongWork | None) -> None:
        if work is None:
            self.op_id = None
            self.setVisible(False)
            return
        self.op_id = work.op_id
        self.label.setText(f"{work.title} {work.text}".strip() + "…")
        self.bar.setRange(0, work.total)  # 0..0 is Qt's busy indicator
        self.bar.setValue(work.done)
        self.setVisible(True)

    def _cancel(self) -> None:
        if self.op_id is not None:
            self.ops.cancel(self.op_id)
            self.label.setText(_("Cancelling…"))


class Pages:
    """The window's pages by key, each built the first time it is asked for: a page's
    module, and the services and dialogs it names, load when the user first goes there, not
    while the window starts. The sidebar names them from ``PAGE_TITLES`` meanwhile."""

    def __init__(self, build: Callable[[str], Page]) -> None:
        self._build = build
        self._built: dict[str, Page] = {}

    def __getitem__(self, key: str) -> Page:
        if key not in self._built:
            if key not in PAGE_TITLES:
                raise KeyError(key)
            self._built[key] = self._build(key)
        return self._built[key]

    def built(self) -> list[Page]:
        return list(self._built.values())


class MainWindow(QMainWindow):
    """One set of books in one window. ``reopen_requested`` asks the app for other books."""

    reopen_requested = Signal(str)

    def __init__(self, books: Books, settings: QSettings, *,
                 today: Callable[[], date] = system_today,
                 on_crash: Callable[[BaseException], None],
                 first_run: bool = True, remember: bool = True,
                 background: bool = True) -> None:
        super().__init__()
        fonts.register()
        self.settings = settings
        self.remember = remember
        self.setWindowTitle("PaidUp")
        self.setWindowIcon(app_icon())
        books.today = today  # the services' day is the window's
        self.ops = Ops(books, on_crash, self.show_refusal)
        self.ops.setParent(self)
        self.ops.changed.connect(self._changed)
        self.ctx = Context(ops=self.ops, today=today, window=self, show_pdf=self.show_pdf,
                           go=self.go, say=self.say, settings=settings,
                           send_mail=lambda then, owner: self.mail.send_and_tell(then, owner),
                           offer_undo=self.offer_undo)
        self.message = MessageBar()
        self.pages = Pages(self._build_page)
        self.stack = QStackedWidget()
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setIconSize(QSize(20, 20))
        self.sidebar.setFrameShape(QListWidget.Shape.NoFrame)
        self.sidebar.setSpacing(2)
        font = theme.scaled_font(self.sidebar.font(), 1.1)
        # As wide as the longest page name in the language (with its drawing), and no wider:
        # on a 1024-pixel screen every pixel goes to the page.
        names = max(map(QFontMetrics(font).horizontalAdvance, PAGE_TITLES.values()))
        side_width = max(SIDEBAR_LEAST, names + self.sidebar.iconSize().width() + SIDEBAR_PADDING)
        for key, title in PAGE_TITLES.items():
            item = QListWidgetItem(self._page_icon(key), title)
            item.setFont(font)
            item.setSizeHint(QSize(side_width - 2 * self.sidebar.spacing(),
                                   self.fontMetrics().height() * 2 + 8))
            self.sidebar.addItem(item)
        self.sidebar.setFixedWidth(side_width)
        self.sidebar.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sidebar.currentRowChanged.connect(self._page_chosen)

        brand = QLabel()
        brand.setPixmap(app_icon().pixmap(QSize(28, 28), self.devicePixelRatioF()))
        brand_name = QLabel("PaidUp")
        brand_name.setFont(theme.scaled_font(self.font(), 1.3, bold=True))
        brand_row = QHBoxLayout()
        brand_row.setContentsMargins(12, 12, 12, 8)
        brand_row.addWidget(brand)
        brand_row.addWidget(brand_name, 1)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addLayout(brand_row)
        side_layout.addWidget(self.sidebar, 1)
        side.setFixedWidth(side_width)
        side.setAutoFillBackground(True)
        side.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.sidebar.viewport().setBackgroundRole(QPalette.ColorRole.AlternateBase)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(0)
        right_layout.addWidget(self.message)
        right_layout.addWidget(self.stack, 1)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(side)
        layout.addWidget(right, 1)
        self.setCentralWidget(central)

        self.books_label = NoteLabel(_("Books: {name}").format(
            name=display.books_name(books.location)))
        self.books_label.setWordWrap(False)  # one line: the status line keeps its height
        self.books_label.setToolTip(_("{path}\nThe books in use; change them in Settings › "
                                      "The books").format(
            path=display.home_path(books.location)))
        self.outbox = OutboxIndicator()
        self.outbox.clicked.connect(self.open_outbox)
        self.mail = MailWorker(self.ops, self)
        self.mail.status_changed.connect(self.outbox.show_status)
        self.mail.sending_changed.connect(self.outbox.show_sending)
        self.progress = ProgressLine(self.ops)
        status = self.statusBar()
        status.addWidget(self.books_label, 1)
        status.addPermanentWidget(self.progress)
        status.addPermanentWidget(self.outbox)
        # As tall as its tallest state (the progress line's Cancel button): a message or a
        # long task appearing never moves the page above it.
        status.setFixedHeight(max(w.sizeHint().height() for w in (
            self.books_label, self.progress, self.outbox)) + 6)

        self._build_menus()
        self._restore()
        self.setAcceptDrops(True)  # the morning's statement, dropped anywhere on the window
        if background:
            self.mail.start()
        else:
            self.mail.refresh_status()
        if first_run:
            from desktop_app.services import company

            self.ops.query(company.get_company, lambda _view: None,
                           on_refused=self._no_company, owner=self)
        self.issue_retainers()

    def _page_icon(self, key: str) -> QIcon:
        return theme.page_icon(key, self.sidebar.iconSize().width(), self.devicePixelRatioF())

    def changeEvent(self, event: QEvent) -> None:
        """Light and dark mode: the sidebar's drawings take the new text colour."""
        if event.type() in (QEvent.Type.ApplicationPaletteChange, QEvent.Type.PaletteChange):
            for row, key in enumerate(PAGES):
                self.sidebar.item(row).setIcon(self._page_icon(key))
        super().changeEvent(event)

    # -- menus and shortcuts -----------------------------------------------------------------

    def _action(self, label: str, key: Any, handler: Callable[[], None], tip: str = ""
                ) -> QAction:
        action = with_shortcut(QAction(label, self), key, tip)
        action.triggered.connect(lambda _checked=False, run=handler: run())
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu(_("&File"))
        file.addAction(self._action(_("Back up now"), "Ctrl+Shift+B", self.backup_now,
                                    _("Copy the books to the backup folder")))
        file.addSeparator()
        file.addAction(self._action(_("Quit"), QKeySequence.StandardKey.Quit, self.close))

        edit = bar.addMenu(_("&Edit"))
        self.undoable: Undoable | None = None
        self.undo = self._action(_("Undo"), QKeySequence.StandardKey.Undo, self.undo_last,
                                 _("Take back the last payment recorded or hold placed"))
        self.undo.setEnabled(False)
        edit.addAction(self.undo)
        edit.addSeparator()
        self.find = self._action(_("Find"), QKeySequence.StandardKey.Find, self.focus_search,
                                 _("Search the current list"))
        edit.addAction(self.find)
        edit.addAction(self._action(_("Refresh"), QKeySequence.StandardKey.Refresh, self.refresh,
                                    _("Load the current page again")))

        go = bar.addMenu(_("&Go"))
        for n, key in enumerate(PAGES):
            title = PAGE_TITLES[key]
            go.addAction(self._action(title, f"Ctrl+{n + 1}",
                                      lambda _checked=False, k=key: self.go(k),
                                      _("Go to {title}").format(
                                                                           title=title)))

        self.common: dict[str, QAction] = {
            "new_invoice": self._action(_("New invoice…"), QKeySequence.StandardKey.New,
                                        lambda: self.run("new_invoice"),
                                        _("Start a draft invoice")),
            "new_customer": self._action(_("New customer…"), "Ctrl+Shift+N",
                                         lambda: self.run("new_customer"), _("Add a customer")),
            "record_payment": self._action(_("Record payment…"), "Ctrl+R",
                                           lambda: self.run("record_payment"),
                                           _("Record money received")),
            "print": self._action(_("Print…"), QKeySequence.StandardKey.Print,
                                  lambda: self.run("print"), _("Print what is selected")),
            "send": self._action(_("Send"), "Ctrl+Return", lambda: self.run("send"),
                                 _("Send the chosen reminder, or all of today's emails")),
        }
        invoice = bar.addMenu(_("&Invoice"))
        invoice.addAction(self.common["new_invoice"])
        invoice.addAction(self.common["record_payment"])
        invoice.addAction(self.common["print"])
        invoice.addSeparator()
        invoices_page = self.pages["invoices"]
        assert isinstance(invoices_page, InvoicesPage)
        for key, action in invoices_page.act.items():
            if key not in self.common:
                invoice.addAction(action)
                self.addAction(action)
        self.invoice_menu = invoice

        followup_menu = bar.addMenu(_("F&ollow-up"))
        followup_menu.addAction(self.common["send"])
        followup_menu.addAction(self._action(_("Today's work"), None, lambda: self.go("today"),
                                             _("The day's emails, letters, calls and promises")))
        followup_menu.addAction(self._action(_("Outbox…"), None, self.open_outbox,
                                             _("Mail waiting to go out, refused or sent")))
        followup_menu.addAction(self._action(_("Send what waits now"), None,
                                             self.mail.send_now,
                                             _("Try the mail server now")))

        customer = bar.addMenu(_("&Customer"))
        customer.addAction(self.common["new_customer"])
        self.edit_customer = self._action(_("Edit customer…"), None,
                                          lambda: self.run("edit_customer"))
        self.statement = self._action(_("Statement…"), None, lambda: self.run("statement"),
                                      _("The customer's statement of account"))
        customer.addAction(self.edit_customer)
        customer.addAction(self.statement)

        help_menu = bar.addMenu(_("&Help"))
        help_menu.addAction(self._action(_("Open the log folder"), None, self.open_logs,
                                         _("Where PaidUp writes what went wrong")))
        help_menu.addAction(self._action(_("About PaidUp"), None, self.about))

    def run(self, action: str) -> None:
        """A window-level action, for what is selected on the current page."""
        page = self.current_page()
        if page.can(action):
            page.do(action)
        elif action == "new_invoice":
            self.go("invoices", new_invoice_for=None)
        elif action == "new_customer":
            self.go("customers", new_customer=True)
        elif action == "record_payment":
            from desktop_app.ui.dialogs.invoice_actions import PaymentDialog

            PaymentDialog(self.ctx, None).open()
        elif action == "send":
            self.go("today")
            self.say(_("Choose what to send on Today, or press Send all."))

    def _update_actions(self) -> None:
        page = self.current_page()
        self.common["print"].setEnabled(page.can("print"))
        self.edit_customer.setEnabled(page.can("edit_customer"))
        self.statement.setEnabled(page.can("statement"))

    # -- pages -------------------------------------------------------------------------------

    def current_page(self) -> Page:
        return self.pages[PAGES[max(self.sidebar.currentRow(), 0)]]

    def go(self, key: str, **what: Any) -> None:
        self.sidebar.setCurrentRow(PAGES.index(key))
        if what:
            self.pages[key].show_item(**what)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        from desktop_app.ui.pages.bank import dropped_statements

        if dropped_statements(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """A bank statement dropped on any page is imported on the Bank tab of Payments,
        where what it could not decide is shown."""
        from desktop_app.ui.pages.bank import dropped_statements
        from desktop_app.ui.pages.payments import PaymentsPage

        paths = dropped_statements(event.mimeData())
        if not paths:
            return
        event.acceptProposedAction()
        self.go("payments", tab="bank")
        page = self.pages["payments"]
        assert isinstance(page, PaymentsPage)
        for path in paths:
            page.bank.import_file(path)

    def _build_page(self, key: str) -> Page:
        """The page for ``key``, built on its first visit; its module loads then."""
        page: Page
        if key == "invoices":
            page = InvoicesPage(self.ctx)
        elif key == "today":
            from desktop_app.ui.pages.today import TodayPage

            page = TodayPage(self.ctx)
        elif key == "customers":
            from desktop_app.ui.pages.customers import CustomersPage

            page = CustomersPage(self.ctx)
        elif key == "quotes":
            from desktop_app.ui.pages.quotes import QuotesPage

            page = QuotesPage(self.ctx)
        elif key == "payments":
            from desktop_app.ui.pages.payments import PaymentsPage

            page = PaymentsPage(self.ctx)
        elif key == "reports":
            from desktop_app.ui.pages.reports import ReportsPage

            page = ReportsPage(self.ctx)
        else:
            from desktop_app.ui.pages.settings import SettingsPage

            page = SettingsPage(self.ctx, self.settings, self.reopen_requested.emit)
        self.stack.addWidget(page)
        page.actions_changed.connect(self._update_actions)
        return page

    def _page_chosen(self, row: int) -> None:
        if row < 0:
            return
        page = self.pages[PAGES[row]]
        self.stack.setCurrentWidget(page)
        page.shown()
        self._update_actions()

    def offer_undo(self, undoable: Undoable | None) -> None:
        """The last action, if it can be taken back (services.undo says which can)."""
        self.undoable = undoable
        self.undo.setEnabled(undoable is not None)
        self.undo.setText(_("Undo {what}").format(what=undoable.what) if undoable else _("Undo"))

    def undo_last(self) -> None:
        undoable = self.undoable
        if undoable is None:
            return
        self.offer_undo(None)
        on = self.ctx.today()
        from desktop_app.services import undo

        self.ops.change(lambda books: undo.undo(books, undoable, on),
                        lambda what: self.say(_("Undone: {what}. The customer's log keeps both "
                                                "entries.").format(what=what)))

    def _changed(self, changes: Changes) -> None:
        if changes & (Changes.INVOICES | Changes.PAYMENTS | Changes.CUSTOMERS | Changes.COMPANY
                      | Changes.TERMS):
            self.offer_undo(None)  # another change came after: "the last action" is that one
        for page in self.pages.built():  # a page built later loads what is there then
            page.on_changed(changes)

    def focus_search(self) -> None:
        if not self.current_page().focus_search():
            self.say(_("There is nothing to search on this page."))

    def refresh(self) -> None:
        self.current_page().refresh()

    # -- feedback ----------------------------------------------------------------------------

    def say(self, message: str) -> None:
        self.statusBar().showMessage(message, 10_000)

    def show_refusal(self, exc: PaidUpError, _owner: QObject | None = None) -> None:
        self.message.say(display.refusal(exc))

    def show_pdf(self, pdf: bytes, title: str, filename: str) -> None:
        from desktop_app.ui.dialogs.pdf_preview import PdfPreview

        preview = PdfPreview(self.ops, pdf, title, filename, self)
        preview.show()

    def _no_company(self, exc: PaidUpError) -> None:
        if isinstance(exc, RuleViolation):
            from desktop_app.ui.dialogs.first_run import FirstRun

            FirstRun(self.ctx, self._set_up).open()
        else:
            self.show_refusal(exc)

    def _set_up(self, view: Any) -> None:
        self.say(_("Welcome, {name}. Your books are ready.").format(name=view.name))
        self.go("today")  # the first steps of an empty book, or the demo's day

    def issue_retainers(self) -> None:
        """The window's start is a daily run too: retainer invoices due are issued (those
        sent by mail go to the outbox, the others wait on Today)."""
        from desktop_app.services import retainers

        self.ops.change(lambda books: retainers.issue_due(books, books.today()),
                        self._retainers_issued, owner=self)

    def _retainers_issued(self, run: Any) -> None:
        if run.issued:
            self.say(ngettext("{n} retainer invoice issued: {numbers}",
                              "{n} retainer invoices issued: {numbers}", len(run.issued)).format(
                n=len(run.issued), numbers=", ".join(i.number for i in run.issued)))
        if run.failed:
            self.message.say(" ".join(display.sentence(display.note(why, english)) for why, english
                                      in zip(run.failed_said, run.failed, strict=True)))

    def open_outbox(self) -> None:
        from desktop_app.ui.dialogs.outbox import OutboxDialog

        OutboxDialog(self.ctx, self.mail.send_now,
                     lambda: self.go("settings", section=_("Mail"))).show()

    def backup_now(self) -> None:
        from desktop_app.services import backups

        self.ops.change(lambda books: backups.backup_now(books),
                        lambda path: self.say(_("Backup written to {path}.").format(path=path)))

    def open_logs(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(paths.log_dir())))

    def about(self) -> None:
        box = QMessageBox(QMessageBox.Icon.NoIcon, _("About PaidUp"),
                          _("PaidUp {version}\nInvoices, reminders and payments for a small "
                            "business, offline.").format(version=__version__), parent=self)
        box.setIconPixmap(app_icon().pixmap(64, 64))
        box.open()

    # -- size, position, last page -----------------------------------------------------------

    def _restore(self) -> None:
        geometry = self.settings.value("window/geometry") if self.remember else None
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        last = str(self.settings.value("window/page", "invoices")) if self.remember \
            else "invoices"
        self.go(last if last in PAGES else "invoices")

    def save_state(self) -> None:
        if not self.remember:
            return
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/page", PAGES[max(self.sidebar.currentRow(), 0)])
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        self.mail.stop()
        self.ops.shutdown()
        super().closeEvent(event)

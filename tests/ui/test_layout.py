"""The window at 1024 x 640 and at full size: names readable, toolbars whole, dialogs on the
screen, a steady status line, sidebar drawings, dark mode and the books named, not pathed.
Sizes are measured on the offscreen window."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import datetime

import pytest
from PySide6.QtCore import QBuffer, QIODevice, QPoint, QRect, Qt
from PySide6.QtGui import QGuiApplication, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QPushButton,
    QScrollArea,
    QToolBar,
    QToolButton,
    QWidget,
)
from reportlab.pdfgen import canvas

from desktop_app.services import customers, invoices
from desktop_app.services.outbox import OutboxView
from desktop_app.ui import theme, translate
from desktop_app.ui.dialogs.credit_forms import DecideForm
from desktop_app.ui.dialogs.customer_form import EMAIL, NAME, CustomerForm, NoteDialog
from desktop_app.ui.dialogs.draft_editor import DraftEditor
from desktop_app.ui.dialogs.einvoice_view import EInvoiceView
from desktop_app.ui.dialogs.first_run import FirstRun
from desktop_app.ui.dialogs.form import FormDialog
from desktop_app.ui.dialogs.invoice_actions import (
    HoldDialog,
    PaymentDialog,
    PromiseDialog,
    ReceiptDialog,
    WriteOffDialog,
)
from desktop_app.ui.dialogs.message import BatchPreviewDialog, MessageDialog
from desktop_app.ui.dialogs.outbox import OutboxDialog
from desktop_app.ui.dialogs.payment_plan import PaymentPlanDialog
from desktop_app.ui.dialogs.pdf_preview import PdfPreview
from desktop_app.ui.dialogs.quote_forms import NewQuoteDialog
from desktop_app.ui.dialogs.retainer_form import RetainerForm
from desktop_app.ui.mail_view import ShownMessage
from desktop_app.ui.main_window import PAGES
from desktop_app.ui.models.customer_list import Column as CustomerColumn
from desktop_app.ui.models.invoice_list import Column as InvoiceColumn
from desktop_app.ui.models.payment_list import Column as PaymentColumn
from desktop_app.ui.models.today_list import Column as TodayColumn
from desktop_app.ui.ops import LongWork
from desktop_app.ui.pages.customer_credit import ImageView
from desktop_app.ui.pages.today import MAX_VISIBLE_ROWS
from desktop_app.ui.translate import _
from desktop_app.ui.widgets import CUSTOMER_SAMPLE
from tests.ui.conftest import TODAY, find_dialog, settle

SMALL = (1024, 640)
SIZES = (SMALL, (1280, 800), (1920, 1080))


@pytest.fixture
def demo_window(open_window, demo_books):
    window = open_window(demo_books)
    settle(window)
    return window


def shown(window, page: str, size: tuple[int, int]):
    window.resize(*size)
    window.go(page)
    settle(window)
    QGuiApplication.processEvents()
    return window.pages[page]


def names_fit(view, column: int) -> list[str]:
    """The names in ``column`` that the column cuts short."""
    model, width = view.model(), view.horizontalHeader().sectionSize(column)
    metrics = view.fontMetrics()
    names = {model.index(r, column).data() for r in range(model.rowCount())}
    return sorted(n for n in names if n and metrics.horizontalAdvance(n) + 8 > width)


@pytest.mark.parametrize("size", SIZES)
def test_customer_names_in_the_lists_are_whole(demo_window, size):
    floor = demo_window.fontMetrics().horizontalAdvance(CUSTOMER_SAMPLE)
    invoices = shown(demo_window, "invoices", size)
    assert invoices.view.horizontalHeader().sectionSize(InvoiceColumn.CUSTOMER) > floor
    assert names_fit(invoices.view, InvoiceColumn.CUSTOMER) == []
    payments = shown(demo_window, "payments", size)
    assert payments.view.horizontalHeader().sectionSize(PaymentColumn.CUSTOMER) > floor
    assert names_fit(payments.view, PaymentColumn.CUSTOMER) == []
    if size[0] >= 1920:  # a wide window gives the room to the references, not to the names
        assert names_fit(payments.view, PaymentColumn.REFERENCE) == []


@pytest.mark.parametrize("size", SIZES)
def test_the_invoice_toolbar_needs_no_overflow_arrow(demo_window, size):
    page = shown(demo_window, "invoices", size)
    arrows = [b for b in page.toolbar.findChildren(QToolButton)
              if b.objectName() == "qt_toolbar_ext_button"]
    assert arrows and not any(b.isVisible() for b in arrows)
    assert page.toolbar.sizeHint().width() <= page.toolbar.width()


def test_aging_table_shows_whole_names_at_1024(demo_window):
    page = shown(demo_window, "reports", SMALL)
    table = page.aging_table
    qtbot_wait = 0
    while table.rowCount() == 0 and qtbot_wait < 50:
        settle(demo_window)
        qtbot_wait += 1
    assert table.rowCount() > 0
    assert names_fit(table, 0) == []
    assert table.horizontalHeader().sectionSize(0) > table.fontMetrics().horizontalAdvance(
        CUSTOMER_SAMPLE)


@pytest.mark.parametrize("size", SIZES)
def test_todays_lists_show_their_rows_whole_beside_a_scroll_bar(demo_window, size):
    page = shown(demo_window, "today", size)
    groups = [g for g in page.groups.values() if g.isVisibleTo(page)]
    assert groups, "the demo's day has work on Today"
    for group in groups:
        view = group.view
        rows = min(group.model.rowCount(), MAX_VISIBLE_ROWS)
        bar = view.horizontalScrollBar()
        below = bar.height() if bar.isVisibleTo(view) else 0
        room = view.viewport().height()
        assert room >= rows * view.verticalHeader().defaultSectionSize(), (
            group.title, room, below)


@pytest.mark.parametrize("code", ["en", "de", "ru", "zh_CN"])
def test_todays_lists_fit_a_small_window_without_scrolling_sideways(open_window, demo_books,
                                                                     code):
    """Names, stages (as long as the language's longest kind of row), amounts, lateness and
    buttons whole; a list of invoice numbers and the note give way, and say themselves whole
    in a tooltip."""
    translate.use(translate.Language(code, translate.format_locale(code, "en_US")))
    try:
        page = shown(open_window(demo_books), "today", SMALL)
        groups = [g for g in page.groups.values() if g.isVisibleTo(page)]
        assert len(groups) >= 3
        for group in groups:
            view = group.view
            assert view.horizontalHeader().length() <= view.viewport().width(), group.title
            assert not view.horizontalScrollBar().isVisibleTo(view), group.title
            for column in (TodayColumn.CUSTOMER, TodayColumn.STAGE, TodayColumn.AMOUNT,
                           TodayColumn.LATE, TodayColumn.ACTION):
                assert names_fit(view, column) == [], (group.title, column)
            model = group.model
            for row in range(model.rowCount()):
                numbers = model.index(row, TodayColumn.INVOICE)
                if "," in numbers.data():
                    assert numbers.data(Qt.ItemDataRole.ToolTipRole) == numbers.data()
                note = model.index(row, TodayColumn.NOTE).data()
                if note:
                    assert model.index(row, TodayColumn.STAGE).data(
                        Qt.ItemDataRole.ToolTipRole) == note
    finally:
        translate.use(translate.Language("en", "en_US"))


@pytest.mark.parametrize("code", ["en", "de", "ru"])
def test_the_customer_page_fits_a_small_window(open_window, demo_books, code):
    """The list keeps whole names beside balance and credit; the customer's page beside it
    needs no sideways scrolling (its rows of buttons wrap instead); the sidebar is as wide as
    its names need."""
    translate.use(translate.Language(code, translate.format_locale(code, "en_US")))
    try:
        window = open_window(demo_books)
        page = shown(window, "customers", SMALL)
        assert page.model.rowCount() > 0 and page.detail.isVisibleTo(page)
        assert names_fit(page.view, CustomerColumn.NAME) == []
        assert page.view.horizontalHeader().length() <= page.view.viewport().width()
        assert not page.scroll.horizontalScrollBar().isVisibleTo(page.scroll)
        assert window.sidebar.horizontalScrollBar().isVisibleTo(window.sidebar) is False
        names = [window.sidebar.item(row) for row in range(window.sidebar.count())]
        assert all(window.sidebar.visualItemRect(item).right() <= window.sidebar.width()
                   for item in names)
    finally:
        translate.use(translate.Language("en", "en_US"))


@pytest.mark.parametrize("code", ["de", "ru", "zh_TW"])
def test_the_invoice_list_fits_a_small_window_in_each_language(open_window, demo_books, code):
    """No overflow arrow (less used actions join the More menu), whole names, and no
    sideways scrolling: a lateness gives way first, whole in its tooltip."""
    translate.use(translate.Language(code, translate.format_locale(code, "en_US")))
    try:
        page = shown(open_window(demo_books), "invoices", SMALL)
        arrows = [b for b in page.toolbar.findChildren(QToolButton)
                  if b.objectName() == "qt_toolbar_ext_button"]
        assert not any(b.isVisible() for b in arrows)
        assert page.toolbar.sizeHint().width() <= page.toolbar.width()
        spilled = page.toolbar.spilled()
        assert all(action in page.toolbar.menu.actions() for action in spilled)
        assert not any(action in page.toolbar.actions() for action in spilled)
        assert names_fit(page.view, InvoiceColumn.CUSTOMER) == []
        assert page.view.horizontalHeader().length() <= page.view.viewport().width()
        late = page.model.index(2, InvoiceColumn.STATUS)
        assert late.data(Qt.ItemDataRole.ToolTipRole) == late.data()
    finally:
        translate.use(translate.Language("en", "en_US"))


LONG_CONTACT = ("Maria-Magdalena Oberhauser-Schmidt", "accounts.payable@mueller-soehne-kg.example")


class SmallScreen:
    """A 1024 x 640 screen for a window to say it is on (the offscreen one is 800 x 800)."""

    def availableGeometry(self) -> QRect:
        return QRect(0, 0, *SMALL)


def customer_form(qtbot, window, books) -> CustomerForm:
    """The form that edits a customer with a long contact name and email, opened at its
    default size."""
    name, email = LONG_CONTACT
    view = customers.add_customer(books, name="Fischer Elektrotechnik e.K.",
                                  email="info@fischer.example",
                                  contacts=[f"accounts_payable:{name}:{email}"])
    form = CustomerForm(window.ctx, view)
    form.open()
    qtbot.waitUntil(form.ok_button.isEnabled)  # the terms are in
    QGuiApplication.processEvents()
    return form


@pytest.mark.parametrize("code", ["en", "de", "ru", "zh_CN", "zh_TW"])
def test_the_customer_form_shows_whole_contacts_on_a_small_screen(qtbot, open_window,
                                                                  ready_books, monkeypatch,
                                                                  code):
    """At its default size on a 1024 x 640 screen the contacts show a long name and email
    whole (a long role gives way first, whole in its list), within the screen's width."""
    translate.use(translate.Language(code, translate.format_locale(code, "en_US")))
    try:
        window = open_window(ready_books)
        window.resize(*SMALL)
        monkeypatch.setattr(window, "screen", SmallScreen)
        form = customer_form(qtbot, window, ready_books)
        table = form.contacts.table
        assert table.item(1, NAME).text() == LONG_CONTACT[0]
        assert names_fit(table, NAME) == [] and names_fit(table, EMAIL) == []
        assert table.horizontalHeader().length() <= table.viewport().width()
        assert form.frameGeometry().width() <= SMALL[0]
        form.close()
    finally:
        translate.use(translate.Language("en", "en_US"))


def test_on_a_narrower_screen_the_customer_form_says_a_cut_contact_whole(qtbot, open_window,
                                                                         ready_books):
    """The offscreen screen is 800 wide: the form stays on it, and a name or email its
    column cuts short is whole in the cell's tooltip."""
    translate.use(translate.Language("ru", translate.format_locale("ru", "en_US")))
    try:
        form = customer_form(qtbot, open_window(ready_books), ready_books)
        free = form.screen().availableGeometry()
        assert free.width() < SMALL[0]
        assert form.frameGeometry().width() <= free.width()
        table = form.contacts.table
        cut = names_fit(table, NAME) + names_fit(table, EMAIL)
        assert cut, "the screen is too narrow for everything whole"
        tips = {table.item(row, column).toolTip() for row in range(table.rowCount())
                for column in (NAME, EMAIL)}
        assert set(cut) <= tips
        form.close()
    finally:
        translate.use(translate.Language("en", "en_US"))


def a_pdf() -> bytes:
    pdf = io.BytesIO()
    page = canvas.Canvas(pdf)
    page.drawString(72, 720, "Invoice INV-2026-0001")
    page.save()
    return pdf.getvalue()


def test_the_pdf_preview_opens_within_the_screen(qtbot, window):
    window.show_pdf(a_pdf(), "Invoice INV-2026-0001", "INV-2026-0001.pdf")
    preview = find_dialog(qtbot, PdfPreview)
    free = preview.screen().availableGeometry()
    assert free.height() < 980  # the offscreen screen is smaller than an A4 preview
    assert preview.frameGeometry().height() <= free.height()
    assert free.contains(preview.frameGeometry())
    preview.close()


def a_scan() -> bytes:
    """A scanned A4 page's picture, as a PNG."""
    picture, kept = QPixmap(1240, 1754), QBuffer()
    picture.fill(Qt.GlobalColor.white)
    kept.open(QIODevice.OpenModeFlag.WriteOnly)
    picture.save(kept, "PNG")
    return bytes(kept.data())


def the_dialogs(window, books) -> Iterator[tuple[str, Callable[[], tuple[QDialog, QWidget]]]]:
    """Each main dialog of the window, by name, with how to open it on the demo's books:
    the dialog and the button that accepts it."""
    ctx = window.ctx
    customer = max(customers.list_customers(books), key=lambda c: len(c.contacts))
    overdue = invoices.list_invoices(books, invoices.InvoiceQuery(overdue_on=TODAY), limit=1)[0]
    [draft] = invoices.list_invoices(books, invoices.InvoiceQuery(status="draft"), limit=1)
    view = invoices.show_invoice(books, overdue.id)

    def form(dialog: FormDialog) -> tuple[QDialog, QWidget]:
        dialog.open()
        return dialog, dialog.ok_button

    def editor(draft_id: int | None) -> tuple[QDialog, QWidget]:
        dialog = DraftEditor(ctx, draft_id)
        dialog.open()
        return dialog, dialog.save_button

    def wizard() -> tuple[QDialog, QWidget]:
        dialog = FirstRun(ctx, lambda _view: None)
        dialog.open()
        return dialog, dialog.next

    def opened(dialog: QDialog, button: str) -> tuple[QDialog, QWidget]:
        """The dialog opened, and its button by attribute name or by text."""
        dialog.open()
        found = getattr(dialog, button, None) or next(
            b for b in dialog.findChildren(QPushButton) if b.text() == button)
        return dialog, found

    def scan() -> tuple[QDialog, QWidget]:
        dialog = ImageView(a_scan(), "Scan", window)
        dialog.open()
        return dialog, dialog.findChild(QScrollArea)  # no buttons: the picture, to scroll

    def preview() -> tuple[QDialog, QWidget]:
        window.show_pdf(a_pdf(), "Invoice INV-2026-0001", "INV-2026-0001.pdf")
        dialog = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, PdfPreview) and w.isVisible())
        bar = dialog.findChild(QToolBar)
        return dialog, bar.widgetForAction(dialog.print_action)

    yield "new customer", lambda: form(CustomerForm(ctx))
    yield "edit customer", lambda: form(CustomerForm(ctx, customer))
    yield "new invoice", lambda: editor(None)
    yield "edit draft", lambda: editor(draft.id)
    yield "payment", lambda: form(PaymentDialog(ctx, overdue))
    yield "promise", lambda: form(PromiseDialog(ctx, overdue))
    yield "dispute", lambda: form(HoldDialog(ctx, overdue))
    yield "payment plan", lambda: form(PaymentPlanDialog(ctx, view))
    yield "write-off", lambda: form(WriteOffDialog(
        ctx, overdue.id, overdue.number or "", overdue.customer_name, overdue.balance,
        overdue.currency))
    yield "credit decision", lambda: form(DecideForm(
        ctx, customer.id, customer.name, overdue.currency, lambda _view: None))
    yield "retainer", lambda: form(RetainerForm(ctx, customer.id, customer.name,
                                                lambda _view: None))
    yield "receipt", lambda: form(ReceiptDialog(ctx, overdue))
    yield "note", lambda: form(NoteDialog(ctx, customer))
    yield "quote", lambda: form(NewQuoteDialog(ctx, customer.id))
    yield "first run", wizard
    yield "pdf preview", preview
    # Dialogs with a page of their own to read: a message, an e-invoice, a scan.
    yield "email preview", lambda: opened(BatchPreviewDialog(
        ctx, "Email", ShownMessage(("a@example.com",), (), "Reminder", "Dear customer,\n" * 30,
                                   (("INV-2026-0001.pdf", a_pdf()),)), "Send", lambda: None),
        "confirm")
    yield "letter preview", lambda: opened(BatchPreviewDialog(
        ctx, "Letter", ShownMessage(letter=a_pdf()), "Print", lambda: None), "confirm")
    yield "stored message", lambda: opened(MessageDialog(ctx, OutboxView(
        0, "<0@example.com>", "failed", "Reminder", ("a@example.com",), customer.id,
        datetime(2026, 11, 20), 3, "554 rejected", None, None)), _("Close"))
    yield "e-invoice", lambda: opened(EInvoiceView(ctx, overdue.id, overdue.number or "",
                                                  overdue.customer_name), "save_button")
    yield "outbox", lambda: opened(OutboxDialog(ctx, lambda: None, lambda: None), "send")
    yield "scanned document", scan


def misfit(dialog: QDialog, button: QWidget, free: QRect) -> str:
    """What of the dialog is off the free area of the screen, or "" when it is all on it."""
    frame = dialog.frameGeometry()
    said = []
    if not free.contains(frame):
        said.append(f"its frame {frame.width()}x{frame.height()} at "
                    f"({frame.x()}, {frame.y()}) (at least "
                    f"{dialog.minimumSizeHint().height()} tall)")
    place = QRect(button.mapToGlobal(QPoint(0, 0)), button.size())
    if not button.isVisible() or not free.contains(place):
        named = button.text() if isinstance(button, QAbstractButton) else type(button).__name__
        said.append(f"its button {named!r} at ({place.x()}, {place.y()})")
    return " and ".join(said)


@pytest.mark.parametrize("code", ["en", "de", "ru", "zh_CN", "zh_TW"])
def test_every_dialog_opens_on_a_small_screen_with_its_buttons(qtbot, open_window,
                                                               demo_books, monkeypatch, code):
    """On a 1024 x 640 screen each dialog opens within the free area, its accepting button
    on it; what does not fit scrolls above the buttons."""
    translate.use(translate.Language(code, translate.format_locale(code, "en_US")))
    try:
        window = open_window(demo_books)
        monkeypatch.setattr(window, "screen", SmallScreen)
        window.resize(*SMALL)
        window.move(0, 0)
        settle(window)
        free = SmallScreen().availableGeometry()
        off = []
        for name, opened in the_dialogs(window, demo_books):
            dialog, button = opened()
            qtbot.waitUntil(dialog.isVisible)
            settle(window)
            QGuiApplication.processEvents()
            if said := misfit(dialog, button, free):
                off.append(f"{name}: {said}")
            dialog.done(QDialog.DialogCode.Rejected)
        assert not off, "\n".join(off)
    finally:
        translate.use(translate.Language("en", "en_US"))


def in_view(widget: QWidget, area: QScrollArea) -> bool:
    viewport = area.viewport()
    return viewport.rect().contains(QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size()))


def test_on_a_small_screen_the_customer_form_scrolls_its_fields_to_a_refusal(
        qtbot, open_window, ready_books, monkeypatch):
    """The fields scroll above the buttons; a refused contact, far down, is scrolled into
    view with its message."""
    window = open_window(ready_books)
    window.resize(*SMALL)
    monkeypatch.setattr(window, "screen", SmallScreen)
    form = CustomerForm(window.ctx)
    form.open()
    qtbot.waitUntil(form.ok_button.isEnabled)
    bar = form.fields.verticalScrollBar()
    assert bar.isVisible() and bar.value() == 0
    form.name.setText("Fischer Elektrotechnik e.K.")
    form.contacts.add("billing", "Hans-Peter Schneider", "not-an-email")
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(form.contact_error.isVisible, timeout=10_000)
    qtbot.waitUntil(lambda: in_view(form.contact_error, form.fields))
    assert in_view(form.contacts, form.fields) and bar.value() > 0
    assert SmallScreen().availableGeometry().contains(form.frameGeometry())
    form.close()


def test_a_refusal_grows_a_form_the_screen_has_room_for(qtbot, open_window, demo_books):
    """The line a refusal adds makes the dialog taller; its fields do not scroll."""
    window = open_window(demo_books)
    [overdue] = invoices.list_invoices(demo_books, invoices.InvoiceQuery(overdue_on=TODAY),
                                       limit=1)
    dialog = PromiseDialog(window.ctx, overdue)
    dialog.open()
    qtbot.waitUntil(dialog.isVisible)
    height = dialog.height()
    dialog.amount.setText("999999")  # more than is open
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    error = dialog.amount.parentWidget().findChild(type(dialog.banner))
    qtbot.waitUntil(error.isVisible, timeout=10_000)
    qtbot.waitUntil(lambda: dialog.height() > height)
    qtbot.waitUntil(lambda: not dialog.fields.verticalScrollBar().isVisible())
    dialog.close()


def test_a_status_message_or_long_work_does_not_move_the_page(window):
    window.resize(*SMALL)
    window.go("invoices")
    settle(window)
    QGuiApplication.processEvents()
    before = window.stack.geometry()
    window.say("Backup written to a folder with a long name: "
               "/home/someone/.local/share/PaidUp/backups/paidup-2026-11-23.sqlite3.")
    QGuiApplication.processEvents()
    assert window.stack.geometry() == before
    window.statusBar().clearMessage()
    window.progress.show_work(LongWork(1, "Sending", 1, 3, ""))
    QGuiApplication.processEvents()
    assert window.stack.geometry() == before
    window.progress.show_work(None)


def test_each_page_in_the_sidebar_has_its_drawing(window):
    for row, _key in enumerate(PAGES):
        icon = window.sidebar.item(row).icon()
        assert not icon.isNull()
        image = icon.pixmap(20, 20).toImage()
        text = window.palette().color(QPalette.ColorRole.WindowText)
        assert any(image.pixelColor(x, y).alpha() and image.pixelColor(x, y).rgb() == text.rgb()
                   for x in range(20) for y in range(20))


def test_the_window_follows_the_systems_dark_mode(qapp, window):
    hints = qapp.styleHints()
    theme.follow_color_scheme(qapp)
    try:
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # as the desktop does
        QGuiApplication.processEvents()
        assert theme.is_dark(qapp.palette()) and theme.is_dark(window.palette())
        assert window.books_label.colour() == theme.muted_color()  # notes re-tinted
        icon = window.sidebar.item(0).icon().pixmap(20, 20).toImage()
        drawn = {icon.pixelColor(x, y).rgb() for x in range(20) for y in range(20)
                 if icon.pixelColor(x, y).alpha() == 255}
        assert drawn == {qapp.palette().color(QPalette.ColorRole.WindowText).rgb()}
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
        QGuiApplication.processEvents()
        assert not theme.is_dark(qapp.palette())
    finally:
        qapp.setPalette(QPalette())
        hints.colorSchemeChanged.disconnect()


def test_the_status_line_names_the_books_not_their_path(window, books_file):
    assert window.books_label.text() == f"Books: {books_file.stem}"
    assert str(books_file.parent) not in window.books_label.text()

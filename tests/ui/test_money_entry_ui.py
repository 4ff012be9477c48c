"""Money typed into the window (issue 18): more than is open is asked about before it
becomes credit; a booked payment is reversed from the Payments page or undone from the Edit
menu; the Invoice menu has the credit note the issue dialog promises."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QInputDialog, QMessageBox
from shiboken6 import isValid

from desktop_app.services import activity, invoices, payments
from desktop_app.ui.dialogs.invoice_actions import PaymentDialog
from desktop_app.ui.pages.payments import PaymentsPage
from tests.support.books import ISSUE, draft
from tests.ui.conftest import find_dialog, settle

LEFT = Qt.MouseButton.LeftButton


def closed(dialog) -> bool:
    return not isValid(dialog) or not dialog.isVisible()


def issued(books) -> int:
    inv = draft(books, "Work|1|1593.00|19")  # 1,895.67
    invoices.issue_invoice(books, inv, ISSUE)
    return inv


def pay_in_dialog(qtbot, window, books, inv: int, amount: str) -> PaymentDialog:
    [row] = invoices.invoice_rows(books, [inv])
    dialog = PaymentDialog(window.ctx, row)
    dialog.open()
    dialog.amount.setText(amount)
    qtbot.mouseClick(dialog.ok_button, LEFT)
    return dialog


def the_question(qtbot, dialog: PaymentDialog) -> QMessageBox:
    qtbot.waitUntil(lambda: dialog.ask is not None and dialog.ask.isVisible())
    assert dialog.ask is not None
    return dialog.ask


def test_more_than_is_open_is_asked_before_it_becomes_credit(qtbot, window, ready_books):
    inv = issued(ready_books)
    dialog = pay_in_dialog(qtbot, window, ready_books, inv, "5000")
    ask = the_question(qtbot, dialog)
    assert "3,104.33" in ask.text() and "1,895.67" in ask.text()
    change, = [b for b in ask.buttons() if b.text() == "Change the amount"]
    qtbot.mouseClick(change, LEFT)
    settle(window)
    assert dialog.isVisible() and payments.count_payments(ready_books) == 0
    qtbot.mouseClick(dialog.ok_button, LEFT)
    ask = the_question(qtbot, dialog)
    book, = [b for b in ask.buttons() if b.text().startswith("Book")]
    qtbot.mouseClick(book, LEFT)
    qtbot.waitUntil(lambda: closed(dialog))
    settle(window)
    assert invoices.show_invoice(ready_books, inv).balance == Decimal("0.00")
    assert "3,104.33" in window.statusBar().currentMessage()


def test_an_exact_payment_is_booked_without_a_question(qtbot, window, ready_books):
    inv = issued(ready_books)
    dialog = pay_in_dialog(qtbot, window, ready_books, inv, "1895.67")
    qtbot.waitUntil(lambda: closed(dialog))
    assert dialog.ask is None and payments.count_payments(ready_books) == 1


def test_the_last_payment_is_undone_from_the_edit_menu(qtbot, window, ready_books):
    inv = issued(ready_books)
    assert not window.undo.isEnabled()
    dialog = pay_in_dialog(qtbot, window, ready_books, inv, "1000")
    qtbot.waitUntil(lambda: closed(dialog))
    settle(window)
    qtbot.waitUntil(window.undo.isEnabled)
    assert window.undo.text().startswith("Undo the payment of")
    window.undo.trigger()
    settle(window)
    assert invoices.show_invoice(ready_books, inv).balance == Decimal("1895.67")
    assert not window.undo.isEnabled()
    summaries = [e.summary for e in activity.timeline(ready_books, 1)]
    assert "reversed" in summaries[0] and any("received" in s for s in summaries)


def test_a_payment_is_reversed_from_the_payments_page(qtbot, window, ready_books):
    inv = issued(ready_books)
    payments.record_payment(ready_books, payments.PaymentInput(inv, "500", ISSUE))
    window.go("payments")
    page = window.pages["payments"]
    assert isinstance(page, PaymentsPage)
    settle(window)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert not page.reverse.isEnabled()
    page.view.selectRow(0)
    assert page.reverse.isEnabled()
    qtbot.mouseClick(page.reverse, LEFT)
    asking = find_dialog(qtbot, QInputDialog)
    asking.setTextValue("booked twice")
    asking.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    settle(window)
    qtbot.waitUntil(lambda: payments.count_payments(ready_books) == 0)
    assert invoices.show_invoice(ready_books, inv).balance == Decimal("1895.67")
    assert "booked twice" in activity.timeline(ready_books, 1)[0].summary


def test_the_invoice_menu_offers_a_credit_note(window):
    texts = [a.text() for a in window.invoice_menu.actions()]
    assert any(t.startswith("Credit note") for t in texts)

"""Confirming an invoice arrived from Today: the question goes out three days after the
invoice (its row reads "Did it arrive?"), then the invoice waits on Today until the customer
says yes; one click on Received records it and the row leaves."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt

from desktop_app.services import customers, invoices, mail, receipts
from desktop_app.services.books import open_books
from desktop_app.services.followup import run as followup
from desktop_app.ui.dialogs.customer_form import CustomerForm
from desktop_app.ui.dialogs.invoice_actions import ReceiptDialog
from tests.support.books import draft, fixed_clock, make_ready
from tests.ui.conftest import find_dialog, settle, trigger
from tests.ui.test_invoices_ui import select_invoice
from tests.ui.test_today_ui import Calendar, click_action, rows_for, show_day

ISSUED = date(2026, 9, 1)


def test_one_click_on_received_records_who_when_and_how(qtbot, open_window, books_file):
    books = make_ready(open_books(books_file, actor="tester", clock=fixed_clock))
    customers.add_customer(books, credit_granted=True, name="Acme Plumbing Ltd",
                           email="accounts@acme.example",
                           terms="Net 30", contacts=["billing:Priya Shah:priya@acme.example"])
    mail.set_account(books, host="127.0.0.1", port=2525, security="plain", user="billing",
                     from_address="billing@lindenhof.example")
    invoice_id = draft(books, "Copper pipe|40|7.35|20", customer_id=2)
    invoices.issue_invoice(books, invoice_id, ISSUED)
    followup.run_day(books, ISSUED)  # the invoice goes out (queued)
    calendar = Calendar(ISSUED + timedelta(days=3))
    window = open_window(books, today=calendar)
    settle(window)

    page = show_day(qtbot, window, calendar, ISSUED + timedelta(days=3))
    (question,) = rows_for(page, "emails", "Acme Plumbing Ltd")
    assert question.stage == "receipt"
    model = page.groups["emails"].model
    assert "Did it arrive?" in [model.data(model.index(0, c)) for c in range(7)]
    followup.run_day(books, calendar.day)  # the question is queued

    page = show_day(qtbot, window, calendar, ISSUED + timedelta(days=5))
    (row,) = rows_for(page, "receipts", "Acme Plumbing Ltd")
    assert page.groups["receipts"].isVisible()
    assert "to confirm as received" in page.summary.text()
    click_action(qtbot, page, "receipts", row)
    qtbot.waitUntil(lambda: not rows_for(page, "receipts", "Acme Plumbing Ltd"),
                    timeout=20_000)
    settle(window)
    confirmed = receipts.receipt_of(books, invoice_id)
    assert confirmed is not None
    assert (confirmed.received_on, confirmed.received_by, confirmed.via) == (
        ISSUED + timedelta(days=5), "Priya Shah", "email")
    assert not page.groups["receipts"].isVisible()


def test_the_customer_form_says_how_the_customer_is_asked(qtbot, window, ready_books):
    window.go("customers")
    page = window.pages["customers"]
    qtbot.waitUntil(lambda: page.current() is not None, timeout=10_000)
    qtbot.mouseClick(page.detail.edit, Qt.MouseButton.LeftButton)
    form = find_dialog(qtbot, CustomerForm)
    qtbot.waitUntil(form.ok_button.isEnabled)
    assert form.read_receipt.currentData() == "account"
    assert not form.receipt_by_call.isChecked()
    form.read_receipt.setCurrentIndex(form.read_receipt.findData("on"))
    form.receipt_by_call.setChecked(True)
    with qtbot.waitSignal(form.finished, timeout=10_000):
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    settle(window)
    assert receipts.asking_of(ready_books, 1) == receipts.ReceiptAsking(1, True, True)

    qtbot.mouseClick(page.detail.edit, Qt.MouseButton.LeftButton)
    again = find_dialog(qtbot, CustomerForm)
    qtbot.waitUntil(lambda: again.receipt_by_call.isChecked(), timeout=10_000)
    assert again.read_receipt.currentData() == "on"
    again.reject()


def test_record_receipt_on_the_invoice_page_and_the_page_shows_it(qtbot, open_window,
                                                                  ready_books):
    customers.add_customer(ready_books, credit_granted=True, name="Acme Plumbing Ltd",
                           terms="Net 30", contacts=["billing:Priya Shah:priya@acme.example"])
    invoice_id = draft(ready_books, "Copper pipe|40|7.35|20", customer_id=2)
    issued = invoices.issue_invoice(ready_books, invoice_id, ISSUED)
    window = open_window(ready_books, today=ISSUED + timedelta(days=6))
    window.go("invoices")
    select_invoice(qtbot, window, issued.number)
    page = window.pages["invoices"]
    assert page.detail.received.text() == "Not confirmed yet"
    trigger(qtbot, page.act["record_receipt"])
    form = find_dialog(qtbot, ReceiptDialog)
    qtbot.waitUntil(lambda: form.by.text() == "Priya Shah", timeout=10_000)  # billing
    assert form.date.date().toPython() == ISSUED + timedelta(days=6)  # the window's day
    form.date.setDate(ISSUED - timedelta(days=1))
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not form.busy, timeout=10_000)
    assert form.isVisible()  # before the invoice was issued: refused beside the date
    assert receipts.receipt_of(ready_books, invoice_id) is None
    form.date.setDate(ISSUED + timedelta(days=4))
    form.by.setText("Tom Baker")
    form.via.setCurrentIndex(form.via.findData("phone"))
    with qtbot.waitSignal(form.finished, timeout=10_000):
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    confirmed = receipts.receipt_of(ready_books, invoice_id)
    assert confirmed is not None and (confirmed.received_on, confirmed.received_by,
                                      confirmed.via) == (ISSUED + timedelta(days=4),
                                                         "Tom Baker", "phone")
    qtbot.waitUntil(lambda: page.detail.received.text() == "Sep 5, 2026, confirmed by Tom "
                    "Baker (by phone)", timeout=10_000)
    assert not page.act["record_receipt"].isEnabled()  # once per invoice

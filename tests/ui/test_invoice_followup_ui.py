"""What is done to an overdue invoice, through the window: dispute and release, a payment
plan previewed live and agreed (its agreement opens), a write-off, the dossier; and the
customer's activity, note and follow-up policy."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from PySide6.QtCore import QPoint, Qt

from desktop_app.services import activity, customers, invoices
from desktop_app.services.followup import today
from desktop_app.ui.dialogs.customer_form import NoteDialog
from desktop_app.ui.dialogs.invoice_actions import HoldDialog, ReleaseDialog, WriteOffDialog
from desktop_app.ui.dialogs.payment_plan import PaymentPlanDialog
from desktop_app.ui.dialogs.pdf_preview import PdfPreview
from desktop_app.ui.ops import Changes
from tests.support.books import ISSUE, draft
from tests.ui.conftest import TODAY, find_dialog, settle, trigger
from tests.ui.test_invoices_ui import select_invoice


def overdue(books, window) -> int:
    """An invoice 10 days overdue, made behind the window's back; the window reloads."""
    inv = draft(books, "Consulting|10|100.00|0")
    invoices.issue_invoice(books, inv, ISSUE - timedelta(days=40))
    window.ops.changed.emit(Changes.ALL)
    return inv


def test_dispute_then_release_through_the_more_menu(qtbot, window, ready_books):
    inv = overdue(ready_books, window)
    select_invoice(qtbot, window, "INV-2026-0001")
    page = window.pages["invoices"]
    assert page.act["hold"].isEnabled() and not page.act["release"].isEnabled()
    trigger(qtbot, page.act["hold"])
    hold = find_dialog(qtbot, HoldDialog)
    qtbot.keyClicks(hold.reason, "Two pipes arrived damaged")
    with qtbot.waitSignal(hold.finished, timeout=10_000):
        qtbot.mouseClick(hold.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.detail.view is not None and page.detail.view.hold == "dispute",
                    timeout=10_000)
    assert "disputed: no reminders" in page.detail.subtitle.text()
    qtbot.waitUntil(lambda: page.act["release"].isEnabled(), timeout=10_000)
    assert not page.act["hold"].isEnabled()
    assert not [r for r in today.today(ready_books, TODAY).letters if inv in r.invoice_ids]

    trigger(qtbot, page.act["release"])
    release = find_dialog(qtbot, ReleaseDialog)
    qtbot.keyClicks(release.resolution, "Replaced the pipes")
    with qtbot.waitSignal(release.finished, timeout=10_000):
        qtbot.mouseClick(release.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.detail.view.hold == "", timeout=10_000)
    assert [r for r in today.today(ready_books, TODAY).letters if inv in r.invoice_ids]


def test_a_payment_plan_previewed_live_then_agreed_opens_its_agreement(qtbot, window,
                                                                         ready_books):
    overdue(ready_books, window)
    select_invoice(qtbot, window, "INV-2026-0001")
    page = window.pages["invoices"]
    trigger(qtbot, page.act["plan"])
    dialog = find_dialog(qtbot, PaymentPlanDialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 3, timeout=10_000)
    dialog.count.setValue(4)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 4, timeout=10_000)
    assert [dialog.table.item(r, 2).text() for r in range(4)] == ["€250.00"] * 4

    dialog.split.setChecked(True)
    dialog.shares.setText("60/30")  # not 100 %
    schedule_error = dialog.shares.parentWidget().parentWidget().findChild(
        type(dialog.banner))
    qtbot.waitUntil(schedule_error.isVisible, timeout=10_000)
    assert "100" in schedule_error.text()
    dialog.shares.setText("60/40")
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2 and not schedule_error.isVisible(),
                    timeout=10_000)
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    agreement = find_dialog(qtbot, PdfPreview)
    words = agreement.document.getAllText(0).text()
    assert "INV-2026-0001" in words and "600,00" in words  # Müller reads German
    agreement.close()
    qtbot.waitUntil(lambda: page.detail.view is not None and page.detail.view.plan == "active",
                    timeout=10_000)
    assert "on a payment plan" in page.detail.subtitle.text()
    assert not page.act["plan"].isEnabled()


def test_write_off_and_the_dossier(qtbot, window, ready_books):
    inv = overdue(ready_books, window)
    select_invoice(qtbot, window, "INV-2026-0001")
    page = window.pages["invoices"]
    trigger(qtbot, page.act["write_off"])
    dialog = find_dialog(qtbot, WriteOffDialog)
    qtbot.keyClicks(dialog.amount, "1500.00")
    qtbot.keyClicks(dialog.reason, "Customer insolvent")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    amount_error = dialog.amount.parentWidget().findChild(type(dialog.banner))
    qtbot.waitUntil(amount_error.isVisible, timeout=10_000)
    assert amount_error.text().startswith("Is more than the open")
    dialog.amount.setText("400.00")
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.detail.view is not None
                    and page.detail.view.written_off == Decimal("400.00"), timeout=10_000)
    assert "€400.00 written off" in page.detail.subtitle.text()
    assert invoices.show_invoice(ready_books, inv).balance == Decimal("600.00")

    trigger(qtbot, page.act["dossier"])
    dossier = find_dialog(qtbot, PdfPreview)
    assert dossier.document.pageCount() >= 2
    assert "INV-2026-0001" in dossier.document.getAllText(0).text()


def test_the_customer_shows_its_activity_takes_a_note_and_can_be_exempt(qtbot, window,
                                                                          ready_books):
    overdue(ready_books, window)
    window.go("customers")
    page = window.pages["customers"]
    qtbot.waitUntil(lambda: page.detail.data is not None, timeout=10_000)
    settle(window)
    timeline = page.detail.timeline
    assert timeline.rowCount() == 1 and timeline.item(0, 2).text() == "PDF"
    timeline.cellDoubleClicked.emit(0, 3)  # the invoice as it was issued
    issued = find_dialog(qtbot, PdfPreview)
    assert "INV-2026-0001" in issued.document.getAllText(0).text()
    issued.close()

    qtbot.mouseClick(page.detail.add_note, Qt.MouseButton.LeftButton)
    note = find_dialog(qtbot, NoteDialog)
    note.kind.setCurrentIndex(note.kind.findData("visit"))
    qtbot.keyClicks(note.note, "Met the owner at the trade fair")
    with qtbot.waitSignal(note.finished, timeout=10_000):
        qtbot.mouseClick(note.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: timeline.rowCount() == 2, timeout=10_000)
    assert (timeline.item(0, 1).text(), timeline.item(0, 3).text()) == (
        "Visit", "Met the owner at the trade fair")
    assert activity.timeline(ready_books, 1)[0].kind == "visit"

    assert today.today(ready_books, TODAY).letters
    box = page.detail.exempt  # clicked on its square, as a person does
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(6, box.height() // 2))
    qtbot.waitUntil(lambda: customers.show_customer(ready_books, 1).exempt, timeout=10_000)
    settle(window)
    assert not page.detail.policy.isEnabled()
    assert today.today(ready_books, TODAY).letters == ()

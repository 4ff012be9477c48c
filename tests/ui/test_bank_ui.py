"""The Bank tab of Payments, driven through its widgets: a statement dropped on it imports in
the background, the review list gives each reason, one click books the sure proposals, and
Today's decision row leads there."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from desktop_app.services import bank, customers, invoices
from desktop_app.services.followup.today import today as todays_list
from desktop_app.ui import translate
from desktop_app.ui.models.today_list import Column as TodayColumn
from desktop_app.ui.models.today_list import TodayModel
from desktop_app.ui.pages.bank import (
    BankPanel,
    Column,
    CsvProfileDialog,
    SplitDialog,
    TransactionModel,
)
from tests.support import statements as files
from tests.support.books import ISSUE, draft
from tests.support.statements import Transfer
from tests.ui.conftest import find_dialog

PAID_ON = date(2026, 11, 20)


def billed(books):
    customers.add_customer(books, credit_granted=True,
                           name="Schmidt KG", email="ap@schmidt.example",
                           terms="Net 30")
    for net, customer in (("950.00", 1), ("300.00", 1), ("100.00", 2)):
        invoices.issue_invoice(books, draft(books, f"Arbeit|1|{net}|19",
                                            customer_id=customer), ISSUE)
    return books


def statement(books) -> bytes:
    ref = invoices.show_invoice(books, 1).payment_reference.replace(" ", "")
    return files.zipped({"camt053.xml": files.camt([
        Transfer("1130.50", PAID_ON, ref=ref),
        Transfer("357.00", PAID_ON, iban="DE02120300000000202051", text="Danke",
                 bank_ref="SAME-ACCOUNT"),
        Transfer("60.00", PAID_ON, name="Schmidt KG", iban="", text="INV-2026-0003 Teil"),
        Transfer("15.00", PAID_ON, name="Unbekannt", iban="", text="?"),
    ])})


def bank_panel(window) -> BankPanel:
    window.go("payments", tab="bank")
    window.ops.wait_idle()
    return window.current_page().bank


def drop(panel: BankPanel, path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(QPoint(10, 10)), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    panel.dropEvent(event)


def reasons(panel: BankPanel) -> dict[str, str]:
    model = panel.model
    return {model.index(r, Column.FROM).data(): model.index(r, Column.REASON).data()
            for r in range(model.rowCount())}


def test_a_dropped_statement_is_booked_and_the_rest_reviewed(qtbot, open_window, ready_books,
                                                             tmp_path):
    books = billed(ready_books)
    window = open_window(books)
    panel = bank_panel(window)
    assert "Drop the bank's statement here" in panel.hint.text()
    path = tmp_path / "november.zip"
    path.write_bytes(statement(books))
    drop(panel, path)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 3 and not panel.importing,
                    timeout=20_000)
    window.ops.wait_idle()
    shown = reasons(panel)
    assert "pays 60.00 of 119.00 open" in shown["Schmidt KG"]
    assert "no reference, invoice number or known account" in shown["Unbekannt"]
    assert "the payer's account is Müller" in shown["Müller & Söhne GmbH"]
    assert panel.accept_all.text() == "Accept all sure (2)"
    if os.environ.get("PAIDUP_SHOTS"):
        window.grab().save(str(Path(os.environ["PAIDUP_SHOTS"]) / "bank-tab.png"))

    qtbot.mouseClick(panel.accept_all, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=20_000)
    assert invoices.show_invoice(books, 2).status == "paid"
    assert invoices.show_invoice(books, 3).balance == 59

    panel.view.selectRow(0)
    qtbot.mouseClick(panel.ignore, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=10_000)
    assert "Nothing waits" in panel.hint.text()
    assert bank.count_waiting(books) == 0


def drop_on(widget, *paths: Path) -> None:
    """Files dropped on a widget (the event does not own the data: it lives until here)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    widget.dropEvent(QDropEvent(QPointF(QPoint(10, 10)), Qt.DropAction.CopyAction, mime,
                                Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier))


def test_a_statement_dropped_on_any_page_is_imported_on_the_bank_tab(qtbot, open_window,
                                                                      ready_books, tmp_path):
    books = billed(ready_books)
    window = open_window(books)
    assert window.current_page().key == "invoices"
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(b"%PDF-1.4")
    drop_on(window, letter)  # not a statement: the window stays put
    assert window.current_page().key == "invoices" and bank.list_transactions(books) == []

    path = tmp_path / "November.ZIP"
    path.write_bytes(statement(books))
    drop_on(window, letter, path)
    panel = window.current_page().bank
    assert window.current_page().tabs.currentWidget() is panel
    qtbot.waitUntil(lambda: panel.model.rowCount() == 3 and not panel.importing,
                    timeout=20_000)
    window.ops.wait_idle()
    assert invoices.show_invoice(books, 1).status == "paid"
    assert "1 booked, 3 waiting" in window.statusBar().currentMessage()


def test_today_leads_to_the_waiting_transfers_and_a_split_books_them(qtbot, open_window,
                                                                      ready_books):
    books = billed(ready_books)
    bank.import_statement(books, files.camt([Transfer("500.00", PAID_ON, name="Sammler",
                                                      iban="", text="Sammelzahlung")]), "a.xml")
    window = open_window(books)
    window.go("today")
    window.ops.wait_idle()
    today = window.current_page()
    [row] = [r for r in today.groups["decisions"].model.rows() if r.kind == "bank_transfer"]
    today.act(row)
    window.ops.wait_idle()
    panel = window.current_page().bank
    assert panel.isVisible() and panel.model.rowCount() == 1
    panel.view.selectRow(0)
    qtbot.mouseClick(panel.book_on, Qt.MouseButton.LeftButton)
    dialog = find_dialog(qtbot, SplitDialog)
    rows = invoices.invoice_rows(books, [1, 2])
    dialog.lines[0][0].set_row(rows[0])
    dialog.lines[0][1].setText("400.00")
    dialog.lines[1][0].set_row(rows[1])
    dialog.submit()
    window.ops.wait_idle()
    assert [invoices.show_invoice(books, i).balance for i in (1, 2)] == [730.50, 257]


def test_a_csv_without_a_profile_asks_for_one_and_remembers_it(qtbot, open_window,
                                                               ready_books, tmp_path):
    books = billed(ready_books)
    window = open_window(books)
    panel = bank_panel(window)
    path = tmp_path / "umsatz.csv"
    path.write_bytes("Datum;Text;Betrag\n20.11.2026;RE INV-2026-0002;357,00\n".encode("cp1252"))
    drop(panel, path)
    dialog = find_dialog(qtbot, CsvProfileDialog)
    assert dialog.columns["date"].currentData() == "Datum"
    assert dialog.columns["amount"].currentData() == "Betrag"
    assert dialog.columns["remittance"].currentData() == "Text"
    dialog.name.setText("Hausbank")
    dialog.submit()
    qtbot.waitUntil(lambda: invoices.show_invoice(books, 2).status == "paid", timeout=20_000)
    again = tmp_path / "umsatz2.csv"
    again.write_bytes("Datum;Text;Betrag\n21.11.2026;RE INV-2026-0003;119,00\n".encode("cp1252"))
    drop(panel, again)  # the saved profile is found by the file's columns
    qtbot.waitUntil(lambda: invoices.show_invoice(books, 3).status == "paid", timeout=20_000)


def test_a_booked_transfer_is_reversed_from_the_full_list(qtbot, open_window, ready_books):
    books = billed(ready_books)
    bank.import_statement(books, files.camt([Transfer("357.00", PAID_ON,
                                                      text="INV-2026-0002")]), "a.xml")
    assert invoices.show_invoice(books, 2).status == "paid"
    window = open_window(books)
    panel = bank_panel(window)
    panel.filter.setCurrentIndex(panel.filter.findData("all"))
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=10_000)
    panel.view.selectRow(0)
    assert panel.reverse.isEnabled() and not panel.accept_one.isEnabled()
    qtbot.mouseClick(panel.reverse, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1
                    and panel.model.row_at(0).status == "waiting", timeout=10_000)
    assert invoices.show_invoice(books, 2).status == "issued"
    assert "the booking was reversed" in panel.model.index(0, Column.REASON).data()


def speak(code: str) -> None:
    translate.use(translate.Language(code, translate.format_locale(code, "en_US")))


def test_the_reasons_read_in_the_windows_language_with_its_numbers(qtbot, ready_books):
    """The import keeps each reason as a message: the Bank page and Today's decision rows
    say it in German (or Chinese), the amounts as the locale writes numbers and a refusal
    nested inside with its field named; the services and the CLI keep the English."""
    books = billed(ready_books)
    bank.import_statement(books, files.camt([
        Transfer("1000.00", PAID_ON, name="Schmidt KG", iban="", text="INV-2026-0001"),
        Transfer("357.00", date(2026, 10, 30), name="Früh GmbH", iban="", text="INV-2026-0002"),
    ]), "november.xml")
    english = {tx.counterparty: tx.reason for tx in bank.list_transactions(books)}
    assert english == {
        "Schmidt KG": "the invoice number INV-2026-0001: pays 1000.00 of 1130.50 open",
        "Früh GmbH": "the invoice number INV-2026-0002, the amount open exactly; not booked: "
                     "date: a payment cannot predate the invoice's issue date"}
    model = TransactionModel()
    try:
        speak("de")
        model.set_rows(bank.list_transactions(books))
        shown = reasons_of(model)
        assert shown == {
            "Schmidt KG": "die Rechnungsnummer INV-2026-0001: zahlt 1.000,00 der offenen "
                          "1.130,50",
            "Früh GmbH": "die Rechnungsnummer INV-2026-0002, genau der offene Betrag; nicht "
                         "gebucht: Datum: eine Zahlung kann nicht vor dem Rechnungsdatum "
                         "liegen"}
        rows = [r for r in todays_list(books, date(2026, 12, 7)).decisions
                if r.kind == "bank_transfer"]
        notes = TodayModel()
        notes.set_rows(rows)
        assert {notes.data(notes.index(i, TodayColumn.NOTE)) for i in range(len(rows))} == \
            set(shown.values())
        assert {r.detail for r in rows} == set(english.values())  # the English kept
        speak("zh_CN")
        assert reasons_of(model)["Früh GmbH"] == ("发票号码 INV-2026-0002，金额恰好等于未结金额；"
                                                  "未入账：日期：付款日期不能早于发票的开票日期")
    finally:
        speak("en")
    assert reasons_of(model) == {  # the English window writes numbers as en_US does
        **english, "Schmidt KG": "the invoice number INV-2026-0001: pays 1,000.00 of 1,130.50 "
                                 "open"}


def reasons_of(model: TransactionModel) -> dict[str, str]:
    return {model.index(r, Column.FROM).data(): model.index(r, Column.REASON).data()
            for r in range(model.rowCount())}


def test_a_reason_kept_before_reasons_were_messages_shows_as_it_was(qtbot, ready_books):
    """A transfer stored without a message (before schema 0020, or a note a person typed)
    shows its English reason in any language."""
    from sqlalchemy import update

    from desktop_app.storage import tables

    books = billed(ready_books)
    bank.import_statement(books, files.camt([
        Transfer("15.00", PAID_ON, name="Unbekannt", iban="", text="?")]), "a.xml")
    with books.db.write() as session:
        session.execute(update(tables.bank_transactions).values(reason_message="",
                                                                reason_params=""))
    [tx] = bank.list_transactions(books)
    assert tx.said is None and tx.reason.startswith("no reference, invoice number")
    model = TransactionModel()
    try:
        speak("de")
        model.set_rows([tx])
        assert reasons_of(model) == {"Unbekannt": tx.reason}
    finally:
        speak("en")


def test_accepting_the_sure_ones_says_why_one_waits_in_the_windows_language(
        qtbot, open_window, ready_books):
    books = billed(ready_books)
    bank.import_statement(books, statement(books), "november.zip")
    invoices.void_invoice(books, 3, "typed twice", PAID_ON)  # its proposal can no longer book
    translate.use(translate.Language("de", "de_DE"))
    try:
        window = open_window(books)
        panel = bank_panel(window)
        qtbot.waitUntil(lambda: panel.model.rowCount() == 3, timeout=20_000)
        qtbot.mouseClick(panel.accept_all, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "gebucht" in window.statusBar().currentMessage(),
                        timeout=20_000)
        said = window.statusBar().currentMessage()
        assert said.startswith("1 Überweisung gebucht. 1 wartet auf Sie. Überweisung ")
        assert "INV-2026-0003" in said and "storniert" in said
    finally:
        translate.use(translate.Language("en", "en_US"))
    assert invoices.show_invoice(books, 2).status == "paid"

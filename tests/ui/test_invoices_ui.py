"""Invoices through the window: a draft from the editor, issued, previewed as a PDF, paid."""

from decimal import Decimal

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QMessageBox
from shiboken6 import isValid

from desktop_app.services import customers, invoices
from desktop_app.ui.dialogs.draft_editor import CUSTOM, MONTHLY, DraftEditor
from desktop_app.ui.dialogs.invoice_actions import (
    DeleteDraftDialog,
    IssueDialog,
    PaymentDialog,
    PromiseDialog,
    VoidDialog,
)
from desktop_app.ui.dialogs.pdf_preview import PdfPreview
from desktop_app.ui.models.invoice_list import Column
from tests.support.books import ISSUE, draft
from tests.ui.conftest import find_dialog, settle, trigger


def new_draft(qtbot, window) -> DraftEditor:
    window.go("invoices")
    window.common["new_invoice"].trigger()
    editor = find_dialog(qtbot, DraftEditor)
    qtbot.waitUntil(editor.save_button.isEnabled, timeout=10_000)
    return editor


def type_line(editor: DraftEditor, row: int, *cells: str) -> None:
    for col, value in enumerate(cells):
        editor.lines.item(row, col).setText(value)


def totals_shown(editor: DraftEditor) -> list[str]:
    return [w.text() for w in editor.findChildren(QLabel) if w.objectName().startswith("total-")
            and w.isVisible()]


def select_invoice(qtbot, window, number_or_id) -> None:
    page = window.pages["invoices"]
    settle(window)

    def row_of() -> int | None:
        for r in range(page.model.rowCount()):
            row = page.model.row_at(r)
            if row is not None and number_or_id in (row.number, row.id):
                return r
        return None

    qtbot.waitUntil(lambda: row_of() is not None, timeout=10_000)
    page.view.selectRow(row_of())
    qtbot.waitUntil(lambda: page.detail.isVisible() and page.detail.view is not None
                    and page.detail.view.id == page.selected_id()
                    and page.selected() is not None, timeout=10_000)


def test_draft_issue_preview_and_payment_through_the_window(qtbot, window, ready_books):
    editor = new_draft(qtbot, window)
    editor.customer.setCurrentIndex(editor.customer.findText("Müller & <Söhne>"))
    type_line(editor, 0, "Consulting", "10", "95.00", "19")
    type_line(editor, 1, "Manual", "3", "24.90", "7")
    assert editor.lines.rowCount() == 3  # always a blank row to type the next line into
    qtbot.waitUntil(lambda: "€1,210.43" in totals_shown(editor), timeout=5_000)
    assert totals_shown(editor) == ["€1,024.70", "€5.23", "€180.50", "€1,210.43"]
    assert editor.installments.rowCount() == 1
    assert editor.installments.item(0, 1).text() == "Dec 22, 2026"  # today + Net 30
    with qtbot.waitSignal(editor.finished, timeout=10_000):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)

    page = window.pages["invoices"]
    qtbot.waitUntil(lambda: page.selected() is not None and page.selected().status == "draft",
                    timeout=10_000)
    assert page.act["issue"].isEnabled() and not page.act["record_payment"].isEnabled()

    trigger(qtbot, page.act["issue"])
    issue = find_dialog(qtbot, IssueDialog)
    with qtbot.waitSignal(issue.finished, timeout=10_000):
        qtbot.mouseClick(issue.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.selected() is not None
                    and page.selected().number == "INV-2026-0001", timeout=10_000)
    row = page.view.selectionModel().selectedRows()[0].row()
    assert page.model.index(row, Column.STATUS).data() == "Issued"
    assert page.model.index(row, Column.BALANCE).data() == "€1,210.43"

    trigger(qtbot, page.act["preview"])
    preview = find_dialog(qtbot, PdfPreview)
    assert preview.document.pageCount() >= 1
    shown = preview.document.getAllText(0).text()
    assert "INV-2026-0001" in shown and "Müller & <Söhne>" in shown
    preview.close()

    window.common["record_payment"].trigger()
    pay = find_dialog(qtbot, PaymentDialog)
    assert pay.amount.text() == "1,210.43"
    pay.amount.setText("500.00")
    with qtbot.waitSignal(pay.finished, timeout=10_000):
        qtbot.mouseClick(pay.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.index(row, Column.BALANCE).data() == "€710.43",
                    timeout=10_000)
    assert page.model.index(row, Column.STATUS).data() == "Partly paid"
    qtbot.waitUntil(lambda: page.detail.view.balance == Decimal("710.43"), timeout=10_000)

    window.go("customers")
    customer_page = window.pages["customers"]
    qtbot.waitUntil(lambda: customer_page.detail.balance.text() == "€710.43", timeout=10_000)
    assert customers.show_customer(ready_books, 1).balance == Decimal("710.43")


def test_draft_refusal_points_at_the_cell_and_keeps_every_line(qtbot, window, ready_books):
    editor = new_draft(qtbot, window)
    editor.customer.setCurrentIndex(editor.customer.findText("Müller & <Söhne>"))
    type_line(editor, 0, "Consulting", "10", "95.00", "19")
    type_line(editor, 1, "Manual", "two", "24.90", "7")
    qtbot.waitUntil(editor.line_error.isVisible, timeout=5_000)  # the live preview says so
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.line_error.text().startswith("Line 2, Quantity"),
                    timeout=5_000)
    assert editor.line_error.text() == ("Line 2, Quantity: 'two' is not a number as written "
                                        "here (for example 1,234.56).")
    assert (editor.lines.currentRow(), editor.lines.currentColumn()) == (1, 1)
    assert [editor.lines.item(r, 1).text() for r in range(2)] == ["10", "two"]
    assert editor.isVisible()
    assert invoices.count_invoices(ready_books) == 0


def test_draft_refused_without_customer(qtbot, window):
    editor = new_draft(qtbot, window)
    type_line(editor, 0, "Consulting", "1", "95")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    customer_error = editor.customer.parentWidget().findChild(type(editor.banner))
    qtbot.waitUntil(customer_error.isVisible, timeout=5_000)
    assert customer_error.text() == "Choose a customer from the list."


def test_schedule_templates_preview_and_save(qtbot, window, ready_books):
    editor = new_draft(qtbot, window)
    editor.customer.setCurrentIndex(editor.customer.findText("Müller & <Söhne>"))
    type_line(editor, 0, "Build", "1", "1000.00", "0")
    editor.template.setCurrentIndex(MONTHLY)
    editor.months.setValue(4)
    qtbot.waitUntil(lambda: editor.installments.rowCount() == 4, timeout=5_000)
    assert [editor.installments.item(r, 2).text() for r in range(4)] == ["€250.00"] * 4

    editor.template.setCurrentIndex(CUSTOM)
    editor.custom.item(0, 0).setText("60")
    editor.custom.item(0, 1).setText("2026-12-01")
    editor.custom.item(1, 0).setText("30")
    editor.custom.item(1, 1).setText("2027-01-15")
    qtbot.waitUntil(lambda: editor.schedule_error.text() ==
                    "Shares add up to 90 %, not 100 %.", timeout=5_000)
    editor.custom.item(1, 0).setText("40")
    qtbot.waitUntil(lambda: editor.installments.rowCount() == 2
                    and not editor.schedule_error.isVisible(), timeout=5_000)
    assert [editor.installments.item(r, 2).text() for r in range(2)] == ["€600.00", "€400.00"]
    with qtbot.waitSignal(editor.finished, timeout=10_000):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    saved = invoices.show_invoice(ready_books, invoices.invoice_ids(ready_books)[0])
    assert saved.schedule == "custom:60@2026-12-01,40@2027-01-15"

    select_invoice(qtbot, window, saved.id)
    trigger(qtbot, window.pages["invoices"].act["edit_draft"])
    again = find_dialog(qtbot, DraftEditor)
    qtbot.waitUntil(again.save_button.isEnabled, timeout=10_000)
    assert again.template.currentData() == CUSTOM
    assert again.custom.item(1, 1).text() == "2027-01-15"
    assert again.lines.item(0, 0).text() == "Build"
    again.lines.item(0, 2).setText("1200.00")
    with qtbot.waitSignal(again.finished, timeout=10_000):
        qtbot.mouseClick(again.save_button, Qt.MouseButton.LeftButton)
    assert invoices.show_invoice(ready_books, saved.id).total == Decimal("1200.00")


def test_delete_draft(qtbot, window, ready_books):
    inv = draft(ready_books, "Work|1|10")
    window.refresh()
    select_invoice(qtbot, window, inv)
    trigger(qtbot, window.pages["invoices"].act["delete_draft"])
    dialog = find_dialog(qtbot, DeleteDraftDialog)
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.pages["invoices"].model.rowCount() == 0, timeout=10_000)
    assert invoices.count_invoices(ready_books) == 0


def test_promise_and_void(qtbot, window, ready_books):
    inv = draft(ready_books, "Work|1|100")
    invoices.issue_invoice(ready_books, inv, ISSUE)
    window.refresh()
    select_invoice(qtbot, window, "INV-2026-0001")
    page = window.pages["invoices"]

    assert page.act["promise"].isEnabled()
    trigger(qtbot, page.act["promise"])
    promise = find_dialog(qtbot, PromiseDialog)
    promise.amount.setText("250.00")  # more than is open
    qtbot.mouseClick(promise.ok_button, Qt.MouseButton.LeftButton)
    amount_error = promise.amount.parentWidget().findChild(type(promise.banner))
    qtbot.waitUntil(amount_error.isVisible, timeout=5_000)
    assert amount_error.text() == "Is more than the invoice's open balance."
    promise.amount.setText("60.00")
    with qtbot.waitSignal(promise.finished, timeout=10_000):
        qtbot.mouseClick(promise.ok_button, Qt.MouseButton.LeftButton)

    trigger(qtbot, page.act["void"])
    void = find_dialog(qtbot, VoidDialog)
    qtbot.mouseClick(void.ok_button, Qt.MouseButton.LeftButton)  # no reason given
    reason_error = void.reason.parentWidget().findChild(type(void.banner))
    qtbot.waitUntil(reason_error.isVisible, timeout=5_000)
    assert reason_error.text() == "Say why the invoice is voided."
    void.reason.setText("Order cancelled")
    with qtbot.waitSignal(void.finished, timeout=10_000):
        qtbot.mouseClick(void.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.selected() is not None and page.selected().status == "void",
                    timeout=10_000)
    assert not page.act["void"].isEnabled()
    assert invoices.show_invoice(ready_books, inv).status == "void"


def test_a_draft_with_its_supply_period_order_and_a_proposed_reverse_charge(qtbot, window,
                                                                            ready_books):
    from desktop_app.services import company

    company.set_company(ready_books, country="DE", vat_id="DE136695976")
    customers.amend_customer(ready_books, 1, vat_id="IE6310000F")
    editor = new_draft(qtbot, window)
    editor.customer.setCurrentIndex(editor.customer.findText("Müller & <Söhne>"))
    type_line(editor, 0, "Espresso machine service", "2", "95.00", "", "", "HUR")
    qtbot.waitUntil(lambda: "€190.00" in totals_shown(editor), timeout=5_000)
    assert totals_shown(editor) == ["€190.00", "€0.00", "€190.00"]  # reverse charge: no VAT
    editor.supply.setText("2026-10-01..2026-10-31")
    editor.order_reference.setText("PO-77")
    with qtbot.waitSignal(editor.finished, timeout=10_000):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    (draft_id,) = invoices.invoice_ids(ready_books)
    view = invoices.show_invoice(ready_books, draft_id)
    assert (view.period_start.isoformat(), view.period_end.isoformat(), view.order_reference) \
        == ("2026-10-01", "2026-10-31", "PO-77")
    assert [(line.unit, line.category) for line in view.lines] == [("HUR", "AE")]


def test_a_new_customers_first_invoice_is_due_on_receipt_and_issues(qtbot, window, ready_books):
    """A customer added without credit gets its invoice due on receipt, with the reason in
    the editor, and the invoice issues: no terms to set up first."""
    new = customers.add_customer(ready_books, name="Neukunde GmbH", terms="Net 30").id
    editor = new_draft(qtbot, window)
    editor.customer.setCurrentIndex(editor.customer.findData(new))
    type_line(editor, 0, "Montage", "1", "1000.00", "19")
    qtbot.waitUntil(lambda: "€1,190.00" in totals_shown(editor), timeout=5_000)
    assert editor.installments.item(0, 1).text() == "Nov 22, 2026"  # today: on receipt
    qtbot.waitUntil(lambda: "due on receipt until its credit is granted"
                    in editor.credit_flag.text(), timeout=5_000)
    with qtbot.waitSignal(editor.finished, timeout=10_000):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    page = window.pages["invoices"]
    qtbot.waitUntil(lambda: page.selected() is not None and page.selected().status == "draft",
                    timeout=10_000)
    trigger(qtbot, page.act["issue"])
    issue = find_dialog(qtbot, IssueDialog)
    with qtbot.waitSignal(issue.finished, timeout=10_000):
        qtbot.mouseClick(issue.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.selected() is not None and bool(page.selected().number),
                    timeout=10_000)
    shown = invoices.show_invoice(ready_books, page.selected().id)
    assert (shown.due_date, shown.terms) == (shown.issue_date, "Due on receipt")


def test_a_changed_draft_asks_before_it_closes_unsaved(qtbot, window, ready_books):
    editor = new_draft(qtbot, window)
    editor.reject()  # nothing typed: it closes without a question
    qtbot.waitUntil(lambda: not isValid(editor) or not editor.isVisible())
    assert editor.ask is None or not isValid(editor)

    editor = new_draft(qtbot, window)
    editor.customer.setCurrentIndex(0)
    type_line(editor, 0, "Boiler service", "1", "180")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: editor.ask is not None and editor.ask.isVisible())
    ask = editor.ask
    ask.button(QMessageBox.StandardButton.Cancel).click()
    assert editor.isVisible() and editor.lines.item(0, 0).text() == "Boiler service"
    editor.close()
    qtbot.waitUntil(lambda: editor.ask is not ask and editor.ask.isVisible())
    save, = [b for b in editor.ask.buttons() if b.text() == editor.save_button.text()]
    save.click()
    qtbot.waitUntil(lambda: not isValid(editor) or not editor.isVisible())
    [saved] = invoices.list_invoices(ready_books)
    assert saved.status == "draft"
    assert invoices.show_invoice(ready_books, saved.id).lines[0].description == "Boiler service"


def test_a_discarded_draft_is_not_saved(qtbot, window, ready_books):
    editor = new_draft(qtbot, window)
    editor.customer.setCurrentIndex(0)
    type_line(editor, 0, "Boiler service", "1", "180")
    editor.reject()
    qtbot.waitUntil(lambda: editor.ask is not None and editor.ask.isVisible())
    discard, = [b for b in editor.ask.buttons() if b.text() == "Discard"]
    discard.click()
    qtbot.waitUntil(lambda: not isValid(editor) or not editor.isVisible())
    assert invoices.list_invoices(ready_books) == []


def test_the_customer_header_sorts_names_as_people_look_them_up(qtbot, open_window,
                                                                ready_books):
    """A click on Customer lists "Bäckerei" before "Blue Harbor Café" and "Éclair" between
    "Dach" and "Fenster" (not after "z", as the bytes would); a second click turns it round."""
    for name in ("Fenster Glas", "Éclair", "Blue Harbor Café", "Dach", "Bäckerei Sonnenschein"):
        draft(ready_books, "Work|1|10.00",
              customer_id=customers.add_customer(ready_books, name=name).id)
    window = open_window(ready_books)
    window.go("invoices")
    page = window.pages["invoices"]
    header = page.view.horizontalHeader()
    expected = ["Bäckerei Sonnenschein", "Blue Harbor Café", "Dach", "Éclair", "Fenster Glas"]

    def shown() -> list[str]:
        return [page.model.index(r, Column.CUSTOMER).data() for r in
                range(page.model.rowCount())]

    for order in (expected, expected[::-1]):
        section = QPoint(header.sectionViewportPosition(Column.CUSTOMER) + 5,
                         header.height() // 2)
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=section)
        qtbot.waitUntil(lambda order=order: shown() == order, timeout=10_000)
    assert page.model.sort_key == "customer" and page.model.descending

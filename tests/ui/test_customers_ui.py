"""Customers through the window: add, edit, refusals beside the field, credit status,
statement preview."""

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QPushButton

from desktop_app.services import customers
from desktop_app.ui.dialogs.customer_form import CustomerForm
from desktop_app.ui.dialogs.pdf_preview import PdfPreview
from desktop_app.ui.models.customer_list import Column
from tests.ui.conftest import find_dialog, settle


def open_form(qtbot, window) -> CustomerForm:
    window.go("customers")
    settle(window)
    qtbot.mouseClick(window.pages["customers"].add, Qt.MouseButton.LeftButton)
    form = find_dialog(qtbot, CustomerForm)
    qtbot.waitUntil(form.ok_button.isEnabled)  # the terms list is in
    return form


def button(parent, label: str) -> QPushButton:
    return next(b for b in parent.findChildren(QPushButton) if b.text() == label)


def test_add_a_customer_with_contacts_through_the_form(qtbot, window, ready_books):
    form = open_form(qtbot, window)
    qtbot.keyClicks(form.name, "Acme Plumbing Ltd")
    qtbot.keyClicks(form.email, "accounts@acme.example")
    form.address.setPlainText("14 Harbour Road\nBristol BS1 5TT")
    form.terms.setCurrentIndex(form.terms.findText("Net 30"))
    qtbot.keyClicks(form.credit_limit, "2500.00")
    qtbot.mouseClick(button(form, "Add contact"), Qt.MouseButton.LeftButton)
    table = form.contacts.table
    role = table.cellWidget(0, 0)
    assert isinstance(role, QComboBox)
    role.setCurrentIndex(role.findData("executive"))
    table.item(0, 1).setText("Jane Boss")
    table.item(0, 2).setText("jane@acme.example")
    with qtbot.waitSignal(form.finished, timeout=10_000):
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)

    page = window.pages["customers"]
    qtbot.waitUntil(lambda: page.current() is not None
                    and page.current().name == "Acme Plumbing Ltd", timeout=10_000)
    names = [page.model.index(r, Column.NAME).data() for r in range(page.model.rowCount())]
    assert "Acme Plumbing Ltd" in names
    saved = next(c for c in customers.list_customers(ready_books) if c.name.startswith("Acme"))
    assert saved.terms == "Net 30" and saved.credit_limit == Decimal("2500.00")
    assert [(c.role, c.name) for c in saved.contacts] == [("billing", "Acme Plumbing Ltd"),
                                                          ("executive", "Jane Boss")]
    qtbot.waitUntil(lambda: "Jane Boss · jane@acme.example" in [
        w.text() for w in page.detail.findChildren(type(page.detail.email))], timeout=10_000)


def test_a_refusal_appears_beside_its_field_and_nothing_typed_is_lost(qtbot, window,
                                                                      ready_books):
    form = open_form(qtbot, window)
    qtbot.keyClicks(form.name, "Northwind Traders")
    qtbot.keyClicks(form.email, "not-an-address")
    form.address.setPlainText("300 Pine Street\nSeattle")
    qtbot.keyClicks(form.credit_limit, "1000")
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)

    email_error = form.email.parentWidget().findChild(type(form.banner))
    qtbot.waitUntil(email_error.isVisible, timeout=10_000)
    assert email_error.text() == "'not-an-address' is not an email address."
    assert form.isVisible() and form.ok_button.isEnabled()
    assert (form.name.text(), form.email.text(), form.address.toPlainText(),
            form.credit_limit.text()) == ("Northwind Traders", "not-an-address",
                                          "300 Pine Street\nSeattle", "1000")
    name_error = form.name.parentWidget().findChild(type(form.banner))
    assert not name_error.isVisible() and not form.banner.isVisible()
    assert [c.name for c in customers.list_customers(ready_books)] == ["Müller & <Söhne>"]

    form.email.setText("ap@northwind.example")
    with qtbot.waitSignal(form.finished, timeout=10_000):
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    assert len(customers.list_customers(ready_books)) == 2


def test_a_contact_refusal_points_at_its_row(qtbot, window):
    form = open_form(qtbot, window)
    form.name.setText("Blue Harbor Café")  # keyClicks takes ASCII only
    qtbot.mouseClick(button(form, "Add contact"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button(form, "Add contact"), Qt.MouseButton.LeftButton)
    form.contacts.table.item(0, 1).setText("Ann")
    form.contacts.table.item(1, 1).setText("Bob")
    form.contacts.table.item(1, 2).setText("bob@")
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(form.contact_error.isVisible, timeout=10_000)
    assert form.contact_error.text() == "Contact 2, email: 'bob@' is not an email address."
    assert form.contacts.table.currentRow() == 1
    assert form.contacts.table.item(1, 2).text() == "bob@"


def test_edit_customer_and_change_credit_status(qtbot, window, ready_books):
    window.go("customers")
    page = window.pages["customers"]
    qtbot.waitUntil(lambda: page.current() is not None, timeout=10_000)
    qtbot.mouseClick(page.detail.edit, Qt.MouseButton.LeftButton)
    form = find_dialog(qtbot, CustomerForm)
    qtbot.waitUntil(form.ok_button.isEnabled)
    assert form.name.text() == "Müller & <Söhne>"
    assert form.terms.currentText() == "Net 30"
    form.phone.setText("+49 89 555")
    with qtbot.waitSignal(form.finished, timeout=10_000):
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.detail.phone.text() == "+49 89 555", timeout=10_000)

    combo = page.detail.credit
    combo.setCurrentIndex(combo.findData("hold"))
    combo.activated.emit(combo.currentIndex())
    qtbot.waitUntil(lambda: customers.show_customer(ready_books, 1).credit_status == "hold",
                    timeout=10_000)
    qtbot.waitUntil(lambda: page.model.index(0, Column.CREDIT).data() == "On hold",
                    timeout=10_000)


def test_statement_opens_in_the_preview(qtbot, window):
    window.go("customers")
    page = window.pages["customers"]
    qtbot.waitUntil(lambda: page.current() is not None, timeout=10_000)
    qtbot.mouseClick(page.detail.statement, Qt.MouseButton.LeftButton)
    preview = find_dialog(qtbot, PdfPreview)
    assert preview.document.pageCount() == 1
    assert "Müller & <Söhne>" in preview.document.getAllText(0).text()
    preview.close()


def test_the_customer_list_sorts_names_as_people_look_them_up(qtbot, open_window, ready_books):
    """As the invoice list does: "Bäckerei" before "Blue Harbor Café", "Éclair" between
    "Dach" and "Fenster" (it listed "Blue" first, by the letters' codes)."""
    for name in ("Fenster Glas", "Éclair", "Blue Harbor Café", "Dach", "Bäckerei Sonnenschein"):
        customers.add_customer(ready_books, name=name)
    window = open_window(ready_books)
    window.go("customers")
    page = window.pages["customers"]

    def shown() -> list[str]:
        names = [page.model.index(r, Column.NAME).data() for r in range(page.model.rowCount())]
        return [n for n in names if n != "Müller & <Söhne>"]  # the customer ready books have

    expected = ["Bäckerei Sonnenschein", "Blue Harbor Café", "Dach", "Éclair", "Fenster Glas"]
    qtbot.waitUntil(lambda: len(shown()) == len(expected), timeout=10_000)
    assert shown() == expected
    page.view.sortByColumn(Column.NAME, Qt.SortOrder.DescendingOrder)
    assert shown() == expected[::-1]

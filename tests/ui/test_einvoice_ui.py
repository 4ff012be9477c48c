"""E-invoices in the window: the format on the customer form (refused beside its field, then
saved), and the XML of an issued invoice shown from the invoice."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop_app.services import company, customers, invoices
from desktop_app.ui.dialogs.customer_form import CustomerForm
from desktop_app.ui.dialogs.einvoice_view import EInvoiceView
from tests.support.books import ISSUE, draft
from tests.ui.conftest import find_dialog, settle, trigger
from tests.ui.test_invoices_ui import select_invoice


def test_set_a_customer_to_xrechnung_and_see_the_xml_of_its_invoice(qtbot, window,
                                                                     ready_books):
    company.set_company(ready_books, address="Lindenstr. 1\n10969 Berlin", phone="030 1234567",
                        email="rechnung@lindenhof.example", country="DE",
                        vat_id="DE136695976")
    customers.update_customer(ready_books, 1, customers.CustomerInput(
        name="Stadt Musterhausen", email="rechnung@musterhausen.example", language="de",
        address="Rathausplatz 1\n12345 Musterhausen"))
    window.go("customers")
    settle(window)
    page = window.pages["customers"]
    qtbot.waitUntil(lambda: page.current() is not None, timeout=10_000)
    qtbot.waitUntil(page.detail.edit.isVisible, timeout=10_000)
    qtbot.mouseClick(page.detail.edit, Qt.MouseButton.LeftButton)
    form = find_dialog(qtbot, CustomerForm)
    qtbot.waitUntil(form.ok_button.isEnabled, timeout=10_000)
    assert form.einvoice.currentData() == "default"
    form.einvoice.setCurrentIndex(form.einvoice.findData("xrechnung-ubl"))
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    error = form.leitweg_id.parentWidget().findChild(type(form.banner))
    qtbot.waitUntil(error.isVisible, timeout=10_000)
    assert "Leitweg-ID" in error.text() and form.isVisible()
    qtbot.keyClicks(form.leitweg_id, "991-12345-67")
    with qtbot.waitSignal(form.finished, timeout=10_000):
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    saved = customers.show_customer(ready_books, 1)
    assert (saved.einvoice, saved.leitweg_id) == ("xrechnung-ubl", "991-12345-67")

    inv = draft(ready_books, "Beratung|10|95.00|19")
    invoices.issue_invoice(ready_books, inv, ISSUE)
    window.refresh()
    window.go("invoices")
    select_invoice(qtbot, window, "INV-2026-0001")
    invoices_page = window.pages["invoices"]
    assert invoices_page.act["einvoice"].isEnabled()
    trigger(qtbot, invoices_page.act["einvoice"])
    view = find_dialog(qtbot, EInvoiceView)
    qtbot.waitUntil(lambda: view.save_button.isEnabled(), timeout=10_000)
    shown = view.xml.toPlainText()
    assert "<cbc:BuyerReference>991-12345-67</cbc:BuyerReference>" in shown
    assert "as kept when it was issued" in view.note.text()
    view.format.setCurrentIndex(view.format.findData("facturx"))
    qtbot.waitUntil(lambda: "CrossIndustryInvoice" in view.xml.toPlainText(), timeout=10_000)
    assert "made now" in view.note.text()
    view.close()

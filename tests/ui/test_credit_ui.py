"""A credit application in the window: on the new customer's page, start it, add a
reference and the financial statements, open them again, decide; the review comes back on
Today a year later and its button opens the customer."""

import io
from datetime import date

from PySide6.QtCore import Qt
from reportlab.pdfgen import canvas

from desktop_app.services import credit_applications, customers
from desktop_app.ui.dialogs.credit_forms import DecideForm, DocumentForm, ReferenceForm
from desktop_app.ui.dialogs.pdf_preview import PdfPreview
from tests.ui.conftest import TODAY, find_dialog, settle


def statements_pdf() -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "Jahresabschluss 2025 - Neukunde GmbH")
    page.save()
    return out.getvalue()


def submit(qtbot, form) -> None:
    with qtbot.waitSignal(form.finished, timeout=10_000):
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)


def test_a_new_customers_credit_application_from_start_to_decision(
        qtbot, open_window, ready_books, tmp_path):
    newcomer = customers.add_customer(ready_books, name="Neukunde GmbH").id
    window = open_window(ready_books)
    settle(window)
    window.go("customers", customer_id=newcomer)
    page = window.pages["customers"]
    qtbot.waitUntil(lambda: page.detail.data is not None
                    and page.detail.data.customer.id == newcomer, timeout=10_000)
    section = page.detail.credit_application
    assert section.standing.text() == ("No credit decision yet: until there is one, the "
                                       "customer pays on receipt.")
    assert section.apply.isEnabled() and not section.decide.isEnabled()

    qtbot.mouseClick(section.apply, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.reference.isEnabled(), timeout=10_000)
    assert not section.apply.isEnabled()

    qtbot.mouseClick(section.reference, Qt.MouseButton.LeftButton)
    form = find_dialog(qtbot, ReferenceForm)
    qtbot.keyClicks(form.company, "Baustoffe Nord AG")
    form.person.setText("Jana Krüger")  # QTest types ASCII only
    qtbot.keyClicks(form.phone, "+49 40 123456")
    qtbot.keyClicks(form.said, "Pays within 30 days")
    submit(qtbot, form)
    qtbot.waitUntil(lambda: section.references.rowCount() == 1, timeout=10_000)
    assert section.references.item(0, 1).text() == "Baustoffe Nord AG"

    kept = tmp_path / "Jahresabschluss 2025.pdf"
    kept.write_bytes(statements_pdf())
    qtbot.mouseClick(section.document, Qt.MouseButton.LeftButton)
    form = find_dialog(qtbot, DocumentForm)
    form.path.setText(str(kept))
    submit(qtbot, form)
    qtbot.waitUntil(lambda: section.documents.rowCount() == 1, timeout=10_000)
    assert section.documents.item(0, 2).text() == kept.name
    assert "1 reference called, 1 document kept" in section.application.text()
    assert section.open_document.isVisible() and section.open_document.isEnabled(), \
        section.error.text()
    section.documents.selectRow(0)
    qtbot.mouseClick(section.open_document, Qt.MouseButton.LeftButton)
    settle(window)
    assert not section.error.text()
    preview = find_dialog(qtbot, PdfPreview)
    assert kept.name in preview.windowTitle()
    preview.close()

    qtbot.mouseClick(section.decide, Qt.MouseButton.LeftButton)
    form = find_dialog(qtbot, DecideForm)
    qtbot.waitUntil(lambda: form.terms.count() == 2, timeout=10_000)
    form.terms.setCurrentIndex(form.terms.findData("Net 30"))
    qtbot.keyClicks(form.by, "Anna Berg")
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)  # no limit: refused
    qtbot.waitUntil(lambda: not form.busy, timeout=10_000)
    assert form.isVisible()
    qtbot.keyClicks(form.limit, "5000")
    submit(qtbot, form)
    qtbot.waitUntil(lambda: section.standing.text().startswith("Credit approved"),
                    timeout=10_000)
    assert "Net 30" in section.standing.text() and "Review on" in section.standing.text()
    assert "by Anna Berg" in section.application.text()
    assert section.apply.isEnabled() and not section.decide.isEnabled()
    shown = credit_applications.show(ready_books, newcomer)
    assert (shown.standing, shown.review_on) == ("approved", date(TODAY.year + 1, 11, 22))
    window.close()

    later = open_window(ready_books, today=date(TODAY.year + 1, 11, 22))
    later.go("today")  # the window opens where it was left: on the customer
    settle(later)
    today_page = later.pages["today"]
    model = today_page.groups["calls"].model
    qtbot.waitUntil(lambda: any(r.kind == "credit_review" for r in model.rows()),
                    timeout=10_000)
    (row,) = [r for r in model.rows() if r.kind == "credit_review"]
    assert row.customer_name == "Neukunde GmbH"
    today_page.act(row)
    settle(later)
    customers_page = later.pages["customers"]
    qtbot.waitUntil(lambda: customers_page.detail.data is not None
                    and customers_page.detail.data.customer.id == newcomer, timeout=10_000)
    assert "Review due since" in customers_page.detail.credit_application.standing.text()

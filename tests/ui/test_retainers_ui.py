"""Retainers in the window: set one up on the customer's page, see what is coming, and the
window's start issues what is due (once, however often the window opens)."""

from datetime import date
from decimal import Decimal

from PySide6.QtCore import Qt

from desktop_app.services import customers, invoices, retainers
from desktop_app.ui.dialogs.retainer_form import PriceRetainerForm, RetainerForm
from desktop_app.ui.widgets import ErrorLabel
from tests.ui.conftest import find_dialog, settle


def customer_section(qtbot, window):
    window.go("customers")
    settle(window)
    page = window.pages["customers"]
    qtbot.waitUntil(lambda: page.detail.data is not None, timeout=10_000)
    return page.detail.retainers


def test_set_up_a_retainer_on_the_customer_and_the_next_start_issues_it(
        qtbot, open_window, ready_books):
    window = open_window(ready_books)
    settle(window)
    section = customer_section(qtbot, window)
    assert section.none.isVisible() and not section.pause.isEnabled()
    qtbot.mouseClick(section.add, Qt.MouseButton.LeftButton)
    form = find_dialog(qtbot, RetainerForm)
    qtbot.keyClicks(form.description, "Wartung und Support")
    qtbot.keyClicks(form.price, "500")
    qtbot.keyClicks(form.tax, "19")
    form.day.setValue(40)  # the spin box keeps it to 31
    form.start.setDate(date(2026, 12, 1))
    with qtbot.waitSignal(form.finished, timeout=10_000):
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.table.rowCount() == 1, timeout=10_000)
    assert section.table.item(0, 2).text() and "595" in section.table.item(0, 3).text()
    assert "Wartung und Support, coming: December 2026 on Dec 31, 2026" in section.coming.text()
    assert section.pause.isEnabled() and not section.resume.isEnabled()
    (listed,) = retainers.list_retainers(ready_books)
    assert (listed.day, listed.coming[0].issue_on) == (31, date(2026, 12, 31))

    qtbot.mouseClick(section.pause, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.resume.isEnabled(), timeout=10_000)
    assert "paused; nothing is invoiced" in section.coming.text()
    qtbot.mouseClick(section.resume, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.pause.isEnabled(), timeout=10_000)
    window.close()

    for _ in range(2):  # the window opens on the 31st (twice): one invoice, for December
        later = open_window(ready_books, today=date(2026, 12, 31))
        settle(later)
        later.close()
    (issued,) = invoices.list_invoices(ready_books)
    shown = invoices.show_invoice(ready_books, issued.id)
    assert (shown.issue_date, shown.period_start, shown.period_end, shown.total) == (
        date(2026, 12, 31), date(2026, 12, 1), date(2026, 12, 31), Decimal("595.00"))


def test_a_refused_retainer_says_why_beside_the_field(qtbot, window):
    section = customer_section(qtbot, window)
    qtbot.mouseClick(section.add, Qt.MouseButton.LeftButton)
    form = find_dialog(qtbot, RetainerForm)
    qtbot.keyClicks(form.description, "Support")
    qtbot.keyClicks(form.price, "abc")
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not form.busy and form.isVisible(), timeout=10_000)
    settle(window)
    assert form.isVisible() and form.price.text() == "abc"
    beside = [label.text() for label in form.price.parentWidget().findChildren(ErrorLabel)]
    assert any("abc" in text or "number" in text for text in beside), beside
    assert section.table.rowCount() == 0


def test_a_new_price_from_a_day_and_a_retainer_that_ends(qtbot, open_window, ready_books):
    ready_books.today = lambda: date(2026, 11, 22)
    retainers.add_retainer(ready_books, retainers.RetainerInput(
        customer_id=1, lines=["Wartung|1|500.00|19"], start=date(2026, 12, 1)))
    window = open_window(ready_books)
    settle(window)
    section = customer_section(qtbot, window)
    qtbot.waitUntil(lambda: section.table.rowCount() == 1 and section.price.isEnabled(),
                    timeout=10_000)
    qtbot.mouseClick(section.price, Qt.MouseButton.LeftButton)
    form = find_dialog(qtbot, PriceRetainerForm)
    assert (form.description.text(), form.price.text(), form.tax.text()) == (
        "Wartung", "500.00", "19")
    assert form.start.date().toPython() == date(2026, 12, 1)  # the next period's first day
    form.price.setText("five hundred")
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not form.busy, timeout=10_000)
    assert form.isVisible()  # refused beside the price, nothing changed
    form.price.setText("550")
    form.start.setDate(date(2027, 1, 1))
    with qtbot.waitSignal(form.finished, timeout=10_000):
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "654.50" in section.coming.text(), timeout=10_000)
    (shown,) = retainers.list_retainers(ready_books)
    assert [(p.period_start, p.total) for p in shown.coming[:2]] == [
        (date(2026, 12, 1), Decimal("595.00")), (date(2027, 1, 1), Decimal("654.50"))]
    assert [(p.effective_from, p.lines) for p in shown.prices] == [
        (date(2026, 12, 1), ("Wartung|1|500.00|19",)),
        (date(2027, 1, 1), ("Wartung|1|550|19",))]

    qtbot.mouseClick(section.add, Qt.MouseButton.LeftButton)
    form = find_dialog(qtbot, RetainerForm)
    qtbot.keyClicks(form.description, "Hosting")
    qtbot.keyClicks(form.price, "20")
    form.every.setCurrentIndex(form.every.findData("quarter"))
    form.start.setDate(date(2027, 1, 1))
    assert not form.end.isEnabled()
    form.ends.setChecked(True)
    form.end.setDate(date(2027, 6, 30))
    with qtbot.waitSignal(form.finished, timeout=10_000):
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.table.rowCount() == 2, timeout=10_000)
    hosting = next(r for r in retainers.list_retainers(ready_books) if r.title == "Hosting")
    assert hosting.ends_on == date(2027, 6, 30)
    assert [p.period_start for p in hosting.coming] == [date(2027, 1, 1), date(2027, 4, 1)]


def test_a_retainer_invoice_not_issued_at_the_start_says_why_in_the_windows_words(
        qtbot, open_window, ready_books):
    ready_books.today = lambda: date(2026, 11, 1)
    retainers.add_retainer(ready_books, retainers.RetainerInput(
        customer_id=1, lines=["Wartung|1|500.00|19"], start=date(2026, 11, 1)))
    customers.set_credit_status(ready_books, 1, "hold", "unpaid since autumn")
    ready_books.today = lambda: date(2026, 11, 22)
    window = open_window(ready_books)
    settle(window)
    qtbot.waitUntil(window.message.isVisible, timeout=10_000)
    assert window.message.label.text() == (
        "Müller & <Söhne>: the retainer invoice for the period from Nov 1, 2026 was not "
        "issued, because Müller & <Söhne> is on hold: issue this invoice due on receipt, or "
        "change the customer's credit status first.")
    assert invoices.list_invoices(ready_books) == []

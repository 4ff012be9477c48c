"""The Quotes page and the quotes' calls on Today, driven through the real window."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from desktop_app.services import customers, invoices, quote_followup, quotes
from desktop_app.ui import translate
from desktop_app.ui.dialogs.pdf_preview import PdfPreview
from desktop_app.ui.dialogs.quote_forms import AcceptDialog, LogStepDialog, NewQuoteDialog
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.models.today_list import Column
from desktop_app.ui.pages.quotes import QuotesPage
from tests.ui.conftest import TODAY, find_dialog, settle
from tests.ui.test_today_ui import Calendar, click_action, show_day


def quotes_page(qtbot, window: MainWindow) -> QuotesPage:
    window.go("quotes")
    page = window.pages["quotes"]
    assert isinstance(page, QuotesPage)
    settle(window)
    return page


def click(qtbot, widget) -> None:
    qtbot.waitUntil(widget.isEnabled, timeout=10_000)
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_a_quote_made_handed_over_and_accepted_in_the_window(qtbot, window, ready_books):
    page = quotes_page(qtbot, window)
    assert page.model.rowCount() == 0 and "No quotes yet" in page.detail.text()
    click(qtbot, page.new)
    form = find_dialog(qtbot, NewQuoteDialog)
    qtbot.waitUntil(lambda: form.customer.count() == 1, timeout=10_000)
    assert form.valid_days.value() == 7 and form.schedule.text() == "30/30/40"
    form.customer.setCurrentIndex(0)
    form.set_line(0, "Pump P-40", "two", "450.00", "19", "limited stock")
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.banner.isVisible() or any(
        e.isVisible() for e in form.findChildren(type(form.banner))), timeout=10_000)
    assert form.isVisible()  # refused: the form stays with what was typed
    form.set_line(0, "Pump P-40", "2", "450.00", "19", "limited stock")
    form.set_line(1, "Fitting", "6", "85", "19", "3 weeks if ordered")
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    settle(window)
    qtbot.waitUntil(lambda: page.current is not None, timeout=10_000)
    assert page.current.number == "Q-2026-0001"
    assert "limited stock" in page.detail.text() and "Deposit asked" in page.detail.text()
    assert page.buttons["send"].isEnabled() and not page.buttons["log"].isEnabled()

    click(qtbot, page.buttons["hand"])
    qtbot.waitUntil(lambda: page.current is not None and page.current.status == "sent",
                    timeout=10_000)
    assert not page.buttons["send"].isEnabled() and page.buttons["accept"].isEnabled()

    click(qtbot, page.buttons["accept"])
    accept = find_dialog(qtbot, AcceptDialog)
    assert "503,37" in accept.intro.text() or "503.37" in accept.intro.text()
    qtbot.mouseClick(accept.ok_button, Qt.MouseButton.LeftButton)
    preview = find_dialog(qtbot, PdfPreview)  # the deposit request, to print or save
    preview.close()
    qtbot.waitUntil(lambda: page.current is not None and page.current.status == "accepted",
                    timeout=10_000)
    assert [b for b, w in page.buttons.items() if w.isEnabled()] == ["pdf"]
    draft = invoices.show_invoice(ready_books, page.current.invoice_id)
    assert draft.status == "draft" and draft.total == page.current.total


def test_a_quote_call_waits_on_today_until_it_is_logged(qtbot, open_window, ready_books):
    sent_on = TODAY - timedelta(days=4)
    ready_books.today = lambda: sent_on
    made = quotes.add_quote(ready_books, quotes.QuoteInput(
        customer_id=1, lines=["Pump P-40|1|450.00|19"]))
    quotes.send_quote(ready_books, made.id, by="hand")
    for offset in range(4):  # the days before; today's step is the window's to take
        quote_followup.run_ladder(ready_books, sent_on + timedelta(days=offset))
    calendar = Calendar(TODAY)
    window = open_window(ready_books, today=calendar)
    page = show_day(qtbot, window, calendar, TODAY)
    rows = [r for r in page.rows("calls") if r.kind == "quote"]
    assert sorted(r.stage for r in rows) == ["call", "check"]  # no mail account: check by hand
    call = next(r for r in rows if r.stage == "call")
    assert call.numbers == made.number and call.quote_id == made.id
    model = page.groups["calls"].model
    shown = model.data(model.index(model.rows().index(call), Column.STAGE))
    assert shown == "Quote: call"
    click_action(qtbot, page, "calls", rows[0])
    log = find_dialog(qtbot, LogStepDialog)
    qtbot.keyClicks(log.note, "Price is fine; orders next week")
    qtbot.mouseClick(log.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len([r for r in page.rows("calls") if r.kind == "quote"]) == 1,
                    timeout=10_000)
    shown = quotes.show_quote(ready_books, made.id, TODAY)
    assert [s.note for s in shown.steps if s.outcome == "done" and s.note] == [
        "Price is fine; orders next week"]


def test_the_quote_settings_are_kept_for_new_quotes(qtbot, window, ready_books):
    window.go("settings", section="Quotes")
    section = window.pages["settings"].quotes
    qtbot.waitUntil(lambda: section.current is not None, timeout=10_000)
    assert section.valid_days.value() == 7 and section.steps["last_day"].value() == 1
    section.valid_days.setValue(3)
    section.steps["call"].setValue(1)
    section.schedule.setText("30/30")
    click(qtbot, section.buttons.itemAt(0).widget())
    qtbot.waitUntil(lambda: any(e.isVisible() for e in section.findChildren(
        type(section.banner))), timeout=10_000)
    assert quotes.get_settings(ready_books).validity_days == 7  # refused: nothing changed
    section.schedule.setText("50/50")
    click(qtbot, section.buttons.itemAt(0).widget())
    qtbot.waitUntil(lambda: section.note.text().startswith("Saved"), timeout=10_000)
    kept = quotes.get_settings(ready_books)
    assert (kept.validity_days, kept.schedule) == (3, "50/50")
    assert {s.name: s.days for s in kept.ladder} == {"check": 2, "call": 1, "last_day": -1,
                                                     "expired": 1}


def test_a_quote_near_the_credit_limit_is_flagged_in_the_form_and_on_the_page(
        qtbot, window, ready_books):
    limited = customers.add_customer(ready_books, credit_granted=True, name="Limit Ltd",
                                     terms="Net 30", credit_limit="2000.00").id
    page = quotes_page(qtbot, window)
    click(qtbot, page.new)
    form = find_dialog(qtbot, NewQuoteDialog)
    qtbot.waitUntil(lambda: form.customer.count() == 2, timeout=10_000)
    form.customer.setCurrentIndex(form.customer.findData(limited))
    form.set_line(0, "Pump P-40", "1", "450.00", "19")
    settle(window)
    assert not form.credit_flag.isVisible()  # 535.50 of 2000.00: nothing to say
    form.set_line(0, "Pump P-40", "3", "450.00", "19")
    qtbot.waitUntil(form.credit_flag.isVisible, timeout=10_000)
    flagged = form.credit_flag.text()
    assert flagged == ("Limit Ltd is near its credit limit: with this quote it would owe "
                       "€1,606.50, 80 % of its limit of €2,000.00")
    with qtbot.waitSignal(form.finished, timeout=10_000):
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.current is not None, timeout=10_000)
    assert page.flag.isVisible() and page.flag.text() == flagged


def test_accepting_a_quote_of_a_customer_without_credit_says_what_to_do(
        qtbot, window, ready_books):
    newcomer = customers.add_customer(ready_books, name="Neukunde GmbH").id
    made = quotes.add_quote(ready_books, quotes.QuoteInput(
        customer_id=newcomer, lines=["Pump P-40|1|450.00|19"]))
    page = quotes_page(qtbot, window)
    qtbot.waitUntil(lambda: page.current is not None and page.current.id == made.id,
                    timeout=10_000)
    assert page.flag.text() == ("Neukunde GmbH has no credit decision yet: the invoice for "
                                "this quote can only be issued due on receipt, not on the "
                                "quote's schedule")
    click(qtbot, page.buttons["accept"])
    accept = find_dialog(qtbot, AcceptDialog)
    assert accept.credit_flag.text() == page.flag.text()  # known before saying yes
    qtbot.mouseClick(accept.ok_button, Qt.MouseButton.LeftButton)
    find_dialog(qtbot, PdfPreview).close()  # the deposit is asked all the same
    qtbot.waitUntil(lambda: page.current is not None and page.current.status == "accepted",
                    timeout=10_000)
    settle(window)
    assert page.flag.isVisible() and page.flag.text().startswith(
        f"Quote {made.number} is accepted, but draft invoice {page.current.invoice_id} "
        "cannot be issued as it is: Neukunde GmbH has no credit decision yet")
    assert "approve its credit application first" in page.flag.text()


@pytest.fixture
def german() -> Iterator[None]:
    translate.use(translate.Language("de", translate.format_locale("de", "en_US")))
    yield
    translate.use(translate.Language("en", "en_US"))


def test_a_german_window_writes_the_flags_amounts_as_german_does(qtbot, open_window,
                                                                 ready_books, german):
    limited = customers.add_customer(ready_books, credit_granted=True, name="Limit Ltd",
                                     terms="Net 30", credit_limit="2000.00").id
    quotes.add_quote(ready_books, quotes.QuoteInput(customer_id=limited,
                                                    lines=["Pump P-40|3|450.00|19"]))
    window = open_window(ready_books)
    page = quotes_page(qtbot, window)
    qtbot.waitUntil(lambda: page.current is not None, timeout=10_000)
    # A message with values: its amounts and number as the window's locale writes them,
    # whether or not its sentence is translated yet.
    assert "1.606,50" in page.flag.text() and "2.000,00" in page.flag.text()
    assert "1606.50 EUR" not in page.flag.text()

"""The customer's activity log in the window's language: each entry keeps its message and
values, so a German or Russian window reads it in German or Russian, its money and days as the
locale writes them, while the English summary stays for the CLI and the dossier."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from babel.messages.pofile import read_po

from desktop_app.messages import Amount
from desktop_app.resources import LOCALE
from desktop_app.services import activity, invoices, payments, promises
from desktop_app.services.followup.calls import CallInput, log_call
from desktop_app.services.followup.run import run_day
from desktop_app.ui import display, translate
from tests.support.books import ISSUE, draft
from tests.ui.conftest import settle

DUE = ISSUE + timedelta(days=30)
PROMISED_FOR = DUE + timedelta(days=20)
# English a German or Russian window must not show: the words of the services' sentences.
ENGLISH = re.compile(r"\b(Payment|received|Invoice|invoice|printed|Call|about|reached|Promised|"
                     r"reason|given|next step|Email|issued|bank transfer|cash tight)\b")


@pytest.fixture
def speaking() -> Iterator[None]:
    yield
    translate.use(translate.Language("en", "en_US"))


def use(code: str) -> None:
    translate.use(translate.Language(code, translate.format_locale(code, "en_US")))


def follow_up_story(books) -> None:
    """An invoice issued, a reminder letter, a call that reached someone, a promise and a
    part payment: all through the services, as a user's work makes them."""
    inv = draft(books, "Consulting|10|100.00|0")
    invoices.issue_invoice(books, inv, ISSUE)
    run_day(books, DUE + timedelta(days=5), channels=("letter",))
    log_call(books, CallInput(inv, "reached", DUE + timedelta(days=6),
                              note="Spoke to Eva", next_step="Check the account on Friday"))
    promises.add_promise(books, promises.PromiseInput(
        inv, promised_for=PROMISED_FOR, made_on=DUE + timedelta(days=6), amount="400.00",
        excuse="cash_tight"))
    payments.record_payment(books, payments.PaymentInput(inv, "400.00",
                                                         DUE + timedelta(days=10)))


def shown_log(qtbot, window) -> list[str]:
    window.go("customers")
    page = window.pages["customers"]
    qtbot.waitUntil(lambda: page.detail.data is not None, timeout=10_000)
    settle(window)
    timeline = page.detail.timeline
    return [timeline.item(row, 3).text() for row in range(timeline.rowCount())]


@pytest.mark.parametrize(("code", "money", "promised"), [
    ("de", "400,00\u00a0€", "22.12.2026"),
    ("ru", "400,00\u00a0€", "22 дек. 2026\u202fг."),
])
def test_a_german_or_russian_window_reads_the_log_in_its_language(
        qtbot, open_window, ready_books, speaking, code, money, promised) -> None:
    follow_up_story(ready_books)
    kinds = {e.kind for e in activity.timeline(ready_books, 1)}
    assert {"document", "letter", "call", "promise", "payment"} <= kinds
    use(code)
    lines = shown_log(qtbot, open_window(ready_books))
    assert len(lines) == len(activity.timeline(ready_books, 1)) >= 5
    english = [line for line in lines if ENGLISH.search(line)]
    assert not english, f"{code}: English left in the activity log: {english}"
    assert any(money in line and "Bank" not in line for line in lines), lines
    assert any(promised in line for line in lines), lines
    assert not any(re.search(r"\d{4}-\d{2}-\d{2}|\bEUR\b", line) for line in lines), lines
    # the English summary is what the CLI and the dossier read, unchanged
    summaries = [e.summary for e in activity.timeline(ready_books, 1)]
    assert any(s.startswith("Payment of 400.00 EUR received (bank transfer)")
               for s in summaries), summaries
    assert any(s == f"Promised to pay 400.00 EUR by {PROMISED_FOR.isoformat()}; reason given: "
               "cash tight" for s in summaries), summaries


def test_every_message_a_service_logged_is_translated(ready_books) -> None:
    follow_up_story(ready_books)
    entries = activity.timeline(ready_books, 1)
    assert all(e.message for e in entries)
    for code in ("de", "ru", "zh_CN", "zh_TW"):
        with (LOCALE / code / "LC_MESSAGES" / "window.po").open("rb") as handle:
            catalogue = read_po(handle, locale=code)
        for entry in entries:
            found = catalogue.get(entry.message)
            assert found is not None and found.string, (code, entry.message)


def test_an_entry_without_a_message_shows_its_summary(speaking) -> None:
    """Entries kept before messages were (and typed notes) read as written, their money and
    days as the locale writes them."""
    use("de")
    assert display.activity("Payment of 5000.00 EUR received on 2026-11-23") \
        == "Payment of 5.000,00\u00a0€ received on 23.11.2026"
    assert display.activity("Met the owner at the trade fair", "", None) \
        == "Met the owner at the trade fair"


def test_a_typed_note_keeps_no_message_and_shows_as_typed(qtbot, open_window, ready_books,
                                                         speaking) -> None:
    activity.add_note(ready_books, 1, "visit", "Met the owner at the trade fair",
                      date(2026, 11, 20))
    entry = activity.timeline(ready_books, 1)[0]
    assert (entry.message, entry.values) == ("", None)
    use("ru")
    assert shown_log(qtbot, open_window(ready_books)) == ["Met the owner at the trade fair"]


def test_values_lacking_a_field_of_the_message_fall_back_to_the_summary(speaking) -> None:
    """A message whose translation names a field the entry has no value for (a translator's
    slip, or an entry kept by another version) shows the summary, never a traceback."""
    use("de")
    assert display.activity("Quote Q-1 handed over", "Quote {number} handed over",
                            {}) == "Quote Q-1 handed over"
    assert display.activity("Payment of 5.00 EUR", "Payment of {amount} received ({method})",
                            {"amount": Amount(Decimal("5.00"), "EUR")}) == "Payment of 5,00\u00a0€"

"""The window in each of its languages: every page renders, its words are the language's,
and no label, button or sidebar entry is cut short by a longer translation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QListWidget, QWidget

from desktop_app import messages
from desktop_app.domain.errors import PaidUpError, RuleViolation
from desktop_app.domain.lines import make_line
from desktop_app.domain.money import parse_amount
from desktop_app.domain.quotes import ladder_from_list
from desktop_app.mail.outbox import OutboxState, transition
from desktop_app.messages import N_
from desktop_app.services import (
    credit_applications,
    customers,
    invoices,
    payments,
    quote_followup,
    quotes,
)
from desktop_app.services.followup.today import today
from desktop_app.services.mail import NOT_SET_UP
from desktop_app.services.quotes import QuoteStepView
from desktop_app.services.writeoffs import write_off
from desktop_app.ui import display, translate
from desktop_app.ui.main_window import PAGES, MainWindow
from desktop_app.ui.models.today_list import Column, TodayModel
from desktop_app.ui.pages import quotes as quotes_page
from desktop_app.ui.translate import _, ngettext
from desktop_app.ui.widgets import ErrorLabel, FormErrors
from tests.support.books import ISSUE, draft
from tests.ui.conftest import TODAY, settle

SIZE = (1024, 640)  # the smallest screen the window is made for
LANGUAGES = tuple(translate.LANGUAGES)


@pytest.fixture
def speaking() -> Iterator[None]:
    """Each test leaves the window speaking English, as the others expect."""
    yield
    translate.use(translate.Language("en", "en_US"))


def use(code: str) -> None:
    translate.use(translate.Language(code, translate.format_locale(code, "en_US")))


def _cut_short(widget: QWidget) -> str | None:
    """The text of a widget that does not show all of it: a single-line label or a button
    narrower than its words (rich text and wrapping labels are left out)."""
    if isinstance(widget, QLabel):
        text = widget.text()
        if not text or widget.wordWrap() or "<" in text or "\n" in text:
            return None
        room = widget.contentsRect().width() - 2 * widget.margin() - widget.indent()
        return text if widget.fontMetrics().horizontalAdvance(text) > room else None
    if isinstance(widget, QAbstractButton):
        text = widget.text().replace("&", "")
        if not text or "\n" in text:
            return None
        return text if widget.sizeHint().width() > widget.width() + 1 else None
    return None


def clipped(window: MainWindow) -> list[str]:
    found = [text for widget in window.findChildren(QWidget)
             if widget.isVisibleTo(window) and (text := _cut_short(widget))]
    for listing in window.findChildren(QListWidget):  # the sidebar, Settings' sections
        if not listing.isVisibleTo(window):
            continue
        room = listing.viewport().width() - 12
        found += [item.text() for item in map(listing.item, range(listing.count()))
                  if QFontMetrics(item.font()).horizontalAdvance(item.text()) > room]
    return found


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_page_speaks_the_language_and_nothing_is_cut_short(open_window, ready_books,
                                                                  speaking, code) -> None:
    use(code)
    window = open_window(ready_books)
    window.resize(*SIZE)
    problems = {}
    for page in PAGES:
        window.go(page)
        settle(window)
        if cut := clipped(window):
            problems[page] = cut
        least = window.minimumSizeHint()
        if least.width() > SIZE[0] or least.height() > SIZE[1]:
            problems[page] = [f"needs {least.width()} x {least.height()}"]
    assert not problems, f"{code}: text cut short: {problems}"
    assert window.menuBar().actions()[0].text() == _("&File")
    if code != "en":
        assert _("&File") != "&File"


def test_an_empty_text_stays_empty_in_every_language(speaking) -> None:
    """gettext answers "" with the catalogue's header: a table's unnamed column showed it."""
    for code in LANGUAGES:
        use(code)
        assert _("") == ""


@pytest.mark.parametrize(("code", "money", "day", "entry"), [
    ("en", "€5,000.00", "Nov 23, 2026", "M/d/yyyy"),
    ("de", "5.000,00\u00a0€", "23.11.2026", "dd.MM.yyyy"),
    ("ru", "5\u00a0000,00\u00a0€", "23 нояб. 2026\u202fг.", "dd.MM.yyyy"),
    ("zh_CN", "€5,000.00", "2026年11月23日", "yyyy/M/d"),
    ("zh_TW", "€5,000.00", "2026年11月23日", "yyyy/M/d"),
])
def test_money_days_and_the_log_follow_the_chosen_locale(speaking, code, money, day,
                                                         entry) -> None:
    use(code)
    assert display.money(Decimal("5000"), "EUR") == money
    assert display.day(date(2026, 11, 23)) == day
    assert display.date_entry_format() == entry
    assert display.logged("Payment of 5000.00 EUR received on 2026-11-23") \
        == f"Payment of {money} received on {day}"


def test_typed_amounts_are_read_in_the_locale_and_refused_with_the_field(speaking) -> None:
    use("de")
    assert display.plain_number("1.234,56", "amount") == "1234.56"
    assert display.plain_number(" 65,50 ", "amount") == "65.50"
    use("ru")
    assert display.plain_number("1 234,5", "amount") == "1234.5"
    use("de")
    with pytest.raises(Exception) as refused:
        display.plain_number("65.50", "amount")
    assert getattr(refused.value, "field", None) == "amount"


@pytest.mark.parametrize(("system", "code"), [
    ("de_AT", "de"), ("ru_RU", "ru"), ("zh_CN", "zh_CN"), ("zh_SG", "zh_CN"),
    ("zh_TW", "zh_TW"), ("zh_HK", "zh_TW"), ("zh_Hant_TW", "zh_TW"), ("fr_FR", "en"),
    ("en_US", "en"),
])
def test_the_language_follows_the_system(system, code) -> None:
    assert translate.language_of(system) == code


def test_a_chosen_language_wins_over_the_system_and_keeps_the_systems_region(tmp_path):
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    assert translate.chosen_language(settings) == ""
    translate.choose_language(settings, "ru")
    again = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    assert translate.chosen_language(again) == "ru"
    assert translate.language_for(again).code == "ru"
    assert translate.language_for(again, override="zh_TW").code == "zh_TW"
    assert translate.language_for(again, override="xx").code == "ru"
    assert translate.format_locale("de", "de_AT") == "de_AT"
    assert translate.format_locale("de", "en_US") == "de_DE"
    with pytest.raises(ValueError):
        translate.choose_language(settings, "xx")


def test_russian_counts_take_their_three_forms(speaking) -> None:
    use("ru")
    assert [ngettext("{n} invoice", "{n} invoices", n).format(n=n) for n in (1, 3, 5, 21)] \
        == ["1 счёт", "3 счёта", "5 счетов", "21 счёт"]


def test_qt_speaks_the_language_too(qapp) -> None:
    """Qt's own buttons and dialogs (Cancel, the file dialog) from PySide6's catalogue."""
    for code, cancel in (("de", "Abbrechen"), ("ru", "Отмена"), ("zh_TW", "取消")):
        translator = translate.install_qt_translations(qapp, code)
        assert translator is not None
        try:
            assert QCoreApplication.translate("QPlatformTheme", "Cancel") == cancel
        finally:
            qapp.removeTranslator(translator)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


def test_one_english_word_two_meanings_two_translations(speaking) -> None:
    """"Received" heads the payments' date column and, on Today, records that an invoice
    arrived: each has its own words."""
    from desktop_app.ui.models.payment_list import HEADERS as PAYMENT_HEADERS
    from desktop_app.ui.models.payment_list import Column as PaymentColumn
    from desktop_app.ui.models.today_list import ACTIONS
    use("zh_CN")
    assert ACTIONS["receipt"] == "已收到"
    assert PAYMENT_HEADERS[PaymentColumn.DATE] == "收款日期"
    use("en")
    assert ACTIONS["receipt"] == PAYMENT_HEADERS[PaymentColumn.DATE] == "Received"


def _refusal(call) -> PaidUpError:
    with pytest.raises(PaidUpError) as refused:
        call()
    return refused.value


@pytest.mark.parametrize(("code", "said"), [
    ("en", "Amount: must not be negative (got -5)."),
    ("de", "Betrag: darf nicht negativ sein (angegeben: -5)."),
    ("zh_CN", "金额：不能为负数（输入的是 -5）。"),
])
def test_a_refusal_of_the_core_reads_in_the_windows_language(speaking, code, said) -> None:
    refused = _refusal(lambda: parse_amount("-5", "amount", "EUR"))
    use(code)
    assert display.refusal(refused) == said
    assert refused.message == "must not be negative (got -5)"  # the CLI's and the log's


def test_a_refusal_writes_its_day_and_number_as_the_locale_does(speaking, ready_books) -> None:
    invoice = draft(ready_books, "Boiler service|1|180")
    invoices.issue_invoice(ready_books, invoice, ISSUE)
    invoices.void_invoice(ready_books, invoice, "typed twice", ISSUE)
    refused = _refusal(lambda: payments.record_payment(ready_books, payments.PaymentInput(
        invoice, "10", ISSUE)))
    number = invoices.show_invoice(ready_books, invoice).number
    use("de")
    assert display.refusal(refused) == (f"Rechnung {number} ist storniert; darauf kann keine "
                                        "Zahlung erfasst werden.")
    use("zh_TW")
    assert number in display.refusal(refused) and "發票" in display.refusal(refused)
    state = _refusal(lambda: write_off(ready_books, invoice, "gone", ISSUE))
    assert state.message.startswith(f"invoice {number} is void;")  # the English as it was
    use("de")
    assert display.refusal(state).startswith(f"Rechnung {number} hat den Status „storniert“;")


def test_a_numbered_field_and_its_part_are_named_in_the_windows_language(speaking) -> None:
    line = _refusal(lambda: make_line("Boiler service", "1", "180", "120", position=3))
    step = _refusal(lambda: ladder_from_list([{"name": "check", "anchor": "sent",
                                                "days": "two", "channel": "email"}]))
    assert (line.field, step.field) == ("line 3 tax percent", "step 1 days")  # the CLI's
    use("de")
    assert display.refusal(line) == "Zeile 3, Steuersatz: darf 100 nicht überschreiten."
    assert display.refusal(step).startswith("Schritt 1, Tage: ")
    use("zh_CN")
    assert display.refusal(line).startswith("第 3 行的税率：")
    use("en")
    assert display.refusal(line) == "Line 3, tax percent: must not exceed 100."


def test_a_refusal_names_a_messages_state_in_the_windows_language(speaking) -> None:
    refused = _refusal(lambda: transition(OutboxState.SENT, OutboxState.QUEUED))
    assert refused.message == "A message that is sent cannot become queued"  # the CLI's
    use("de")
    assert display.refusal(refused) == ("Eine Nachricht im Status „gesendet“ kann nicht in den "
                                        "Status „wartet auf Versand“ wechseln.")
    use("ru")
    assert "«в очереди»" in display.refusal(refused)


def test_the_window_names_its_own_way_to_set_up_mail_not_the_command_line(speaking) -> None:
    refused = RuleViolation(NOT_SET_UP)
    assert "paidup-cli" in refused.message  # the command line's own words
    assert display.refusal(refused) == ("Mail: set up your mail account first "
                                        "(Settings › Mail).")
    inside = messages.Said(N_("write or call instead: {why}"),
                           {"why": messages.Said(NOT_SET_UP, {})})
    use("de")
    assert "paidup-cli" not in display.note(inside, "")
    assert display.note(inside, "").endswith("(Einstellungen › E-Mail)")


def test_a_refusal_names_the_windows_place_where_the_command_line_names_a_command(
        speaking, ready_books) -> None:
    customers.add_customer(ready_books, name="Neu GmbH", email="neu@example.com")
    refused = _refusal(lambda: credit_applications.add_reference(ready_books, 2,
                                                                 company="Bank"))
    assert "(credit apply 2)" in refused.message  # the command line's own words
    shown = display.refusal(refused)
    assert "credit apply" not in shown
    assert shown.endswith("(the customer's page › Credit application › Start application).")
    use("de")
    assert "credit apply" not in display.refusal(refused)


def test_a_forms_field_shows_its_refusal_in_the_windows_language(qtbot, speaking) -> None:
    use("ru")
    banner = ErrorLabel()
    errors = FormErrors(banner)
    amount = QLineEdit()
    box = errors.field("amount", amount)
    qtbot.addWidget(box)
    errors.show(_refusal(lambda: parse_amount("0", "amount", "EUR")))
    assert box.findChild(ErrorLabel).text() == "Значение должно быть больше нуля."
    errors.show(_refusal(lambda: payments.payment_ids(None, sort="nowhere")))
    assert banner.text().startswith("Сортировка: ")


def test_todays_notes_read_in_the_windows_language(speaking, demo_books) -> None:
    receipts = today(demo_books, TODAY).receipts
    assert receipts and receipts[0].detail.startswith("asked on 2026-")  # the English kept
    use("de")
    model = TodayModel()
    model.set_rows(receipts)
    note = model.data(model.index(0, Column.NOTE))
    assert re.fullmatch(r"am \d\d\.\d\d\.2026 (telefonisch )?nachgefragt", note), note


def test_a_quote_task_says_in_the_windows_language_why_it_is_a_task(speaking,
                                                                     demo_books) -> None:
    """The demo has no mail account: the next day the friendly check of a quote becomes a
    task, and its note says why as the window's language does."""
    day = TODAY + timedelta(days=1)
    quote_followup.run_ladder(demo_books, day)
    [row] = [r for r in today(demo_books, day).calls if r.kind == "quote"
             and r.detail.startswith("write or call instead: mail: set up your mail account")]
    use("de")
    model = TodayModel()
    model.set_rows((row,))
    note = model.data(model.index(0, Column.NOTE))
    assert note.startswith("schreiben oder rufen Sie stattdessen an: ")
    assert "set up" not in note and "Einstellungen" in note
    [step] = [s for s in quotes.show_quote(demo_books, row.quote_id, day).steps if s.note]
    assert display.note(step.said, step.note) == note  # the quote's own page says the same


@pytest.mark.parametrize(("code", "line"), [
    ("en", "Nov 21, 2026: Sent by hand, done — Called: no decision yet"),
    ("de", "21.11.2026: Gesendet (persönlich), erledigt – Called: no decision yet"),
    ("zh_TW", "2026年11月21日：已傳送，親自遞交，已完成——Called: no decision yet"),
])
def test_a_quote_step_reads_as_one_line_in_the_windows_language(code, line):
    """The step, its channel and outcome and the note, ordered and punctuated as the
    language writes them (Chinese: full-width), not glued together in English order."""
    translate.use(translate.Language(code, translate.format_locale(code, "en_US")))
    try:
        step = QuoteStepView("sent", "done", "hand", date(2026, 11, 21), None,
                             "Called: no decision yet")
        assert quotes_page._step_line(step) == line
    finally:
        translate.use(translate.Language("en", "en_US"))

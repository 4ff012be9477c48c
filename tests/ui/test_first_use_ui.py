"""What a new user meets on first use (issue 18): a book with no company says what to do; an
empty book's Today offers its first steps as buttons; emails that wait for a mail account say
so with a button that opens Settings › Mail; the outbox does not claim that everything went
out when nothing was ever sent."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from desktop_app.services import company, invoices
from desktop_app.services.books import open_books
from desktop_app.ui.dialogs.customer_form import CustomerForm
from desktop_app.ui.dialogs.first_run import FirstRun
from desktop_app.ui.dialogs.outbox import OutboxDialog
from desktop_app.ui.pages.today import TodayPage
from tests.support.books import ISSUE, draft, fixed_clock
from tests.ui.conftest import find_dialog, settle


def today_of(qtbot, window) -> TodayPage:
    window.go("today")
    page = window.pages["today"]
    assert isinstance(page, TodayPage)
    settle(window)
    qtbot.waitUntil(lambda: not page.loading.isVisible())
    return page


def test_a_book_without_a_company_says_so_on_today_and_offers_the_set_up(
        qtbot, open_window, books_file):
    window = open_window(open_books(books_file, actor="tester", clock=fixed_clock))
    page = today_of(qtbot, window)
    assert page.first_steps.isVisible() and not page.empty.isVisible()
    assert "no company" in page.first_steps.title.text()
    shown = [b.text() for b in page.first_steps.buttons.values() if b.isVisible()]
    assert shown == ["Set up your company…"]
    qtbot.mouseClick(page.first_steps.buttons["company"], Qt.MouseButton.LeftButton)
    assert isinstance(find_dialog(qtbot, FirstRun), FirstRun)


def test_an_empty_book_starts_on_first_steps_each_a_button(qtbot, open_window, books_file):
    books = open_books(books_file, actor="tester", clock=fixed_clock)
    company.set_company(books, name="Lindenhof GmbH", currency="EUR")
    window = open_window(books)
    page = today_of(qtbot, window)
    assert page.first_steps.isVisible() and not page.empty.isVisible()
    shown = {k for k, b in page.first_steps.buttons.items() if b.isVisible()}
    assert shown == {"customer", "invoice", "mail"}
    qtbot.mouseClick(page.first_steps.buttons["customer"], Qt.MouseButton.LeftButton)
    form = find_dialog(qtbot, CustomerForm)
    form.close()
    qtbot.mouseClick(page.first_steps.buttons["mail"], Qt.MouseButton.LeftButton)
    settings = window.current_page()
    assert settings.key == "settings"
    assert settings.nav.currentItem().text() == "Mail"


def test_emails_waiting_for_a_mail_account_show_a_button_to_set_it_up(
        qtbot, open_window, ready_books):
    inv = draft(ready_books, "Consulting|10|100.00|19")
    issued = invoices.issue_invoice(ready_books, inv, ISSUE)
    late = issued.due_date + timedelta(days=25)
    window = open_window(ready_books, today=late)
    page = today_of(qtbot, window)
    assert page.mail_banner.isVisible()
    assert "mail account" in page.mail_banner.text.text()
    # With no mail account the call that fell due is on the list all the same.
    assert [(r.kind, r.stage) for r in page.rows("calls")] == [("call", "call")]
    assert [r.stage for r in page.rows("letters")] == ["reminder_1"]
    qtbot.mouseClick(page.mail_banner.button, Qt.MouseButton.LeftButton)
    settings = window.current_page()
    assert settings.nav.currentItem().text() == "Mail"


def test_an_outbox_that_never_sent_anything_does_not_say_everything_went_out(
        qtbot, window):
    window.open_outbox()
    dialog = find_dialog(qtbot, OutboxDialog)
    settle(window)
    qtbot.waitUntil(lambda: bool(dialog.empty.text()))
    assert dialog.empty.isVisible()
    assert "everything went out" not in dialog.empty.text()
    assert "Nothing has been sent yet" in dialog.empty.text()

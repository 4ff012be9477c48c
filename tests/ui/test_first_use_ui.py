"""What a new user meets on first use (issue 18): a book with no company says what to do; an
empty book's Today offers its first steps as buttons; emails that wait for a mail account say
so with a button that opens Settings › Mail; the outbox does not claim that everything went
out when nothing was ever sent."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from shiboken6 import isValid

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


def wizard_of(qtbot, open_window, books_file):
    books = open_books(books_file, actor="tester", clock=fixed_clock)
    window = open_window(books, first_run=True)
    return books, window, find_dialog(qtbot, FirstRun)


def test_the_wizard_shows_its_steps_and_asks_for_payment_details_and_the_signer(
        qtbot, open_window, books_file):
    books, window, wizard = wizard_of(qtbot, open_window, books_file)
    assert wizard.step_label.text() == "Step 1 of 5"
    qtbot.keyClicks(wizard.name, "Lindenhof GmbH")
    qtbot.mouseClick(wizard.next, Qt.MouseButton.LeftButton)
    assert wizard.step_label.text() == "Step 2 of 5"
    qtbot.keyClicks(wizard.phone, "+49 30 1234")
    qtbot.keyClicks(wizard.vat_id, "DE123456789")
    qtbot.keyClicks(wizard.iban, "DE00 1234")
    qtbot.keyClicks(wizard.bic, "COBADEFFXXX")
    qtbot.keyClicks(wizard.signer_name, "Eva Linden")
    for _ in range(3):
        qtbot.mouseClick(wizard.next, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(wizard.next, Qt.MouseButton.LeftButton)  # Start
    iban_error = wizard.iban.parentWidget().findChild(type(wizard.banner))
    qtbot.waitUntil(iban_error.isVisible, timeout=10_000)
    assert wizard.steps.currentIndex() == 1  # back on the step with the IBAN
    vat_error = wizard.vat_id.parentWidget().findChild(type(wizard.banner))
    assert vat_error.isVisible()  # both refusals at once
    wizard.iban.setText("DE89 3704 0044 0532 0130 00")
    wizard.vat_id.setText("DE136695976")
    qtbot.mouseClick(wizard.next, Qt.MouseButton.LeftButton)
    for _ in range(2):
        qtbot.mouseClick(wizard.next, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(wizard.finished, timeout=30_000):
        qtbot.mouseClick(wizard.next, Qt.MouseButton.LeftButton)
    saved = company.get_company(books)
    assert (saved.phone, saved.iban.replace(" ", ""), saved.bic) == (
        "+49 30 1234", "DE89370400440532013000", "COBADEFFXXX")
    settle(window)
    page = today_of(qtbot, window)
    assert page.first_steps.isVisible()  # an empty book: its first steps


def test_escape_asks_and_what_was_typed_is_offered_again_next_start(
        qtbot, open_window, books_file):
    _books, window, wizard = wizard_of(qtbot, open_window, books_file)
    qtbot.keyClicks(wizard.name, "Lindenhof GmbH")
    qtbot.mouseClick(wizard.next, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(wizard.phone, "+49 30 1234")
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: wizard.ask is not None and wizard.ask.isVisible())
    stay, = [b for b in wizard.ask.buttons() if b.text() == "Continue the set-up"]
    stay.click()
    assert wizard.isVisible()
    wizard.reject()
    leave, = [b for b in wizard.ask.buttons() if b.text() == "Leave for now"]
    leave.click()
    qtbot.waitUntil(lambda: not isValid(wizard) or not wizard.isVisible())
    # Today says what to do, not "Nothing to do today".
    page = today_of(qtbot, window)
    assert page.first_steps.isVisible() and "no company" in page.first_steps.title.text()
    # The next start offers the wizard again, with what was typed, on the step left.
    again = FirstRun(window.ctx, lambda _view: None)
    qtbot.addWidget(again)
    assert again.resumed.isVisibleTo(again)
    assert (again.name.text(), again.phone.text(), again.steps.currentIndex()) == (
        "Lindenhof GmbH", "+49 30 1234", 1)


def test_the_logo_picker_opens_in_the_pictures_folder(qtbot, open_window, books_file,
                                                      monkeypatch):
    from PySide6.QtCore import QStandardPaths
    from PySide6.QtWidgets import QFileDialog

    _books, _window, wizard = wizard_of(qtbot, open_window, books_file)
    asked: list[str] = []

    def pick(_parent, _title, folder, _filter):
        asked.append(folder)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", pick)
    wizard.choose_logo()
    pictures = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
    assert asked == [pictures] and pictures  # not the program's folder ("")


def test_a_chosen_logo_is_kept_when_the_set_up_is_left_and_resumed(
        qtbot, open_window, books_file, tmp_path):
    from PySide6.QtGui import QColor, QImage

    logo = tmp_path / "logo.png"
    image = QImage(120, 40, QImage.Format.Format_RGB32)
    image.fill(QColor("#2a6f97"))
    assert image.save(str(logo))
    _books, window, wizard = wizard_of(qtbot, open_window, books_file)
    qtbot.keyClicks(wizard.name, "Lindenhof GmbH")
    wizard.show_logo(str(logo))
    wizard.reject()
    leave, = [b for b in wizard.ask.buttons() if b.text() == "Leave for now"]
    leave.click()
    qtbot.waitUntil(lambda: not isValid(wizard) or not wizard.isVisible())
    again = FirstRun(window.ctx, lambda _view: None)
    qtbot.addWidget(again)
    assert again.logo_path == str(logo) and not again.logo.pixmap().isNull()
    assert again.values()["logo"] == str(logo)

"""The day's work through the window: a customer and a draft made in the forms and issued,
the reminder seen on Today when due, sent with one click to a real SMTP server on loopback
(STARTTLS and a login), its letter printed through the print dialog to a PDF file, and a call
logged with a promise; each row leaves Today once done."""

from __future__ import annotations

import email
from datetime import UTC, date, timedelta
from email import policy
from pathlib import Path

import pdfplumber
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QPushButton

from desktop_app.services import customers, invoices, mail, outbox
from desktop_app.services.books import Books, open_books
from desktop_app.services.followup import run as followup
from desktop_app.services.followup import today
from desktop_app.services.followup.today import TodayRow
from desktop_app.ui.dialogs.customer_form import CustomerForm
from desktop_app.ui.dialogs.invoice_actions import IssueDialog, WriteOffDialog
from desktop_app.ui.dialogs.message import BatchPreviewDialog, MessageDialog
from desktop_app.ui.dialogs.outbox import OutboxDialog
from desktop_app.ui.dialogs.today_actions import CallDialog
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.models.today_list import Column
from desktop_app.ui.pages.today import TodayPage
from tests.mail.servers import PASSWORD, USER, Handler, Server, free_port
from tests.support.books import fixed_clock, make_ready
from tests.ui.conftest import find_dialog, settle, trigger
from tests.ui.test_customers_ui import button
from tests.ui.test_invoices_ui import new_draft, type_line

ISSUED = date(2026, 9, 1)
DUE = ISSUED + timedelta(days=30)  # Net 30
ADDRESS = "14 Harbour Road\nBristol BS1 5TT\nUnited Kingdom"


class Calendar:
    """The window's today, moved by the test."""

    def __init__(self, day: date) -> None:
        self.day = day

    def __call__(self) -> date:
        return self.day


def set_up_mail(books: Books, port: int, ca_file: Path) -> None:
    mail.set_account(books, password=PASSWORD, host="127.0.0.1", port=port,
                     security="starttls", user=USER, from_address=USER,
                     from_name="Lindenhof Billing", ca_file=str(ca_file))


def today_page(window: MainWindow) -> TodayPage:
    page = window.pages["today"]
    assert isinstance(page, TodayPage)
    return page


def show_day(qtbot, window: MainWindow, calendar: Calendar, day: date) -> TodayPage:
    calendar.day = day
    window.go("today")
    page = today_page(window)
    page.refresh()
    qtbot.waitUntil(lambda: page.day is not None and page.day.as_of == day, timeout=20_000)
    return page


def rows_for(page: TodayPage, group: str, customer: str) -> list[TodayRow]:
    return [r for r in page.rows(group) if r.customer_name == customer]


def click_action(qtbot, page: TodayPage, group: str, row: TodayRow,
                 modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A click on the row's button, as the user does it."""
    view = page.groups[group].view
    r = page.rows(group).index(row)
    center = view.visualRect(view.model().index(r, Column.ACTION)).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, center)


def received(server: Server) -> list[email.message.EmailMessage]:
    return [email.message_from_bytes(e.original_content, policy=policy.default)
            for e in server.handler.envelopes]


def add_customer_and_issue(qtbot, window: MainWindow) -> None:
    window.go("customers")
    settle(window)
    window.common["new_customer"].trigger()
    form = find_dialog(qtbot, CustomerForm)
    qtbot.waitUntil(form.ok_button.isEnabled)
    qtbot.keyClicks(form.name, "Acme Plumbing Ltd")
    qtbot.keyClicks(form.email, "accounts@acme.example")
    qtbot.keyClicks(form.phone, "+44 117 496 0000")
    form.address.setPlainText(ADDRESS)
    form.terms.setCurrentIndex(form.terms.findText("Net 30"))
    form.credit_granted.setChecked(True)  # a customer known from before: invoiced on terms
    with qtbot.waitSignal(form.finished, timeout=10_000):
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)

    editor = new_draft(qtbot, window)
    editor.customer.setCurrentIndex(editor.customer.findText("Acme Plumbing Ltd"))
    type_line(editor, 0, "Copper pipe 15 mm, metre", "40", "7.35", "20")
    with qtbot.waitSignal(editor.finished, timeout=10_000):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    page = window.pages["invoices"]
    qtbot.waitUntil(lambda: page.selected() is not None and page.selected().status == "draft",
                    timeout=10_000)
    trigger(qtbot, page.act["issue"])
    issue = find_dialog(qtbot, IssueDialog)
    with qtbot.waitSignal(issue.finished, timeout=10_000):
        qtbot.mouseClick(issue.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.selected() is not None
                    and page.selected().number == "INV-2026-0001", timeout=10_000)


def test_a_day_of_follow_up_through_the_window(qtbot, open_window, ready_books, tmp_path,
                                                memory_keyring, server_tls, ca_file):
    calendar = Calendar(ISSUED)
    with Server(server_tls) as server:
        set_up_mail(ready_books, server.port, ca_file)
        window = open_window(ready_books, today=calendar)
        settle(window)
        add_customer_and_issue(qtbot, window)

        # Five days late: the first reminder is on Today, by email and by letter.
        page = show_day(qtbot, window, calendar, DUE + timedelta(days=5))
        (mail_row,) = rows_for(page, "emails", "Acme Plumbing Ltd")
        (letter_row,) = rows_for(page, "letters", "Acme Plumbing Ltd")
        assert (mail_row.numbers, mail_row.stage, mail_row.days_late) == (
            "INV-2026-0001", "reminder_1", 5)
        assert letter_row.numbers == "INV-2026-0001"

        # Shift+click shows the message first; cancelling sends nothing.
        click_action(qtbot, page, "emails", mail_row, Qt.KeyboardModifier.ShiftModifier)
        preview = find_dialog(qtbot, BatchPreviewDialog)
        assert preview.view.to.text() == "accounts@acme.example"
        assert "INV-2026-0001" in preview.view.subject.text()
        assert "INV-2026-0001" in preview.view.pdf.text()
        preview.reject()
        settle(window)
        assert received(server) == []

        # One click sends it; the row leaves Today, the letter stays.
        click_action(qtbot, page, "emails", mail_row)
        qtbot.waitUntil(lambda: len(server.handler.envelopes) == 1, timeout=30_000)
        qtbot.waitUntil(lambda: not rows_for(page, "emails", "Acme Plumbing Ltd"),
                        timeout=20_000)
        assert rows_for(page, "letters", "Acme Plumbing Ltd") == [letter_row]
        # the server's answer is recorded beside the books' work, a moment after it arrived
        qtbot.waitUntil(lambda: "Sent to Acme Plumbing Ltd" in window.statusBar()
                        .currentMessage(), timeout=20_000)
        (message,) = received(server)
    assert message["To"] == "accounts@acme.example"
    assert "INV-2026-0001" in message["Subject"]
    [pdf] = [p for p in message.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert pdf.get_content().startswith(b"%PDF")
    assert [m.state for m in outbox.list_outbox(ready_books)] == ["sent"]

    # Print: the system's print dialog, to a PDF file; then the letter leaves Today.
    click_action(qtbot, page, "letters", letter_row)
    dialog = find_dialog(qtbot, QPrintDialog)
    target = tmp_path / "reminder.pdf"
    dialog.findChild(QLineEdit, "filename").setText(str(target))
    box = dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(next(b for b in box.findChildren(QPushButton) if b.text() == "&Print"),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(target.exists, timeout=30_000)
    qtbot.waitUntil(lambda: not rows_for(page, "letters", "Acme Plumbing Ltd"),
                    timeout=20_000)
    with pdfplumber.open(target) as printed:
        words = printed.pages[0].extract_text()
    assert "Payment reminder" in words and "INV-2026-0001" in words
    for line in ADDRESS.splitlines():
        assert line in words

    # Eight days late: a call. Logged with a promise, it leaves Today.
    page = show_day(qtbot, window, calendar, DUE + timedelta(days=8))
    (call,) = rows_for(page, "calls", "Acme Plumbing Ltd")
    assert call.kind == "call"
    click_action(qtbot, page, "calls", call)
    log = find_dialog(qtbot, CallDialog)
    qtbot.waitUntil(lambda: "+44 117 496 0000" in log.intro.text(), timeout=10_000)
    log.promised.setChecked(True)
    log.date.setDate(DUE + timedelta(days=15))
    qtbot.keyClicks(log.amount, "200.00")
    qtbot.keyClicks(log.by, "Jo in accounts")
    log.excuse.setCurrentIndex(log.excuse.findData("approval_pending"))
    qtbot.keyClicks(log.note, "Invoice is with the director for approval")
    with qtbot.waitSignal(log.finished, timeout=10_000):
        qtbot.mouseClick(log.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not rows_for(page, "calls", "Acme Plumbing Ltd"), timeout=20_000)
    acme = next(c for c in customers.list_customers(ready_books) if c.name.startswith("Acme"))
    view = today.today(ready_books, DUE + timedelta(days=14))
    (promise,) = [r for r in view.promises if r.customer_id == acme.id]
    assert "Jo in accounts" in promise.detail and str(promise.amount) == "200.00"


def test_a_call_refused_beside_the_field_keeps_what_was_typed(qtbot, open_window,
                                                               ready_books):
    inv = invoices.create_draft(ready_books, invoices.DraftInput(
        customer_id=1, lines=["Consulting|2|100.00|19"])).id
    invoices.issue_invoice(ready_books, inv, ISSUED)
    # The first reminder went by post on its day; the call comes three days later.
    followup.run_day(ready_books, DUE + timedelta(days=5), channels=["letter"])
    calendar = Calendar(DUE + timedelta(days=8))
    window = open_window(ready_books, today=calendar)
    page = show_day(qtbot, window, calendar, calendar.day)
    (call,) = page.rows("calls")
    click_action(qtbot, page, "calls", call)
    log = find_dialog(qtbot, CallDialog)
    log.promised.setChecked(True)
    qtbot.keyClicks(log.amount, "5000.00")  # more than is open
    qtbot.keyClicks(log.note, "Says the cheque is on its way")
    qtbot.mouseClick(log.ok_button, Qt.MouseButton.LeftButton)
    amount_error = log.amount.parentWidget().findChild(type(log.banner))
    qtbot.waitUntil(amount_error.isVisible, timeout=10_000)
    assert amount_error.text() == "Is more than the invoice's open balance."
    assert log.isVisible() and log.note.toPlainText() == "Says the cheque is on its way"
    assert page.rows("calls") == [call]


def test_mail_written_offline_goes_out_by_itself_once_the_server_is_back(
        qtbot, open_window, ready_books, memory_keyring, server_tls, ca_file):
    inv = invoices.create_draft(ready_books, invoices.DraftInput(
        customer_id=1, lines=["Consulting|2|100.00|19"])).id
    invoices.issue_invoice(ready_books, inv, ISSUED)
    port = free_port()
    set_up_mail(ready_books, port, ca_file)  # nobody listens there yet
    calendar = Calendar(DUE + timedelta(days=5))
    window = open_window(ready_books, today=calendar)
    page = show_day(qtbot, window, calendar, calendar.day)
    (row,) = page.rows("emails")
    click_action(qtbot, page, "emails", row)
    qtbot.waitUntil(lambda: window.outbox.isVisible()
                    and "offline" in window.outbox.text(), timeout=30_000)
    assert window.outbox.text() == "Outbox: 1 to send, offline"
    assert page.rows("emails") == []  # done for the day: it waits in the outbox

    with Server(server_tls, port=port) as server:
        # The retry waits for its time; the next round after it finds the server.
        [waiting] = outbox.list_outbox(ready_books, ["retrying"])
        due = waiting.next_attempt_at
        assert due is not None
        ready_books.clock = lambda: due.replace(tzinfo=UTC)  # the retry's time has come
        window.mail.round()
        qtbot.waitUntil(lambda: len(server.handler.envelopes) == 1, timeout=30_000)
        qtbot.waitUntil(lambda: not window.outbox.isVisible(), timeout=20_000)
    assert [m.state for m in outbox.list_outbox(ready_books)] == ["sent"]


def test_mail_the_server_refused_waits_for_a_decision_with_its_words(
        qtbot, open_window, ready_books, memory_keyring, server_tls, ca_file):
    inv = invoices.create_draft(ready_books, invoices.DraftInput(
        customer_id=1, lines=["Consulting|2|100.00|19"])).id
    invoices.issue_invoice(ready_books, inv, ISSUED)
    refusing = Handler(data_replies=["554 5.7.1 Message rejected as spam"])
    with Server(server_tls, handler=refusing) as server:
        set_up_mail(ready_books, server.port, ca_file)
        calendar = Calendar(DUE + timedelta(days=5))
        window = open_window(ready_books, today=calendar)
        page = show_day(qtbot, window, calendar, calendar.day)
        (row,) = page.rows("emails")
        click_action(qtbot, page, "emails", row)
        qtbot.waitUntil(lambda: [r.kind for r in page.rows("decisions")] == ["failed_mail"],
                        timeout=30_000)
    (decision,) = page.rows("decisions")
    assert "rejected as spam" in decision.detail
    # The status line reads the outbox in its own query, which may land just after Today's.
    qtbot.waitUntil(lambda: window.outbox.text() == "Outbox: 1 needs a decision",
                    timeout=10_000)
    qtbot.mouseClick(window.outbox, Qt.MouseButton.LeftButton)  # the status line opens it
    listed = find_dialog(qtbot, OutboxDialog)
    qtbot.waitUntil(lambda: listed.table.rowCount() == 1, timeout=10_000)
    assert listed.table.item(0, 0).text() == "Refused"
    assert "rejected as spam" in listed.table.item(0, 4).text()
    listed.close()
    click_action(qtbot, page, "decisions", decision)
    dialog = find_dialog(qtbot, MessageDialog)
    assert "rejected as spam" in dialog.server.text()
    qtbot.waitUntil(lambda: "INV-2026-0001" in dialog.view.subject.text(), timeout=10_000)
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        qtbot.mouseClick(button(dialog, "Discard"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.rows("decisions") == [], timeout=20_000)
    qtbot.waitUntil(lambda: not window.outbox.isVisible(), timeout=20_000)
    assert outbox.list_outbox(ready_books) == []


def test_an_empty_day_says_so_calmly(qtbot, open_window, tmp_path):
    books = make_ready(open_books(tmp_path / "empty.sqlite3", actor="tester",
                                  clock=fixed_clock))
    window = open_window(books)
    window.go("today")
    page = today_page(window)
    qtbot.waitUntil(lambda: page.day is not None, timeout=20_000)
    assert page.empty.isVisible() and not page.scroll.isVisible()
    assert not page.summary.isVisible()
    books.close()


def two_customers_due(books: Books) -> None:
    customers.add_customer(books, credit_granted=True,
                           name="Acme Plumbing Ltd", email="accounts@acme.example",
                           address=ADDRESS, terms="Net 30")
    for customer_id in (1, 2):
        inv = invoices.create_draft(books, invoices.DraftInput(
            customer_id=customer_id, lines=["Consulting|2|100.00|19"])).id
        invoices.issue_invoice(books, inv, ISSUED)


def test_send_all_and_print_all_work_in_the_background(qtbot, open_window, ready_books,
                                                        tmp_path, memory_keyring, server_tls,
                                                        ca_file):
    two_customers_due(ready_books)
    with Server(server_tls) as server:
        set_up_mail(ready_books, server.port, ca_file)
        calendar = Calendar(DUE + timedelta(days=5))
        window = open_window(ready_books, today=calendar)
        page = show_day(qtbot, window, calendar, calendar.day)
        assert len(page.rows("emails")) == 2 and len(page.rows("letters")) == 2
        send_all = page.groups["emails"].batch
        qtbot.mouseClick(send_all, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: len(server.handler.envelopes) == 2, timeout=30_000)
        qtbot.waitUntil(lambda: page.rows("emails") == [], timeout=20_000)
    assert sorted(m["To"] for m in received(server)) == [
        "accounts@acme.example", "ap@mueller.example"]
    qtbot.waitUntil(lambda: "2 sent" in window.statusBar().currentMessage(), timeout=10_000)

    window.common["print"].trigger()  # Ctrl+P on Today with no row chosen: all the letters
    dialog = find_dialog(qtbot, QPrintDialog)
    target = tmp_path / "letters.pdf"
    dialog.findChild(QLineEdit, "filename").setText(str(target))
    box = dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(next(b for b in box.findChildren(QPushButton) if b.text() == "&Print"),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(target.exists, timeout=30_000)
    qtbot.waitUntil(lambda: page.rows("letters") == [], timeout=20_000)
    with pdfplumber.open(target) as printed:
        pages = [p.extract_text() for p in printed.pages]
    # each first reminder is followed by the copy of the invoice it says it encloses
    assert len(pages) == 4
    assert sum(("COPY" in p or "KOPIE" in p) for p in pages) == 2
    assert any("Acme Plumbing Ltd" in p for p in pages)
    assert any("Müller & <Söhne>" in p for p in pages)


def test_send_all_cancelled_leaves_the_rest_on_today(qtbot, open_window, ready_books,
                                                      memory_keyring, server_tls, ca_file):
    two_customers_due(ready_books)
    with Server(server_tls) as server:
        set_up_mail(ready_books, server.port, ca_file)
        calendar = Calendar(DUE + timedelta(days=5))
        window = open_window(ready_books, today=calendar)
        page = show_day(qtbot, window, calendar, calendar.day)
        page.send_all()
        assert window.progress.isVisible() and window.progress.op_id is not None
        qtbot.mouseClick(window.progress.cancel, Qt.MouseButton.LeftButton)
        settle(window)
        page.refresh()
        settle(window)
        sent_to = {m["To"] for m in received(server)}
    # Whatever was under way finished; nothing else went out, and it is still on Today.
    waiting = {r.detail for r in page.rows("emails")}
    assert sent_to | waiting == {"accounts@acme.example", "ap@mueller.example"}
    assert not sent_to & waiting
    assert not window.progress.isVisible()


def test_ctrl_return_sends_the_chosen_email(qtbot, open_window, ready_books, memory_keyring,
                                             server_tls, ca_file):
    two_customers_due(ready_books)
    with Server(server_tls) as server:
        set_up_mail(ready_books, server.port, ca_file)
        calendar = Calendar(DUE + timedelta(days=5))
        window = open_window(ready_books, today=calendar)
        page = show_day(qtbot, window, calendar, calendar.day)
        view = page.groups["emails"].view
        chosen = next(i for i, r in enumerate(page.rows("emails"))
                      if r.customer_name == "Acme Plumbing Ltd")
        view.selectRow(chosen)
        assert window.common["send"].shortcut().toString() == "Ctrl+Return"
        window.common["send"].trigger()
        qtbot.waitUntil(lambda: len(server.handler.envelopes) == 1, timeout=30_000)
        qtbot.waitUntil(lambda: [r.customer_name for r in page.rows("emails")] == [
            "Müller & <Söhne>"], timeout=20_000)
    assert [m["To"] for m in received(server)] == ["accounts@acme.example"]


def test_a_step_not_worth_its_cost_waits_until_the_user_sends_it_anyway(qtbot, open_window,
                                                                       ready_books):
    """Issue 14: knowing when to quit never fired; now the step waits on Today for a
    decision: write the balance off, or send it all the same."""
    inv = invoices.create_draft(ready_books, invoices.DraftInput(
        customer_id=1, lines=["Stamps|1|1.00|0"])).id  # less than a letter's postage
    invoices.issue_invoice(ready_books, inv, ISSUED)
    calendar = Calendar(DUE + timedelta(days=5))
    window = open_window(ready_books, today=calendar)
    page = show_day(qtbot, window, calendar, calendar.day)
    assert page.rows("letters") == []
    (decision,) = page.rows("decisions")
    assert decision.kind == "write_off"
    click_action(qtbot, page, "decisions", decision)
    dialog = find_dialog(qtbot, WriteOffDialog)
    go = next(b for b in dialog.buttons.buttons() if b.text().startswith("Send the"))
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        qtbot.mouseClick(go, Qt.MouseButton.LeftButton)
    page = show_day(qtbot, window, calendar, calendar.day)
    qtbot.waitUntil(lambda: [r.stage for r in page.rows("letters")] == ["reminder_1"],
                    timeout=10_000)
    assert page.rows("decisions") == []

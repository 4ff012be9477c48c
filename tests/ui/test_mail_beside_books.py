"""A slow mail server holds up nothing: while it sits on a reminder, the invoice list pages,
searches and sorts; then the reminder is recorded as sent, once."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta

from aiosmtpd.smtp import SMTP, Envelope, Session

from desktop_app.services import demo, mail, outbox
from desktop_app.services.books import open_books
from desktop_app.services.followup import run as followup
from desktop_app.services.invoices import InvoiceQuery, count_invoices, issue_invoice
from tests.mail.servers import PASSWORD, USER, Handler, Server
from tests.support.books import ISSUE, draft, fixed_clock

from .conftest import TODAY, settle

INVOICES = 450  # several pages of the list


class HoldingHandler(Handler):
    """Takes the message, then sits on its answer until the test lets it go (at most 25 s,
    under the account's 30 s timeout), like a server that is slow to say 250."""

    def __init__(self) -> None:
        super().__init__()
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.holding.set()
        await asyncio.to_thread(self.release.wait, 25)
        return await super().handle_DATA(server, session, envelope)


def loaded(page, first: int, count: int) -> list:
    rows = [page.model.row_at(r)
            for r in range(first, min(first + count, page.model.rowCount()))]
    return rows if rows and all(r is not None for r in rows) else []


def test_the_invoice_list_answers_while_a_slow_server_takes_a_reminder(
        qtbot, open_window, tmp_path, memory_keyring, server_tls, ca_file):
    handler = HoldingHandler()
    with Server(server_tls, handler=handler) as server:
        books = open_books(tmp_path / "books.sqlite3", actor="tester", clock=fixed_clock)
        demo.fill_demo(books, as_of=TODAY - timedelta(days=1), invoices=INVOICES)
        mail.set_account(books, password=PASSWORD, host="127.0.0.1", port=server.port,
                         security="starttls", user=USER, from_address=USER,
                         ca_file=str(ca_file))
        queued = followup.run_day(books, TODAY, channels=("email",)).emails_queued
        assert queued

        window = open_window(books)  # the mail worker starts sending at once
        try:
            qtbot.waitUntil(handler.holding.is_set, timeout=30_000)
            window.go("invoices")
            page = window.pages["invoices"]
            everything = count_invoices(books, InvoiceQuery())
            qtbot.waitUntil(lambda: page.model.rowCount() == everything, timeout=20_000)
            qtbot.waitUntil(lambda: bool(loaded(page, 0, 20)), timeout=20_000)

            # Paging: the last rows are fetched while the server still holds the reminder.
            page.view.scrollToBottom()
            qtbot.waitUntil(lambda: bool(loaded(page, everything - 20, 20)), timeout=20_000)

            # Searching: as the user types, the list narrows to one customer.
            name = loaded(page, 0, 1)[0].customer_name
            expected = count_invoices(books, InvoiceQuery(search=name))
            qtbot.keyClicks(page.search, name)
            qtbot.waitUntil(lambda: page.model.rowCount() == expected
                            and {r.customer_name for r in loaded(page, 0, expected)} == {name},
                            timeout=20_000)

            # All of that while the reminder was still on its way.
            assert window.mail.sending
            assert not handler.release.is_set() and server.handler.envelopes == []
        finally:
            handler.release.set()

        qtbot.waitUntil(lambda: not window.mail.sending, timeout=30_000)
        settle(window)
        report = window.mail.last_report
        assert report is not None and report.sent == list(queued)
        assert len(server.handler.envelopes) == len(queued)
    states = {m.id: m.state for m in outbox.list_outbox(books)}
    assert {states[i] for i in queued} == {"sent"}


def test_closing_the_window_while_a_server_holds_a_reminder_records_its_outcome(
        qtbot, open_window, ready_books, memory_keyring, server_tls, ca_file):
    """The message on its way finishes and is recorded as sent before the books close: it is
    neither left 'sending' (which would ask a person whether it arrived) nor sent again."""
    handler = HoldingHandler()
    with Server(server_tls, handler=handler) as server:
        mail.set_account(ready_books, password=PASSWORD, host="127.0.0.1", port=server.port,
                         security="starttls", user=USER, from_address=USER,
                         ca_file=str(ca_file))
        invoice = draft(ready_books, "Beratung|1|500.00|19")
        issue_invoice(ready_books, invoice, ISSUE)
        queued = followup.run_day(ready_books, TODAY + timedelta(days=30),
                                  channels=("email",)).emails_queued
        assert queued
        window = open_window(ready_books)
        qtbot.waitUntil(handler.holding.is_set, timeout=30_000)
        threading.Timer(0.5, handler.release.set).start()  # the server answers while closing
        window.close()
        assert len(server.handler.envelopes) == len(queued)
    books = open_books(ready_books.db.url.render_as_string(hide_password=False),
                       actor="tester", clock=fixed_clock)
    try:
        assert {m.state for m in outbox.list_outbox(books)} == {"sent"}
    finally:
        books.close()

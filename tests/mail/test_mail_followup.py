"""Reminders from the follow-up run to a real SMTP server on loopback (STARTTLS and AUTH
required, a certificate the test trusts): exactly once, with the right PDF, to the right
people; and each failure mode lands in the outbox state it should."""

from __future__ import annotations

import email
import io
from datetime import UTC, date, datetime, timedelta
from email import policy

import pytest

from desktop_app.services import (
    activity,
    company,
    customers,
    invoices,
    mail,
    outbox,
    payments,
    terms,
)
from desktop_app.services.books import open_books
from desktop_app.services.followup import run as followup

from .imap_server import SENT, ImapServer
from .servers import PASSWORD, USER, Handler, ScriptedServer, Server, free_port

D0 = date(2026, 1, 5)
DUE = D0 + timedelta(days=30)


def set_up(cli, port: int, ca_file, monkeypatch) -> None:
    cli("company", "set", "--name", "Lindenhof GmbH", "--currency", "EUR", "--email", USER,
        "--iban", "DE89370400440532013000", "--address", "Lindenstr. 1\n10969 Berlin")
    cli("terms", "add", "Net 30", "--net-days", "30", "--default")
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    cli("mail", "set", "--host", "127.0.0.1", "--port", str(port), "--security", "starttls",
        "--user", USER, "--from", USER, "--from-name", "Lindenhof Billing", "--ca-file",
        str(ca_file), "--password-stdin")
    cli("customer", "add", "--credit-granted",
        "--name", "Acme Plumbing Ltd", "--email", "ap@acme.example",
        "--contact", "accounts_payable:Jo:jo@acme.example", "--address", "1 Quay\nBristol")
    cli("invoice", "add", "--customer", "1", "--line", "Pipes|10|100.00|20")
    cli("--as-of", D0.isoformat(), "invoice", "issue", "1", "--date", D0.isoformat())


def received(server: Server) -> list[email.message.EmailMessage]:
    return [email.message_from_bytes(e.original_content, policy=policy.default)
            for e in server.handler.envelopes]


def test_a_reminder_goes_out_once_with_its_pdf_from_the_command_line(
        cli, memory_keyring, server_tls, ca_file, monkeypatch):
    with Server(server_tls) as server:
        set_up(cli, server.port, ca_file, monkeypatch)
        day5 = (DUE + timedelta(days=5)).isoformat()
        report = cli.js("--as-of", day5, "followup", "run", "--send")
        assert [a["stage"] for a in report["actions"]] == ["reminder_1"]
        assert len(report["sent"]["sent"]) == 1
        for _ in range(2):  # re-runs, and a retry of the outbox, send nothing more
            assert cli.js("--as-of", day5, "followup", "run", "--send")["actions"] == []
            cli("outbox", "--retry")
        messages = received(server)
    assert len(messages) == 1
    msg = messages[0]
    assert msg["To"] == "ap@acme.example"
    assert msg["Subject"].startswith("Payment reminder") and "INV-2026-0001" in msg["Subject"]
    [pdf] = [p for p in msg.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert pdf.get_filename() == "INV-2026-0001.pdf"
    assert pdf.get_content().startswith(b"%PDF")
    listed = cli.js("outbox")
    assert [(m["state"], m["message_id"]) for m in listed] == [("sent", msg["Message-ID"])]
    assert server.handler.envelopes[0].mail_from == USER


@pytest.fixture
def books_at(db_url):
    """Books whose clock the test moves: retries wait for their time."""
    now = [datetime(2026, 2, 9, 8, 0, tzinfo=UTC)]
    books = open_books(db_url, actor="tester", clock=lambda: now[0])
    yield books, now
    books.close()


def queue_one(books, port: int, ca_file) -> int:
    company.set_company(books, name="Lindenhof GmbH", currency="EUR", email=USER,
                        iban="DE89 3704 0044 0532 0130 00")
    terms.add_terms(books, "Net 30", net_days=30, make_default=True)
    customers.add_customer(books, credit_granted=True,
                           name="Acme Plumbing Ltd", email="ap@acme.example")
    mail.set_account(books, host="127.0.0.1", port=port, security="starttls", user=USER,
                     from_address=USER, ca_file=str(ca_file), password=PASSWORD)
    inv = invoices.create_draft(books, invoices.DraftInput(1, ["Pipes|10|100.00|20"])).id
    invoices.issue_invoice(books, inv, D0)
    report = followup.run_day(books, DUE + timedelta(days=5), channels=("email",))
    (message_id,) = report.emails_queued
    return message_id


def test_a_busy_server_is_tried_again_later_and_the_message_arrives_once(
        books_at, memory_keyring, server_tls, ca_file):
    books, now = books_at
    handler = Handler(data_replies=["421 4.3.2 Service busy, try again later"])
    with Server(server_tls, handler=handler) as server:
        message = queue_one(books, server.port, ca_file)
        first = outbox.send_due(books)
        assert first.retrying == [message]
        [row] = outbox.list_outbox(books)
        assert row.state == "retrying" and "421" in row.last_error
        assert outbox.send_due(books).retrying == []  # not yet: the backoff has not passed
        now[0] += timedelta(minutes=2)
        assert outbox.send_due(books).sent == [message]
        assert outbox.send_due(books).sent == []
    assert len(server.handler.envelopes) == 1
    [row] = outbox.list_outbox(books)
    assert (row.state, row.attempts) == ("sent", 2)


def test_a_refusal_is_shown_with_the_servers_words_and_not_retried(
        books_at, memory_keyring, server_tls, ca_file):
    books, now = books_at
    handler = Handler(data_replies=["550 5.1.1 <ap@acme.example>: mailbox unknown"])
    with Server(server_tls, handler=handler) as server:
        message = queue_one(books, server.port, ca_file)
        assert outbox.send_due(books).failed == [message]
        now[0] += timedelta(days=3)
        assert outbox.send_due(books).failed == []
    [row] = outbox.list_outbox(books)
    assert row.state == "failed" and "550 5.1.1" in row.last_error
    assert "mailbox unknown" in row.last_error
    assert server.handler.envelopes == []


def test_a_line_dropped_after_the_message_leaves_it_unknown_and_a_resend_keeps_its_id(
        books_at, memory_keyring, server_tls, ca_file):
    books, _ = books_at
    with ScriptedServer("drop_after_data") as broken:
        message = queue_one(books, broken.port, ca_file)
        mail.set_account(books, host="127.0.0.1", port=broken.port, security="plain",
                         user=USER, from_address=USER)
        assert outbox.send_due(books).unknown == [message]
    [row] = outbox.list_outbox(books)
    assert row.state == "unknown"
    assert outbox.send_due(books).sent == []  # unknown waits for a person
    with Server(server_tls) as server:
        mail.set_account(books, host="127.0.0.1", port=server.port, security="starttls",
                         user=USER, from_address=USER, ca_file=str(ca_file))
        outbox.resend(books, message)
        assert outbox.send_due(books).sent == [message]
    [arrived] = received(server)
    assert arrived["Message-ID"] == row.message_id


def test_offline_everything_queues_and_goes_out_when_the_server_is_back(
        books_at, memory_keyring, server_tls, ca_file):
    books, now = books_at
    with Server(server_tls) as server:
        port = server.port
    message = queue_one(books, port, ca_file)  # the server is gone: nothing listens
    assert outbox.send_due(books).retrying == [message]
    now[0] += timedelta(minutes=5)
    with Server(server_tls, port=port) as server:
        assert outbox.send_due(books).sent == [message]
    assert len(server.handler.envelopes) == 1


def test_each_sent_reminder_is_filed_once_in_the_sent_folder(
        books_at, memory_keyring, server_tls, ca_file):
    books, _ = books_at
    with Server(server_tls) as smtp, ImapServer(server_tls) as imap:
        message = queue_one(books, smtp.port, ca_file)
        mail.set_sent_folder(books, host="127.0.0.1", port=imap.port)
        report = outbox.send_due(books)
        assert report.sent == [message] and report.not_filed == []
        assert outbox.send_due(books).sent == []
    assert imap.folders[SENT] == [outbox.message_bytes_of(books, message)]
    assert len(smtp.handler.envelopes) == 1


def test_a_sent_folder_that_cannot_be_reached_does_not_unsend_the_message(
        books_at, memory_keyring, server_tls, ca_file):
    books, _ = books_at
    with Server(server_tls) as smtp:
        message = queue_one(books, smtp.port, ca_file)
        mail.set_sent_folder(books, host="127.0.0.1", port=free_port())  # nobody listens
        report = outbox.send_due(books)
    assert report.sent == [message]
    assert len(report.not_filed) == 1 and "Sent folder" in report.not_filed[0]
    assert [m.state for m in outbox.list_outbox(books)] == ["sent"]


def test_microsoft_sign_in_is_refused_plainly_until_the_account_allows_it(cli):
    refused = cli("mail", "signin", ok=False)
    assert refused.returncode == 1 and "set up your mail account first" in refused.stderr
    refused = cli("mail", "set", "--from", USER, ok=False)
    assert refused.stderr.strip() == "paidup-cli: host: is required"
    cli("mail", "set", "--host", "smtp.example.com", "--from", USER)  # a password account
    refused = cli("mail", "set", "--preset", "microsoft365", "--from", USER, ok=False)
    assert refused.stderr.strip() == "paidup-cli: client_id: is required"
    refused = cli("mail", "signin", ok=False)
    assert "logs in with a password, not with Microsoft" in refused.stderr


def test_a_reminder_that_waited_while_the_customer_paid_is_not_sent(
        books_at, memory_keyring, server_tls, ca_file):
    books, now = books_at
    with Server(server_tls) as server:
        port = server.port
    message = queue_one(books, port, ca_file)  # the server is gone: it waits
    assert outbox.send_due(books).retrying == [message]
    payments.record_payment(books, payments.PaymentInput(1, "1200.00", DUE + timedelta(6)))
    now[0] += timedelta(minutes=5)
    with Server(server_tls, port=port) as server:
        report = outbox.send_due(books)
    assert (report.dropped, report.sent, server.handler.envelopes) == ([message], [], [])
    assert outbox.list_outbox(books) == []
    assert any(e.summary.startswith("Not sent, no longer needed: Payment reminder")
               for e in activity.timeline(books, 1))


def test_a_number_format_with_slashes_still_sends_with_a_safe_file_name(
        cli, memory_keyring, server_tls, ca_file, monkeypatch, tmp_path):
    """Numbers like FV/2026/0001 (Poland, France) make file names without separators."""
    with Server(server_tls) as server:
        cli("company", "set", "--name", "Lindenhof GmbH", "--number-format",
            "FV/{year}/{seq:04d}")
        set_up(cli, server.port, ca_file, monkeypatch)
        for n in (2, 3):
            cli("customer", "add", "--credit-granted",
                "--name", f"Customer {n}", "--email", f"ap{n}@c.example")
            cli("invoice", "add", "--customer", str(n), "--line", "Pipes|1|100.00|20")
            cli("invoice", "issue", str(n), "--date", D0.isoformat())
        report = cli.js("--as-of", (DUE + timedelta(days=5)).isoformat(), "followup", "run",
                        "--send", "--letters", str(tmp_path / "letters.pdf"))
        assert len(report["sent"]["sent"]) == 3 and report["waiting"] == []
        assert report["letters"] == 3
        messages = received(server)
    names = sorted(p.get_filename() for m in messages for p in m.iter_attachments())
    assert names == ["FV-2026-0001.pdf", "FV-2026-0002.pdf", "FV-2026-0003.pdf"]


def test_one_customers_refusal_leaves_the_others_done(cli, memory_keyring, server_tls,
                                                      ca_file, monkeypatch, tmp_path):
    from desktop_app.domain.errors import ValidationError
    from desktop_app.services.followup import carry_out

    with Server(server_tls) as server:
        set_up(cli, server.port, ca_file, monkeypatch)
        cli("customer", "add", "--credit-granted",
            "--name", "Zeta GmbH", "--email", "ap@zeta.example")
        cli("invoice", "add", "--customer", "2", "--line", "Pipes|1|100.00|20")
        cli("invoice", "issue", "2", "--date", D0.isoformat())
        compose = carry_out.compose_email

        def refuse_acme(ctx, batch):  # a document for Acme that cannot be made today
            if batch.customer_id == 1:
                raise ValidationError("attachment", "the invoice's PDF cannot be made")
            return compose(ctx, batch)

        monkeypatch.setattr(carry_out, "compose_email", refuse_acme)
        day5 = (DUE + timedelta(days=5)).isoformat()
        letters = str(tmp_path / "letters.pdf")
        report = cli.js("--as-of", day5, "followup", "run", "--send", "--letters", letters)
        assert [(a["customer_id"], a["stage"]) for a in report["actions"]] == [
            (2, "reminder_1")]
        assert report["letters"] == 1  # Zeta's; Acme's letter is not kept without its email
        assert report["failed"] == ["Acme Plumbing Ltd: nothing was done today, because "
                                    "attachment: the invoice's PDF cannot be made"]
        assert "failed_said" not in report  # the window's form of it stays in the window
        monkeypatch.setattr(carry_out, "compose_email", compose)
        again = cli.js("--as-of", day5, "followup", "run", "--send", "--letters", letters)
        assert [(a["customer_id"], a["stage"]) for a in again["actions"]] == [
            (1, "reminder_1")]
        assert {m["To"] for m in received(server)} == {"ap@zeta.example", "ap@acme.example"}

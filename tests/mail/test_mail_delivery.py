"""Delivery against real SMTP servers on loopback: TLS verified, outcomes classified."""

from __future__ import annotations

import email
import socket
import ssl
from datetime import UTC, datetime
from email import policy
from pathlib import Path

import pytest

from desktop_app.domain.errors import RuleViolation
from desktop_app.mail import delivery
from desktop_app.mail.message import (
    Attachment,
    Mailbox,
    build_message,
    envelope_recipients,
    message_bytes,
)
from desktop_app.mail.outbox import OutboxEntry, OutboxState, record_outcome, start_sending

from .conftest import make_account, right_password
from .servers import PASSWORD, USER, Handler, ScriptedServer, Server

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
SENT_AT = datetime(2026, 3, 20, 9, 30, tzinfo=UTC)
# aiosmtpd cannot tell that an implicit-TLS connection is encrypted and warns about AUTH.
implicit_tls_warning = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


def reminder(account, pdf: bytes = PDF, message_id: str | None = None):
    msg = build_message(
        account=account,
        to=[Mailbox("ap@customer.example", "Accounts Payable")],
        cc=[Mailbox("cfo@customer.example", "Chief Financial Officer")],
        subject="Payment reminder: invoice 2026-0012",
        body="Dear customer,\n\n.leading dot line\nInvoice 2026-0012 is open.\n",
        sent_at=SENT_AT,
        attachments=[Attachment("Invoice 2026-0012.pdf", pdf)],
        message_id=message_id,
    )
    return msg, message_bytes(msg)


def send(account, raw: bytes, msg, password=right_password):
    return delivery.deliver(raw, account.from_address, envelope_recipients(msg), account,
                            password)


def test_message_with_pdf_arrives_intact_over_starttls(server_tls, ca_file):
    with Server(server_tls) as server:
        account = make_account(server.port, ca_file=ca_file)
        msg, raw = reminder(account)
        result = send(account, raw, msg)
    assert result.outcome is OutboxState.SENT
    assert result.smtp_code == 250
    [envelope] = server.handler.envelopes
    assert envelope.mail_from == USER
    assert envelope.rcpt_tos == ["ap@customer.example", "cfo@customer.example"]
    arrived = email.message_from_bytes(envelope.original_content, policy=policy.default)
    assert arrived["Message-ID"] == msg["Message-ID"]
    assert arrived["To"] == "Accounts Payable <ap@customer.example>"
    assert arrived["Cc"] == "Chief Financial Officer <cfo@customer.example>"
    [pdf_part] = list(arrived.iter_attachments())
    assert pdf_part.get_filename() == "Invoice 2026-0012.pdf"
    assert pdf_part.get_content() == PDF
    body = arrived.get_body(preferencelist=("plain",)).get_content()
    assert "\n.leading dot line\n" in body.replace("\r\n", "\n")


@implicit_tls_warning
def test_implicit_tls_delivers(server_tls, ca_file):
    with Server(server_tls, implicit_tls=True) as server:
        account = make_account(server.port, security="ssl", ca_file=ca_file)
        msg, raw = reminder(account)
        assert send(account, raw, msg).outcome is OutboxState.SENT
    assert len(server.handler.envelopes) == 1


@implicit_tls_warning
@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_untrusted_certificate_is_refused(server_tls, security):
    """Without the extra CA the test certificate is unknown: no login, no message."""
    with Server(server_tls, implicit_tls=security == "ssl") as server:
        account = make_account(server.port, security=security)
        msg, raw = reminder(account)
        provided = []
        result = send(account, raw, msg, password=lambda: provided.append(1) or PASSWORD)
    assert result.outcome is OutboxState.FAILED
    assert "certificate is not trusted" in result.reason
    assert provided == []
    assert server.handler.envelopes == []


def test_wrong_ca_file_is_named(tmp_path):
    bogus = tmp_path / "not-a-cert.pem"
    bogus.write_text("hello")
    account = make_account(1, ca_file=bogus)
    with pytest.raises(RuleViolation, match="ca_file"):
        delivery.test_login(account, right_password)


def test_login_check_ok_and_wrong_password_gives_servers_words(server_tls, ca_file):
    with Server(server_tls) as server:
        account = make_account(server.port, ca_file=ca_file)
        delivery.test_login(account, right_password)
        with pytest.raises(RuleViolation) as refused:
            delivery.test_login(account, lambda: "wrong password")
    message = str(refused.value)
    assert "535 5.7.8 Authentication credentials invalid" in message
    assert "\n" not in message
    assert "wrong password" not in message


def test_server_421_then_250_is_retrying_then_sent(server_tls, ca_file):
    handler = Handler(data_replies=["421 4.3.2 Service busy, try again later"])
    with Server(server_tls, handler=handler) as server:
        account = make_account(server.port, ca_file=ca_file)
        msg, raw = reminder(account)
        entry = start_sending(OutboxEntry(message_id=msg["Message-ID"]))
        first = send(account, raw, msg)
        entry = record_outcome(entry, first.outcome, first.reason, SENT_AT)
        assert entry.state is OutboxState.RETRYING
        assert entry.next_attempt is not None and entry.next_attempt > SENT_AT
        assert "421 4.3.2 Service busy" in first.reason
        entry = start_sending(entry)
        second = send(account, raw, msg)
        entry = record_outcome(entry, second.outcome, second.reason, SENT_AT)
    assert entry.state is OutboxState.SENT
    assert entry.attempts == 2
    [envelope] = handler.envelopes
    assert envelope.original_content == raw


def test_server_550_is_failed_with_reason(server_tls, ca_file):
    handler = Handler(data_replies=["550 5.7.1 Message rejected as spam"])
    with Server(server_tls, handler=handler) as server:
        account = make_account(server.port, ca_file=ca_file)
        msg, raw = reminder(account)
        result = send(account, raw, msg)
    assert result.outcome is OutboxState.FAILED
    assert result.smtp_code == 550
    assert "550 5.7.1 Message rejected as spam" in result.reason


def test_connection_refused_is_retrying():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    account = make_account(port, security="plain")
    msg, raw = reminder(account)
    result = send(account, raw, msg)
    assert result.outcome is OutboxState.RETRYING
    assert "connection problem" in result.reason


def test_silent_server_times_out_as_retrying():
    with ScriptedServer("silent") as server:
        account = make_account(server.port, security="plain", timeout_seconds=1)
        msg, raw = reminder(account)
        result = send(account, raw, msg)
    assert result.outcome is OutboxState.RETRYING


def test_drop_in_the_middle_of_the_message_is_retrying():
    big_pdf = b"%PDF-1.7\n" + b"0" * (8 * 1024 * 1024)
    with ScriptedServer("drop_mid_data") as server:
        account = make_account(server.port, security="plain")
        msg, raw = reminder(account, pdf=big_pdf)
        result = send(account, raw, msg)
    assert result.outcome is OutboxState.RETRYING
    assert 0 < len(server.received) < len(raw)


def test_drop_after_the_whole_message_is_unknown():
    with ScriptedServer("drop_after_data") as server:
        account = make_account(server.port, security="plain")
        msg, raw = reminder(account)
        result = send(account, raw, msg)
    assert result.outcome is OutboxState.UNKNOWN
    assert "check whether it arrived" in result.reason
    assert server.received.endswith(b"\r\n.\r\n")
    assert b"\r\n..leading dot line\r\n" in server.received


def test_refused_recipient_sends_to_nobody(server_tls, ca_file):
    """All or nothing: one refused address means no copy goes to the others either."""

    class PickyHandler(Handler):
        async def handle_RCPT(self, server, session, envelope, address, options):
            if address.startswith("cfo@"):
                return "550 5.1.1 No such user"
            envelope.rcpt_tos.append(address)
            return "250 OK"

    handler = PickyHandler()
    with Server(server_tls, handler=handler) as server:
        account = make_account(server.port, ca_file=ca_file)
        msg, raw = reminder(account)
        result = send(account, raw, msg)
    assert result.outcome is OutboxState.FAILED
    assert "cfo@customer.example: 550 5.1.1 No such user" in result.reason
    assert handler.envelopes == []


def test_starttls_not_offered_is_refused_not_sent_in_clear():
    with ScriptedServer("drop_after_data") as server:
        account = make_account(server.port, security="starttls")
        msg, raw = reminder(account)
        result = send(account, raw, msg)
    assert result.outcome is OutboxState.FAILED
    assert "STARTTLS" in result.reason
    assert server.received == b""


def test_extra_ca_keeps_system_roots(ca_file):
    from desktop_app.mail.transport import tls_context

    context = tls_context(str(ca_file))
    assert context.verify_mode is ssl.CERT_REQUIRED
    assert context.check_hostname
    assert len(context.get_ca_certs()) >= 1


def test_ca_file_path_is_not_needed_for_plain(tmp_path: Path):
    account = make_account(1, security="plain")
    assert account.ca_file == ""

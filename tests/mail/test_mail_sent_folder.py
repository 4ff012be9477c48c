"""Filing a copy in the Sent folder over IMAP (TLS verified), once per Message-ID."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.mail.message import Mailbox, build_message, message_bytes
from desktop_app.mail.sent_folder import ImapSettings, file_in_sent

from .conftest import make_account
from .imap_server import SENT, ImapServer
from .servers import ACCESS_TOKEN, PASSWORD, USER

AT = datetime(2026, 3, 20, 9, 30, tzinfo=UTC)


def sent_message():
    msg = build_message(account=make_account(587), to=[Mailbox("ap@customer.example")],
                        subject="Invoice 2026-0012", body="Attached.\n", sent_at=AT)
    return msg["Message-ID"], message_bytes(msg)


def settings(port, ca_file, **extra):
    return ImapSettings(host="127.0.0.1", port=port, user=USER, ca_file=str(ca_file),
                        timeout_seconds=5, **extra)


def test_copy_is_filed_once_in_the_servers_sent_folder(server_tls, ca_file):
    message_id, raw = sent_message()
    with ImapServer(server_tls) as server:
        imap = settings(server.port, ca_file)
        assert file_in_sent(raw, message_id, AT, imap, lambda: PASSWORD) is True
        assert file_in_sent(raw, message_id, AT, imap, lambda: PASSWORD) is False
        other_id, other = sent_message()
        assert file_in_sent(other, other_id, AT, imap, lambda: PASSWORD) is True
    assert server.folders[SENT] == [raw, other]


def test_oauth2_and_named_folder(server_tls, ca_file):
    message_id, raw = sent_message()
    with ImapServer(server_tls) as server:
        imap = settings(server.port, ca_file, auth="oauth2", folder="INBOX")
        assert file_in_sent(raw, message_id, AT, imap, lambda: ACCESS_TOKEN)
    assert server.folders["INBOX"] == [raw]


def test_refusals_carry_the_servers_words(server_tls, ca_file):
    message_id, raw = sent_message()
    with ImapServer(server_tls) as server:
        with pytest.raises(RuleViolation, match="Invalid credentials") as wrong:
            file_in_sent(raw, message_id, AT, settings(server.port, ca_file), lambda: "nope")
        with pytest.raises(RuleViolation, match="No such folder"):
            file_in_sent(raw, message_id, AT, settings(server.port, ca_file, folder="Gone"),
                         lambda: PASSWORD)
    assert "nope" not in str(wrong.value)
    assert server.folders[SENT] == []


def test_untrusted_certificate_is_refused(server_tls):
    message_id, raw = sent_message()
    with ImapServer(server_tls) as server:
        imap = ImapSettings(host="127.0.0.1", port=server.port, user=USER, timeout_seconds=5)
        with pytest.raises(RuleViolation, match="CERTIFICATE_VERIFY_FAILED"):
            file_in_sent(raw, message_id, AT, imap, lambda: PASSWORD)
    assert server.folders[SENT] == []


@pytest.mark.parametrize(
    ("field", "changes"),
    [("imap_host", {"host": "a b"}), ("imap_port", {"port": 0}),
     ("imap_security", {"host": "imap.example.com", "security": "plain"}),
     ("imap_user", {"user": ""}), ("imap_folder", {"folder": 'Sent"'})],
)
def test_settings_checked(field, changes):
    with pytest.raises(ValidationError) as refused:
        ImapSettings(**{"host": "127.0.0.1", "user": USER, **changes})
    assert refused.value.field == field

"""The password is in the keyring and nowhere else: not in files, logs, results or errors."""

from __future__ import annotations

import base64
import json
import logging
import traceback
from datetime import UTC, datetime
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from desktop_app.domain.errors import RuleViolation
from desktop_app.mail import delivery
from desktop_app.mail.credentials import keyring_password, store_password
from desktop_app.mail.message import Mailbox, build_message, message_bytes
from desktop_app.mail.outbox import OutboxState

from .conftest import make_account
from .servers import PASSWORD, ScriptedServer, Server

WRONG = "Wr0ng-but-still-secret-9Z"


@pytest.fixture
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every folder a library might write to points into the test's own directory."""
    home = tmp_path / "home"
    home.mkdir()
    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME",
                 "PAIDUP_DATA_DIR", "PAIDUP_CONFIG_DIR", "PAIDUP_LOG_DIR"):
        monkeypatch.setenv(name, str(home / name.lower()))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def secret_forms(secret: str) -> list[bytes]:
    return [secret.encode(), base64.b64encode(secret.encode())]


def test_password_never_leaves_the_keyring(memory_keyring, private_home, server_tls, test_ca,
                                           caplog, capsys):
    caplog.set_level(logging.DEBUG)
    ca_file = private_home / "ca.pem"
    test_ca.cert_pem.write_to_path(str(ca_file))
    with Server(server_tls) as server:
        account = make_account(server.port, ca_file=ca_file)
        store_password(account, PASSWORD)
        msg = build_message(account=account, to=[Mailbox("ap@customer.example")],
                            subject="Invoice 2026-0012", body="Attached.\n",
                            sent_at=datetime(2026, 3, 20, tzinfo=UTC))
        raw = message_bytes(msg)
        (private_home / "outbox-copy.eml").write_bytes(raw)  # what the outbox would store
        sent = delivery.deliver(raw, account.from_address, ["ap@customer.example"], account,
                                keyring_password(account))
        delivery.test_login(account, keyring_password(account))
        refused = delivery.deliver(raw, account.from_address, ["ap@customer.example"], account,
                                   lambda: WRONG)
        with pytest.raises(RuleViolation) as login_error:
            delivery.test_login(account, lambda: WRONG)
    assert sent.outcome is OutboxState.SENT
    assert refused.outcome is OutboxState.FAILED

    captured = capsys.readouterr()
    texts = [record.getMessage() for record in caplog.records] + [
        repr(sent), repr(refused), str(login_error.value), repr(account),
        "".join(traceback.format_exception(login_error.value)),
        json.dumps(account.to_dict()), captured.out, captured.err,
        raw.decode("ascii"), server.handler.envelopes[0].original_content.decode("ascii"),
    ]
    assert caplog.records  # the sender does log; just never the secret
    for secret in (PASSWORD, WRONG):
        for form in secret_forms(secret):
            assert not any(form.decode() in text for text in texts)
    written = [path for path in private_home.rglob("*") if path.is_file()]
    assert written  # the test's own files at least
    for path in written:
        content = path.read_bytes()
        for secret in (PASSWORD, WRONG):
            assert not any(form in content for form in secret_forms(secret)), path


def test_no_keyring_means_no_file_at_all(private_home, caplog):
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        with pytest.raises(RuleViolation) as refused:
            store_password(make_account(587), PASSWORD)
        with ScriptedServer("drop_after_data") as server:
            account = make_account(server.port, security="plain")
            result = delivery.deliver(b"x", account.from_address, ["ap@customer.example"],
                                      account, keyring_password(account))
    finally:
        keyring.set_keyring(previous)
    assert "No system keyring is available" in str(refused.value)
    assert [path for path in private_home.rglob("*") if path.is_file()] == []
    assert PASSWORD not in caplog.text
    assert result.outcome is OutboxState.FAILED
    assert result.reason == str(refused.value)
    assert server.received == b""

"""OAuth2: the XOAUTH2 string, a real AUTH XOAUTH2 exchange, the token cache in the keyring."""

from __future__ import annotations

import base64
import json

import msal
import pytest

from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.mail import delivery
from desktop_app.mail.credentials import read_secret
from desktop_app.mail.message import Mailbox, build_message, message_bytes
from desktop_app.mail.oauth import (
    TOKEN_SERVICE,
    MicrosoftApp,
    load_token_cache,
    save_token_cache,
    sign_out,
    xoauth2_response,
)
from desktop_app.mail.outbox import OutboxState

from .conftest import make_account
from .servers import ACCESS_TOKEN, Server
from .test_mail_delivery import SENT_AT


def test_xoauth2_string_matches_the_published_example():
    # The example from Google's XOAUTH2 protocol description (user, token and encoding).
    raw = xoauth2_response("someuser@example.com", "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg")
    assert base64.b64encode(raw.encode()).decode() == (
        "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52"
        "YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ=="
    )


@pytest.mark.parametrize(("user", "token"), [("", "t"), ("u", ""), ("u", "a\x01b"), ("u\n", "t")])
def test_xoauth2_refuses_broken_parts(user, token):
    with pytest.raises(ValidationError):
        xoauth2_response(user, token)


def oauth_message(account):
    msg = build_message(account=account, to=[Mailbox("ap@customer.example")],
                        subject="Invoice 2026-0012", body="Attached.\n", sent_at=SENT_AT)
    return message_bytes(msg)


def test_xoauth2_login_and_send_over_starttls(server_tls, ca_file):
    with Server(server_tls) as server:
        account = make_account(server.port, ca_file=ca_file, auth="oauth2")
        raw = oauth_message(account)
        sent = delivery.deliver(raw, account.from_address, ["ap@customer.example"], account,
                                lambda: ACCESS_TOKEN)
        refused = delivery.deliver(raw, account.from_address, ["ap@customer.example"],
                                   account, lambda: "expired-token")
    assert sent.outcome is OutboxState.SENT
    assert refused.outcome is OutboxState.FAILED
    assert "535 5.7.3 Authentication unsuccessful" in refused.reason
    assert "expired-token" not in refused.reason
    assert len(server.handler.envelopes) == 1


def test_server_without_xoauth2_is_named(server_tls, ca_file):
    with Server(server_tls, exclude_auth=("XOAUTH2",)) as server:
        account = make_account(server.port, ca_file=ca_file, auth="oauth2")
        with pytest.raises(RuleViolation, match="does not offer OAuth2"):
            delivery.test_login(account, lambda: ACCESS_TOKEN)


def test_token_cache_keeps_only_the_long_lived_part(memory_keyring):
    account = make_account(587, host="smtp.office365.com", auth="oauth2")
    cache = msal.SerializableTokenCache()
    cache.deserialize(json.dumps({
        "AccessToken": {"k1": {"secret": "short-lived-access"}},
        "IdToken": {"k2": {"secret": "id-token"}},
        "RefreshToken": {"k3": {"secret": "long-lived-refresh", "credential_type": "RefreshToken"}},
        "Account": {"k4": {"username": "anna@example.com"}},
    }))
    cache.has_state_changed = True
    save_token_cache(account, cache)
    stored = read_secret(TOKEN_SERVICE, account.keyring_username)
    assert "long-lived-refresh" in stored and "anna@example.com" in stored
    assert "short-lived-access" not in stored and "id-token" not in stored
    loaded = json.loads(load_token_cache(account).serialize())
    assert loaded["RefreshToken"]["k3"]["secret"] == "long-lived-refresh"
    sign_out(account)
    assert read_secret(TOKEN_SERVICE, account.keyring_username) is None


def test_unchanged_cache_is_not_written(memory_keyring):
    account = make_account(587, auth="oauth2")
    save_token_cache(account, msal.SerializableTokenCache())
    assert memory_keyring.entries == {}


def test_app_registration_checked():
    with pytest.raises(ValidationError, match="client_id"):
        MicrosoftApp(" ")
    assert MicrosoftApp("abc", "contoso.example").authority.endswith("/contoso.example")

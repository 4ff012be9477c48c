"""The real Secret Service (run under a private D-Bus session with GNOME Keyring unlocked)."""

from __future__ import annotations

import json
import uuid

import keyring
import msal
import pytest
from keyring.backends import SecretService

from desktop_app.domain.errors import RuleViolation
from desktop_app.mail.credentials import (
    PASSWORD_SERVICE,
    delete_password,
    read_password,
    store_password,
    usable_keyring,
)
from desktop_app.mail.oauth import load_token_cache, save_token_cache, sign_out

from .conftest import make_account

pytestmark = pytest.mark.keyring
SECRET = "real-keyring-Secr3t-äöü"


@pytest.fixture
def account():
    return make_account(587, host="smtp.example.com", user=f"test-{uuid.uuid4().hex}@example.com")


def test_backend_is_the_secret_service():
    assert isinstance(usable_keyring(), SecretService.Keyring)


def test_store_read_delete_through_secret_service(account):
    store_password(account, SECRET)
    try:
        assert read_password(account) == SECRET
        assert keyring.get_password(PASSWORD_SERVICE, account.keyring_username) == SECRET
    finally:
        delete_password(account)
    assert keyring.get_password(PASSWORD_SERVICE, account.keyring_username) is None
    with pytest.raises(RuleViolation, match="No mail password is saved"):
        read_password(account)


def test_token_cache_round_trip(account):
    cache = msal.SerializableTokenCache()
    refresh = "0.A" + "x" * 1500  # Microsoft refresh tokens run to well over a kilobyte
    cache.deserialize(json.dumps({"RefreshToken": {"k": {"secret": refresh}}}))
    cache.has_state_changed = True
    save_token_cache(account, cache)
    try:
        loaded = json.loads(load_token_cache(account).serialize())
        assert loaded["RefreshToken"]["k"]["secret"] == refresh
    finally:
        sign_out(account)

"""Credentials: the keyring holds the password; without a usable keyring, a plain refusal."""

from __future__ import annotations

import keyring
import keyring.backend
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail

from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.mail.credentials import (
    NO_KEYRING,
    PASSWORD_SERVICE,
    delete_password,
    keyring_password,
    read_password,
    store_password,
    usable_keyring,
)

from .conftest import make_account

SECRET = "s3cret-Passw0rd-for-tests"


def test_store_read_delete(memory_keyring):
    account = make_account(587, host="smtp.example.com")
    store_password(account, SECRET)
    assert memory_keyring.entries == {
        (PASSWORD_SERVICE, "anna@example.com@smtp.example.com"): SECRET}
    assert read_password(account) == SECRET
    assert keyring_password(account)() == SECRET
    delete_password(account)
    delete_password(account)  # already gone: fine
    with pytest.raises(RuleViolation, match=r"No mail password is saved for anna@example\.com@"):
        read_password(account)


@pytest.mark.parametrize("bad", ["", "two\nlines"])
def test_unusable_password_refused(memory_keyring, bad):
    with pytest.raises(ValidationError) as refused:
        store_password(make_account(587), bad)
    assert refused.value.field == "password"


def test_fail_backend_is_a_plain_refusal():
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        with pytest.raises(RuleViolation) as refused:
            store_password(make_account(587), SECRET)
    finally:
        keyring.set_keyring(previous)
    assert str(refused.value) == NO_KEYRING
    assert "gnome-keyring" in str(refused.value)


def test_chainer_without_backends_is_refused(monkeypatch):
    monkeypatch.setattr(keyring.backend, "_limit", lambda backend: False)
    previous = keyring.get_keyring()
    keyring.set_keyring(chainer.ChainerBackend())
    try:
        with pytest.raises(RuleViolation, match="No system keyring is available"):
            usable_keyring()
    finally:
        keyring.set_keyring(previous)


class PlainTextFile(KeyringBackend):
    """Stands for keyrings.alt's file backends: they would write the secret to disk."""

    priority = 0  # type: ignore[assignment]

    def get_password(self, service, username):
        raise AssertionError("must not be used")

    set_password = delete_password = get_password


PlainTextFile.__module__ = "keyrings.alt.file"


def test_chain_uses_its_best_safe_backend_alone(monkeypatch, memory_keyring):
    """A chain would fall through to a plain-text file when the real keyring fails."""
    from tests.support.mail_fixtures import MemoryKeyring

    monkeypatch.setattr(PlainTextFile, "priority", 9)
    monkeypatch.setattr(MemoryKeyring, "priority", 2)
    monkeypatch.setattr(
        keyring.backend, "_limit", lambda b: isinstance(b, PlainTextFile | MemoryKeyring)
    )
    keyring.set_keyring(chainer.ChainerBackend())
    assert isinstance(usable_keyring(), MemoryKeyring)


def test_plain_text_file_backend_is_refused():
    previous = keyring.get_keyring()
    keyring.set_keyring(PlainTextFile())
    try:
        with pytest.raises(RuleViolation, match="No system keyring is available"):
            store_password(make_account(587), SECRET)
    finally:
        keyring.set_keyring(previous)


class Broken(KeyringBackend):
    """A backend whose own error messages repeat the secret (some do)."""

    priority = 0  # type: ignore[assignment]

    def __init__(self, error: type[Exception]) -> None:
        super().__init__()
        self.error = error

    def get_password(self, service, username):
        raise self.error(f"failed for {service} {username}")

    def set_password(self, service, username, password):
        raise self.error(f"could not store {password!r}")

    def delete_password(self, service, username):
        raise self.error("nope")


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (keyring.errors.KeyringLocked, "locked"),
        (keyring.errors.InitError, "No system keyring"),
        (RuntimeError, "could not save"),
    ],
)
def test_backend_failures_become_plain_refusals_without_the_secret(error, words):
    previous = keyring.get_keyring()
    keyring.set_keyring(Broken(error))
    try:
        with pytest.raises(RuleViolation) as refused:
            store_password(make_account(587), SECRET)
    finally:
        keyring.set_keyring(previous)
    assert words in str(refused.value)
    assert SECRET not in str(refused.value)
    assert refused.value.__context__ is None and refused.value.__cause__ is None

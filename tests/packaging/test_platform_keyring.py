"""The installed app names the OS keyring itself instead of trusting entry-point discovery."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import SecretService, fail

from desktop_app.mail.credentials import read_secret, store_secret, usable_keyring
from desktop_app.mail.platform_keyring import platform_backend, use_platform_keyring


@pytest.fixture
def restore_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    yield
    keyring.set_keyring(before)


@pytest.mark.parametrize(("platform", "expected"), [
    ("win32", "keyring.backends.Windows.WinVaultKeyring"),
    ("darwin", "keyring.backends.macOS.Keyring"),
    ("linux", "keyring.backends.SecretService.Keyring"),
])
def test_each_system_gets_its_own_keyring(platform, expected):
    backend = platform_backend(platform)
    assert f"{type(backend).__module__}.{type(backend).__qualname__}" == expected


def test_without_a_session_the_secret_service_is_named_not_the_fail_backend(
        monkeypatch, restore_keyring):
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    keyring.set_keyring(fail.Keyring())  # what a bundle that lost discovery would have
    chosen = use_platform_keyring()
    assert isinstance(chosen, SecretService.Keyring)
    assert usable_keyring() is chosen  # used, and its failure reported, not a file fallback


@pytest.mark.keyring
def test_in_a_desktop_session_the_named_keyring_holds_the_secret(restore_keyring):
    keyring.set_keyring(fail.Keyring())
    chosen: KeyringBackend = use_platform_keyring()
    assert isinstance(chosen, SecretService.Keyring) and type(chosen).viable
    user = f"probe-{uuid.uuid4().hex}@example.com"
    store_secret("PaidUp test", user, "s3cret")
    try:
        assert read_secret("PaidUp test", user) == "s3cret"
    finally:
        chosen.delete_password("PaidUp test", user)

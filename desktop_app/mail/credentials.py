"""The mail password (or OAuth2 token cache) lives in the OS keyring and nowhere else.

Never a file, the database, a log line or an exception message: errors here name the account
and the keyring, not the secret, and there is no plain-text fallback when no keyring works.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null

from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.mail.account import Account
from desktop_app.messages import N_

log = logging.getLogger(__name__)
T = TypeVar("T")

PASSWORD_SERVICE = "PaidUp SMTP"

PasswordProvider = Callable[[], str]
"""Called at login time only, so the secret is held for the shortest possible while."""

NO_KEYRING = N_(
    "No system keyring is available: install and unlock GNOME Keyring or KWallet "
    "(Debian: gnome-keyring), then try again"
)
# What failed, by the action tried: one whole sentence each, for the translators.
_KEYRING_FAILED = {
    "save": N_("The system keyring could not save the mail secret"),
    "read": N_("The system keyring could not read the mail secret"),
    "delete": N_("The system keyring could not delete the mail secret"),
}


def _plain_text(backend: KeyringBackend) -> bool:
    """keyrings.alt offers file backends that would put the password in a file."""
    return type(backend).__module__.startswith("keyrings.alt")


def _unsafe(backend: KeyringBackend) -> bool:
    return isinstance(backend, fail.Keyring | null.Keyring) or _plain_text(backend)


def usable_keyring() -> KeyringBackend:
    """The backend to use, or a plain refusal when none can hold a secret safely.

    From a chain of backends the best safe one is used on its own: the chain would fall
    through to the next backend (perhaps a plain-text file) when the first one fails.
    """
    backend = keyring.get_keyring()
    if isinstance(backend, chainer.ChainerBackend):
        backend = next((b for b in backend.backends if not _unsafe(b)), fail.Keyring())
    if _unsafe(backend):
        raise RuleViolation(NO_KEYRING)
    return backend


def _keyring_failed(action: str, error: Exception) -> RuleViolation:
    # The backend's own text is left out: some echo their arguments back.
    log.warning("keyring %s failed: %s", action, type(error).__name__)
    if isinstance(error, keyring.errors.KeyringLocked):
        return RuleViolation(N_("The system keyring is locked: unlock it, then try again"))
    if isinstance(error, keyring.errors.NoKeyringError | keyring.errors.InitError):
        return RuleViolation(NO_KEYRING)
    return RuleViolation(_KEYRING_FAILED[action])


def _call(action: str, method: Callable[..., T], *args: str) -> T:
    """Run one backend call; any failure becomes one plain refusal with no chained cause."""
    try:
        return method(*args)
    except Exception as error:
        failure = _keyring_failed(action, error)
    # Raised outside the except block: the backend's exception (and the secret among its
    # arguments in the traceback) is not attached as __context__ for a crash report.
    raise failure


def store_secret(service: str, username: str, secret: str) -> None:
    _call("save", usable_keyring().set_password, service, username, secret)


def read_secret(service: str, username: str) -> str | None:
    return _call("read", usable_keyring().get_password, service, username)


def delete_secret(service: str, username: str) -> None:
    """Forget a secret; forgetting one that is not there is not an error."""
    backend = usable_keyring()
    if _call("read", backend.get_password, service, username) is not None:
        _call("delete", backend.delete_password, service, username)


def store_password(account: Account, password: str) -> None:
    if not isinstance(password, str) or not password:
        raise ValidationError("password", N_("is required"))
    if any(ch in password for ch in "\r\n\x00"):
        raise ValidationError("password", N_("must be a single line"))
    store_secret(PASSWORD_SERVICE, account.keyring_username, password)


def read_password(account: Account) -> str:
    password = read_secret(PASSWORD_SERVICE, account.keyring_username)
    if not password:
        raise RuleViolation(
            N_("No mail password is saved for {user}: enter it in the mail settings"),
            user=account.keyring_username,
        )
    return password


def delete_password(account: Account) -> None:
    delete_secret(PASSWORD_SERVICE, account.keyring_username)


def keyring_password(account: Account) -> PasswordProvider:
    """A provider that reads the password from the keyring at the moment of login."""
    return lambda: read_password(account)

"""The user's mail account: settings in the books (never a secret), the password in the OS
keyring, a login test that reports the server's own words."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.mail.account import (
    PRESETS,
    Account,
    AuthMethod,
    Security,
    account_from_preset,
    member_of,
)
from desktop_app.mail.credentials import PasswordProvider, keyring_password, store_password
from desktop_app.mail.delivery import test_login
from desktop_app.mail.oauth import (
    DeviceSignIn as DeviceSignIn,  # handed to the faces: the sign-in under way
)
from desktop_app.mail.oauth import (
    MicrosoftApp,
    finish_device_sign_in,
    oauth_token_provider,
    shipped_client_id,
    start_device_sign_in,
)
from desktop_app.mail.sent_folder import ImapSettings as ImapSettings  # handed to the faces
from desktop_app.messages import N_
from desktop_app.services.books import Books, audit
from desktop_app.services.changes import OpChanges, states
from desktop_app.storage.models import Setting

ACCOUNT_KEY = "mail.account"
MICROSOFT_APP_KEY = "mail.microsoft_app"
SENT_FOLDER_KEY = "mail.sent_folder"
NOT_SET_UP = N_("mail: set up your mail account first (Settings > Mail, or "
                "'paidup-cli mail set --host ... --from ...')")


@dataclass(frozen=True)
class AccountView:
    """The settings as shown to the user: never a password."""

    host: str
    port: int
    security: str
    user: str
    from_address: str
    from_name: str
    reply_to: str
    auth: str
    ca_file: str = ""  # a certificate authority the server's certificate is checked against
    read_receipt: bool = False  # invoice emails ask for a read receipt


def load_account(session: Session) -> Account | None:
    row = session.get(Setting, ACCOUNT_KEY)
    return Account.from_dict(json.loads(row.value)) if row else None


def require_account(session: Session) -> Account:
    account = load_account(session)
    if account is None:
        raise RuleViolation(NOT_SET_UP)
    return account


def _view(account: Account) -> AccountView:
    return AccountView(account.host, account.port, account.security.value, account.user,
                       account.from_address, account.from_name, account.reply_to,
                       account.auth.value, account.ca_file, account.read_receipt)


def get_account(books: Books) -> AccountView | None:
    with books.db.read() as session:
        account = load_account(session)
        return _view(account) if account else None


@states(OpChanges.SETTINGS | OpChanges.OUTBOX)
def set_account(books: Books, *, password: str | None = None, preset: str = "generic",
                microsoft_client_id: str = "", **settings: Any) -> AccountView:
    """Check the settings, put the password in the keyring, then keep the rest in the books.

    The keyring comes first: when it refuses (none usable), nothing is saved at all.
    """
    if preset not in PRESETS:
        raise ValidationError("preset", N_("'{preset}' is not one of {presets}"),
                              preset=preset, presets=", ".join(PRESETS))
    given = {k: v for k, v in settings.items() if v not in (None, "")}
    account = account_from_preset(preset, **given)
    app = None
    if account.auth is AuthMethod.OAUTH2:
        # The id typed, else the one kept (a save that changes only the sender's name keeps
        # the administrator's app and its sign-in), else PaidUp's own; refuses none, field
        # named. The preset says whose accounts sign in (personal ones: "consumers").
        app = MicrosoftApp(microsoft_client_id or _kept_client_id(books) or shipped_client_id(),
                           PRESETS[preset].tenant or "organizations")
    elif password is not None:
        store_password(account, password)
    with books.db.write() as session:
        _put(session, ACCOUNT_KEY, account.to_dict())
        if app is not None:
            _put(session, MICROSOFT_APP_KEY, {"client_id": app.client_id, "tenant": app.tenant})
        audit(session, books, "mail.set", "settings", None,
              {"host": account.host, "user": account.user, "auth": account.auth.value})
    return _view(account)


def _kept_client_id(books: Books) -> str:
    with books.db.read() as session:
        row = session.get(Setting, MICROSOFT_APP_KEY)
        return str(json.loads(row.value)["client_id"]) if row is not None else ""


def ships_microsoft_app() -> bool:
    """Whether a Microsoft sign-in may leave the app id empty (PaidUp brings its own)."""
    return bool(shipped_client_id())


def _put(session: Session, key: str, value: Any) -> None:
    row = session.get(Setting, key)
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if row is None:
        session.add(Setting(key=key, value=text))
    else:
        row.value = text


def secret_provider(session: Session, account: Account) -> PasswordProvider:
    """How this account proves who it is: the keyring password or a Microsoft token."""
    if account.auth is AuthMethod.OAUTH2:
        row = session.get(Setting, MICROSOFT_APP_KEY)
        if row is None:
            raise RuleViolation(N_("mail: sign in with Microsoft in the mail settings first"))
        return oauth_token_provider(MicrosoftApp(**json.loads(row.value)), account)
    return keyring_password(account)


def _microsoft(session: Session) -> tuple[Account, MicrosoftApp]:
    account = require_account(session)
    if account.auth is not AuthMethod.OAUTH2:
        raise RuleViolation(N_("mail: this account logs in with a password, not with "
                               "Microsoft"))
    row = session.get(Setting, MICROSOFT_APP_KEY)
    if row is None:
        raise ValidationError("microsoft-client-id",
                              N_("is required to sign in with Microsoft"))
    return account, MicrosoftApp(**json.loads(row.value))


@states(OpChanges.SETTINGS)
def start_microsoft_sign_in(books: Books) -> DeviceSignIn:
    """Microsoft 365 without basic authentication: the user opens the page shown and types
    the code; ``finish_microsoft_sign_in`` then waits for them (in the background)."""
    with books.db.read() as session:
        _, app = _microsoft(session)
    return start_device_sign_in(app)


def finish_microsoft_sign_in(books: Books, sign_in: DeviceSignIn) -> None:
    """Keeps the refresh token in the keyring once the user has signed in."""
    with books.db.read() as session:
        account, app = _microsoft(session)
    finish_device_sign_in(app, account, sign_in)


def test_account(books: Books) -> dict[str, Any]:
    """Log in and out; a failure comes back as one line with the server's words."""
    with books.db.read() as session:
        account = require_account(session)
        provider = secret_provider(session, account)
    test_login(account, provider)
    return {"ok": True, "host": account.host, "user": account.user}


def load_sent_folder(session: Session) -> ImapSettings | None:
    row = session.get(Setting, SENT_FOLDER_KEY)
    return ImapSettings(**json.loads(row.value)) if row else None


def get_sent_folder(books: Books) -> ImapSettings | None:
    """Where sent reminders are filed, if the user asked for it."""
    with books.db.read() as session:
        return load_sent_folder(session)


@states(OpChanges.SETTINGS)
def set_sent_folder(books: Books, *, host: str, port: int = 993, security: str = "ssl",
                    user: str = "", folder: str = "", ca_file: str = "") -> ImapSettings:
    """File a copy of each sent message in the Sent folder of the same mailbox (the mail
    account's login proves who it is)."""
    with books.db.write() as session:
        account = require_account(session)
        settings = ImapSettings(host=host, port=port,
                                security=member_of(Security, "imap_security", security),
                                user=user or account.user, auth=account.auth, folder=folder,
                                ca_file=ca_file or account.ca_file)
        _put(session, SENT_FOLDER_KEY, {
            "host": settings.host, "port": settings.port, "security": settings.security.value,
            "user": settings.user, "auth": settings.auth.value, "folder": settings.folder,
            "ca_file": settings.ca_file})
        audit(session, books, "mail.sent_folder", "settings", None, {"host": settings.host})
        return settings

"""Microsoft 365 sign-in for SMTP: device-code flow with MSAL, token cache in the keyring.

Microsoft is switching basic SMTP authentication off, so an Outlook/Microsoft 365 account
logs in with ``AUTH XOAUTH2`` and a short-lived access token. Only the refresh token and
account record are kept (in the keyring entry); an access token is fetched for each
connection and never saved.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.mail.account import Account
from desktop_app.mail.credentials import (
    PasswordProvider,
    delete_secret,
    read_secret,
    store_secret,
)
from desktop_app.messages import N_
from desktop_app.resources import ROOT

if TYPE_CHECKING:
    import msal

TOKEN_SERVICE = "PaidUp SMTP OAuth2"
# PaidUp's own app registration with Microsoft, put here by whoever builds a release (see
# installers/README.md): a public client's id is no secret. Without it, the user types the
# id of an app registered by their administrator or themselves.
SHIPPED_APP_FILE = ROOT / "microsoft-app-id.txt"
SMTP_SCOPES = ("https://outlook.office.com/SMTP.Send",)
# Short-lived sections are dropped before saving: the keyring entry stays small (Windows'
# credential store caps its size) and holds nothing that a refresh cannot rebuild.
_NOT_PERSISTED = ("AccessToken", "IdToken")


@dataclass(frozen=True)
class MicrosoftApp:
    """The app registration PaidUp signs in with (a public client: no secret of its own)."""

    client_id: str
    tenant: str = "organizations"

    def __post_init__(self) -> None:
        if not self.client_id.strip():
            raise ValidationError("client_id", N_("is required"))
        if not self.tenant.strip() or "/" in self.tenant:
            raise ValidationError("tenant", N_("{tenant} is not a tenant name or id"),
                                  tenant=repr(self.tenant))

    @property
    def authority(self) -> str:
        return f"https://login.microsoftonline.com/{self.tenant}"


def shipped_client_id() -> str:
    """The client id of the app registration this copy of PaidUp ships, or ""."""
    try:  # utf-8-sig: a file saved by Windows' Notepad starts with a byte-order mark
        return SHIPPED_APP_FILE.read_text(encoding="utf-8-sig").strip()
    except (OSError, UnicodeError):
        return ""


@dataclass(frozen=True)
class DeviceSignIn:
    """What to show the user: open ``verification_uri`` and type ``user_code``."""

    message: str
    user_code: str
    verification_uri: str
    flow: dict[str, Any] = field(repr=False)


def xoauth2_response(user: str, access_token: str) -> str:
    """The SASL XOAUTH2 initial response before base64 (smtplib and imaplib encode it)."""
    if not user or not access_token or any(c in user + access_token for c in "\x01\r\n"):
        raise ValidationError("oauth2",
                              N_("user and access token must be single, non-empty values"))
    return f"user={user}\x01auth=Bearer {access_token}\x01\x01"


def _msal() -> Any:
    """MSAL with requests and urllib3 loads only for a Microsoft account: a fifth of a
    second that sending through any other server, and starting the window, do without."""
    import msal

    return msal


def load_token_cache(account: Account) -> msal.SerializableTokenCache:
    cache = _msal().SerializableTokenCache()
    saved = read_secret(TOKEN_SERVICE, account.keyring_username)
    if saved:
        cache.deserialize(saved)
    return cache


def save_token_cache(account: Account, cache: msal.SerializableTokenCache) -> None:
    """Write the long-lived part of the cache back to the keyring when it changed."""
    if not cache.has_state_changed:
        return
    state = json.loads(cache.serialize())
    for section in _NOT_PERSISTED:
        state.pop(section, None)
    store_secret(TOKEN_SERVICE, account.keyring_username, json.dumps(state, separators=(",", ":")))
    cache.has_state_changed = False


def sign_out(account: Account) -> None:
    delete_secret(TOKEN_SERVICE, account.keyring_username)


def _client(app: MicrosoftApp, cache: msal.SerializableTokenCache) -> msal.PublicClientApplication:
    return _msal().PublicClientApplication(app.client_id, authority=app.authority,
                                           token_cache=cache)


def _refusal(result: dict[str, Any]) -> RuleViolation:
    # MSAL's error_description is Microsoft's own sentence; its first line is enough.
    reason = result.get("error_description") or result.get("error")
    if not reason:
        return RuleViolation(N_("Microsoft sign-in failed: unknown error"))
    return RuleViolation(N_("Microsoft sign-in failed: {reason}"),
                         reason=reason.splitlines()[0])


def start_device_sign_in(app: MicrosoftApp) -> DeviceSignIn:
    """Ask Microsoft for a device code; needs the network, returns at once."""
    flow = _client(app, _msal().SerializableTokenCache()).initiate_device_flow(
        scopes=list(SMTP_SCOPES)
    )
    if "user_code" not in flow:
        raise _refusal(flow)
    return DeviceSignIn(flow["message"], flow["user_code"], flow["verification_uri"], flow)


def finish_device_sign_in(app: MicrosoftApp, account: Account, sign_in: DeviceSignIn) -> None:
    """Wait (in a worker thread) until the user has signed in, then keep the refresh token."""
    cache = _msal().SerializableTokenCache()
    result = _client(app, cache).acquire_token_by_device_flow(sign_in.flow)
    if "access_token" not in result:
        raise _refusal(result)
    save_token_cache(account, cache)


def oauth_token_provider(app: MicrosoftApp, account: Account) -> PasswordProvider:
    """A provider that returns a fresh access token, refreshing silently when needed."""

    def provide() -> str:
        cache = load_token_cache(account)
        client = _client(app, cache)
        accounts = client.get_accounts(username=account.user)
        result = (
            client.acquire_token_silent(list(SMTP_SCOPES), account=accounts[0])
            if accounts
            else None
        )
        if not result or "access_token" not in result:
            raise RuleViolation(
                N_("Sign in to Microsoft again for {user} in the mail settings"),
                user=account.user,
            )
        save_token_cache(account, cache)
        return result["access_token"]

    return provide

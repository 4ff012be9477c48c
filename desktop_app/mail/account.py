"""The user's own outgoing mail account: validated settings, provider presets, dict form.

The dict form is what the settings table stores; it never holds a password or token, which
live in the OS keyring only (see ``credentials``).
"""

from __future__ import annotations

from dataclasses import MISSING, asdict, dataclass, fields
from enum import StrEnum
from typing import Any, TypeVar

from desktop_app.domain.addresses import check_address, check_host, is_loopback
from desktop_app.domain.errors import ValidationError
from desktop_app.messages import N_


class Security(StrEnum):
    STARTTLS = "starttls"
    SSL = "ssl"
    PLAIN = "plain"


class AuthMethod(StrEnum):
    PASSWORD = "password"
    OAUTH2 = "oauth2"


E = TypeVar("E", bound=StrEnum)


def member_of(cls: type[E], field: str, value: object) -> E:
    """``value`` as a member of ``cls``; anything else is refused, naming the field."""
    try:
        return cls(str(value))
    except ValueError:
        allowed = ", ".join(member.value for member in cls)
        raise ValidationError(field, N_("must be one of {allowed}, not {value}"),
                              allowed=allowed, value=repr(value)) from None


@dataclass(frozen=True)
class Account:
    """SMTP settings of one sending account; every field is checked on construction."""

    host: str
    port: int
    security: Security
    user: str
    from_address: str
    from_name: str = ""
    reply_to: str = ""
    auth: AuthMethod = AuthMethod.PASSWORD
    ca_file: str = ""
    timeout_seconds: int = 30
    read_receipt: bool = False  # invoice emails ask for a read receipt (RFC 8098)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "host", check_host("host", self.host))
        if isinstance(self.port, bool) or not isinstance(self.port, int):
            raise ValidationError("port", N_("must be a whole number, not {port}"),
                                  port=repr(self.port))
        if not 1 <= self.port <= 65535:
            raise ValidationError("port", N_("must be between 1 and 65535, not {port}"),
                                  port=str(self.port))
        set_(self, "security", member_of(Security, "security", self.security))
        set_(self, "auth", member_of(AuthMethod, "auth", self.auth))
        if self.security is Security.PLAIN and not is_loopback(self.host):
            raise ValidationError(
                "security", N_("plain (unencrypted) is only allowed for a server on this computer")
            )
        user = self.user.strip() if isinstance(self.user, str) else ""
        if not user or any(ch in user for ch in "\r\n\x00"):
            raise ValidationError("user", N_("the login name is required"))
        set_(self, "user", user)
        set_(self, "from_address", check_address("from_address", self.from_address))
        name = self.from_name.strip() if isinstance(self.from_name, str) else ""
        if any(ch in name for ch in "\r\n\x00"):
            raise ValidationError("from_name", N_("must be a single line"))
        set_(self, "from_name", name)
        if self.reply_to:
            set_(self, "reply_to", check_address("reply_to", self.reply_to))
        if not isinstance(self.ca_file, str) or any(ch in self.ca_file for ch in "\r\n\x00"):
            raise ValidationError("ca_file", N_("must be a file path"))
        if not isinstance(self.read_receipt, bool):
            raise ValidationError("read_receipt", N_("must be true or false"))
        timeout = self.timeout_seconds
        if isinstance(timeout, bool) or not isinstance(timeout, int) or not 1 <= timeout <= 600:
            raise ValidationError("timeout_seconds", N_("must be a whole number from 1 to 600"))

    @property
    def keyring_username(self) -> str:
        """The key of this account's secret in the OS keyring: one entry per login and server."""
        return f"{self.user}@{self.host}"

    @property
    def from_domain(self) -> str:
        return self.from_address.rpartition("@")[2]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able values for the settings table (no secret is part of an Account)."""
        data = asdict(self)
        data["security"] = self.security.value
        data["auth"] = self.auth.value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Account:
        known = [f.name for f in fields(cls)]
        for key in data:
            if key not in known:
                raise ValidationError(key, N_("is not a mail account setting"))
        for f in fields(cls):
            if f.default is MISSING and f.name not in data:
                raise ValidationError(f.name, N_("is required"))
        return cls(**data)


@dataclass(frozen=True)
class Preset:
    """A provider's published server settings; ``note`` tells the user what to do in the
    provider's own web mail first (an app password, sending switched on). ``tenant`` is the
    Microsoft sign-in authority of an OAuth2 preset: ``organizations`` for work and school
    accounts, ``consumers`` for personal Outlook.com ones."""

    label: str
    host: str
    port: int
    security: Security
    auth: AuthMethod
    note: str
    tenant: str = ""


_APP_PASSWORD_163 = ("Switch on the SMTP service in the web mail (Settings > POP3/SMTP/IMAP) "
                     "and use the authorisation code it gives, not your password.")
PRESETS: dict[str, Preset] = {
    "gmail": Preset(
        "Gmail", "smtp.gmail.com", 587, Security.STARTTLS, AuthMethod.PASSWORD,
        "Use an app password (Google account > Security > 2-Step Verification > App passwords).",
    ),
    "google_workspace": Preset(
        "Google Workspace", "smtp.gmail.com", 587, Security.STARTTLS, AuthMethod.PASSWORD,
        "Use an app password; your administrator must allow them.",
    ),
    "microsoft365": Preset(
        "Microsoft 365 (work or school)", "smtp.office365.com", 587, Security.STARTTLS,
        AuthMethod.OAUTH2,
        "Sign in with Microsoft; your administrator must allow SMTP sending for the mailbox.",
        tenant="organizations",
    ),
    "outlook_com": Preset(
        "Outlook.com, Hotmail, Live (personal)", "smtp-mail.outlook.com", 587,
        Security.STARTTLS, AuthMethod.OAUTH2,
        "Sign in with your Microsoft account; Microsoft no longer accepts passwords from "
        "mail programs.",
        tenant="consumers",
    ),
    "gmx": Preset(
        "GMX", "mail.gmx.net", 587, Security.STARTTLS, AuthMethod.PASSWORD,
        "First allow access by POP3 and IMAP in the GMX web mail (E-Mail Settings > "
        "POP3 & IMAP).",
    ),
    "web_de": Preset(
        "WEB.DE", "smtp.web.de", 587, Security.STARTTLS, AuthMethod.PASSWORD,
        "First allow access by POP3 and IMAP in the WEB.DE web mail (Settings > POP3/IMAP).",
    ),
    "ionos": Preset(
        "IONOS", "smtp.ionos.de", 587, Security.STARTTLS, AuthMethod.PASSWORD,
        "Log in with the full email address and the mailbox's own password.",
    ),
    "t_online": Preset(
        "Telekom T-Online", "securesmtp.t-online.de", 465, Security.SSL, AuthMethod.PASSWORD,
        "Use the email password for mail programs set in the Telekom Customer Centre, not "
        "the Telekom login password.",
    ),
    "yandex": Preset(
        "Yandex Mail", "smtp.yandex.ru", 465, Security.SSL, AuthMethod.PASSWORD,
        "Allow mail programs in Yandex Mail settings and use an app password (Yandex ID > "
        "Security > App passwords).",
    ),
    "mail_ru": Preset(
        "Mail.ru", "smtp.mail.ru", 465, Security.SSL, AuthMethod.PASSWORD,
        "Use a password for external apps (Mail.ru account > Security > Passwords for "
        "external applications).",
    ),
    "qq": Preset(
        "QQ Mail", "smtp.qq.com", 465, Security.SSL, AuthMethod.PASSWORD,
        "Switch on the SMTP service in QQ Mail (Settings > Account) and use the authorisation "
        "code it gives, not your QQ password.",
    ),
    "netease_163": Preset("NetEase 163 Mail", "smtp.163.com", 465, Security.SSL,
                          AuthMethod.PASSWORD, _APP_PASSWORD_163),
    "netease_126": Preset("NetEase 126 Mail", "smtp.126.com", 465, Security.SSL,
                          AuthMethod.PASSWORD, _APP_PASSWORD_163),
    "aliyun": Preset(
        "Aliyun Mail", "smtp.aliyun.com", 465, Security.SSL, AuthMethod.PASSWORD,
        "Switch on POP3/SMTP in the Aliyun web mail settings first.",
    ),
    "fastmail": Preset(
        "Fastmail", "smtp.fastmail.com", 465, Security.SSL, AuthMethod.PASSWORD,
        "Use an app password (Settings > Privacy & Security > App passwords).",
    ),
    "icloud": Preset(
        "iCloud Mail", "smtp.mail.me.com", 587, Security.STARTTLS, AuthMethod.PASSWORD,
        "Use an app-specific password from your Apple account page.",
    ),
    "generic": Preset(
        "Other mail server", "", 587, Security.STARTTLS, AuthMethod.PASSWORD,
        "Ask your mail provider for the outgoing (SMTP) server, port and encryption.",
    ),
}


def account_from_preset(name: str, **settings: Any) -> Account:
    """Build an Account from a provider preset; ``settings`` fill or override its fields."""
    preset = PRESETS.get(name)
    if preset is None:
        raise ValidationError("preset", N_("unknown provider {name}; known: {known}"),
                              name=repr(name), known=", ".join(PRESETS))
    base = {
        "host": preset.host,
        "port": preset.port,
        "security": preset.security,
        "auth": preset.auth,
    }
    base.update(settings)
    base.setdefault("user", settings.get("from_address", ""))
    return Account.from_dict(base)


"""A copy of each sent reminder in the user's Sent folder over IMAP, never twice.

SMTP submission does not file a copy (except at a few providers), so the user would not
see PaidUp's mail in their own mail program. Before appending, the folder is searched for
the Message-ID: a resend or a retried copy does not add a second one.
"""

from __future__ import annotations

import imaplib
import re
from dataclasses import dataclass
from datetime import datetime

from desktop_app.domain.addresses import check_host, is_loopback
from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.mail.account import AuthMethod, Security
from desktop_app.mail.credentials import PasswordProvider
from desktop_app.mail.oauth import xoauth2_response
from desktop_app.mail.transport import tls_context
from desktop_app.messages import N_

_LIST_LINE = re.compile(rb'^\((?P<flags>[^)]*)\) (?:"[^"]*"|NIL) (?P<name>.+)$')


@dataclass(frozen=True)
class ImapSettings:
    """Where the Sent folder lives; ``folder`` empty means: ask the server (RFC 6154)."""

    host: str
    user: str
    port: int = 993
    security: Security = Security.SSL
    auth: AuthMethod = AuthMethod.PASSWORD
    folder: str = ""
    ca_file: str = ""
    timeout_seconds: int = 30

    def __post_init__(self) -> None:
        object.__setattr__(self, "host", check_host("imap_host", self.host))
        object.__setattr__(self, "security", Security(self.security))
        object.__setattr__(self, "auth", AuthMethod(self.auth))
        if isinstance(self.port, bool) or not isinstance(self.port, int) or not (
            1 <= self.port <= 65535
        ):
            raise ValidationError("imap_port", N_("must be between 1 and 65535, not {port}"),
                                  port=repr(self.port))
        if self.security is Security.PLAIN and not is_loopback(self.host):
            raise ValidationError("imap_security", N_("plain is only allowed on this computer"))
        if not self.user.strip() or any(c in self.user for c in "\r\n\x00"):
            raise ValidationError("imap_user", N_("the login name is required"))
        if any(c in self.folder for c in '\r\n\x00"'):
            raise ValidationError("imap_folder", N_("{folder} is not a folder name"),
                                  folder=repr(self.folder))


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _unquoted(name: bytes) -> str:
    text = name.decode("utf-8", "replace")
    if text.startswith('"') and text.endswith('"'):
        text = text[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return text


def _connect(settings: ImapSettings) -> imaplib.IMAP4:
    if settings.security is Security.SSL:
        return imaplib.IMAP4_SSL(settings.host, settings.port,
                                 ssl_context=tls_context(settings.ca_file),
                                 timeout=settings.timeout_seconds)
    imap = imaplib.IMAP4(settings.host, settings.port, timeout=settings.timeout_seconds)
    if settings.security is Security.STARTTLS:
        imap.starttls(ssl_context=tls_context(settings.ca_file))
    return imap


def _login(imap: imaplib.IMAP4, settings: ImapSettings, secret_provider: PasswordProvider
           ) -> None:
    secret = secret_provider()
    try:
        if settings.auth is AuthMethod.OAUTH2:
            response = xoauth2_response(settings.user, secret).encode()
            # An error arrives as a non-empty challenge, which must be answered empty.
            imap.authenticate("XOAUTH2", lambda challenge: b"" if challenge else response)
        else:
            imap.login(settings.user, secret)
    finally:
        del secret


def _sent_folder(imap: imaplib.IMAP4, settings: ImapSettings) -> str:
    if settings.folder:
        return settings.folder
    _, lines = imap.list()
    for line in lines:
        match = _LIST_LINE.match(line) if isinstance(line, bytes) else None
        if match and b"\\sent" in match["flags"].lower().split():
            return _unquoted(match["name"])
    raise RuleViolation(N_("The mail server names no Sent folder: choose one in the mail settings"))


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def _ok(answer: tuple[str, list[object]], refusal: str) -> list[object]:
    """imaplib returns a NO instead of raising; turn it into the server's own words, the
    ``{reason}`` of ``refusal``."""
    status, data = answer
    if status != "OK":
        words = b" ".join(d for d in data if isinstance(d, bytes)).decode("utf-8", "replace")
        raise RuleViolation(refusal, reason=f"{status} {words}".strip())
    return data


def file_in_sent(raw: bytes, message_id: str, sent_at: datetime, settings: ImapSettings,
                 secret_provider: PasswordProvider) -> bool:
    """Append the sent bytes to the Sent folder unless that Message-ID is there already.

    Returns True when a copy was added, False when one was already there.
    """
    try:
        imap = _connect(settings)
        try:
            _login(imap, settings, secret_provider)
            folder = _quoted(_sent_folder(imap, settings))
            _ok(imap.select(folder),
                N_("Could not open the folder in the Sent folder: {reason}"))
            found = _ok(imap.search(None, "HEADER", "Message-ID", _quoted(message_id)),
                        N_("Could not search in the Sent folder: {reason}"))
            if found and isinstance(found[0], bytes) and found[0].split():
                return False
            _ok(imap.append(folder, r"(\Seen)", imaplib.Time2Internaldate(sent_at), raw),
                N_("Could not file a copy in the Sent folder: {reason}"))
            return True
        finally:
            try:
                imap.logout()
            except (imaplib.IMAP4.error, OSError):
                imap.shutdown()
    except (imaplib.IMAP4.error, OSError) as error:
        reason = _one_line(error)
    raise RuleViolation(N_("Could not file a copy in the Sent folder: {reason}"), reason=reason)

"""One authenticated SMTP connection with certificates always verified.

TLS uses the system's trusted roots plus, optionally, the account's extra CA file (a
self-signed office server); verification and host-name checks are never switched off.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager

from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.mail.account import Account, AuthMethod, Security
from desktop_app.mail.credentials import PasswordProvider
from desktop_app.mail.oauth import xoauth2_response
from desktop_app.messages import N_

# Sent in EHLO instead of the machine's name: says nothing about the user's computer and
# avoids a slow reverse lookup on some networks.
_EHLO_NAME = "localhost"


def tls_context(ca_file: str = "") -> ssl.SSLContext:
    """System roots plus ``ca_file`` if given; verification always on."""
    context = ssl.create_default_context()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if ca_file:
        try:
            context.load_verify_locations(cafile=ca_file)
        except (OSError, ssl.SSLError):
            raise ValidationError(
                "ca_file", N_("cannot read a PEM certificate from {path}"), path=repr(ca_file)
            ) from None
    return context


def _connect(account: Account, context: ssl.SSLContext | None) -> smtplib.SMTP:
    if account.security is Security.SSL:
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            account.host, account.port, local_hostname=_EHLO_NAME,
            timeout=account.timeout_seconds, context=context,
        )
    else:
        smtp = smtplib.SMTP(
            account.host, account.port, local_hostname=_EHLO_NAME,
            timeout=account.timeout_seconds,
        )
    smtp.set_debuglevel(0)  # smtplib's debug output would print the AUTH exchange
    return smtp


def _authenticate(smtp: smtplib.SMTP, account: Account, secret_provider: PasswordProvider) -> None:
    secret = secret_provider()
    try:
        if account.auth is AuthMethod.OAUTH2:
            response = xoauth2_response(account.user, secret)
            smtp.ehlo_or_helo_if_needed()
            offered = smtp.esmtp_features.get("auth", "").upper().split()
            if "XOAUTH2" not in offered:
                raise RuleViolation(N_("The mail server does not offer OAuth2 (XOAUTH2) login"))
            # On failure the server sends a 334 JSON challenge; the reply must be empty.
            smtp.auth(
                "XOAUTH2",
                lambda challenge=None: response if challenge is None else "",
                initial_response_ok=True,
            )
        else:
            smtp.login(account.user, secret)
    finally:
        # smtplib keeps the login on the object; do not let it outlive the login.
        smtp.user = smtp.password = ""
        del secret


@contextmanager
def smtp_session(account: Account, secret_provider: PasswordProvider) -> Iterator[smtplib.SMTP]:
    """Connect, secure, log in; QUIT on success, just close the socket after a failure."""
    context = None if account.security is Security.PLAIN else tls_context(account.ca_file)
    smtp = _connect(account, context)
    try:
        smtp.ehlo()
        if account.security is Security.STARTTLS:
            smtp.starttls(context=context)
            smtp.ehlo()
        _authenticate(smtp, account, secret_provider)
        yield smtp
    except BaseException:
        smtp.close()
        raise
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()

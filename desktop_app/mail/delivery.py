"""One SMTP transaction for one stored message, and what its outcome means for the outbox.

The transaction is spelled out (MAIL, RCPT, DATA) rather than left to ``sendmail`` so that
we know whether the whole payload had left before the line dropped: after that point the
message may have arrived, and sending it again could reach the customer twice.
"""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass

from desktop_app.domain.addresses import check_address
from desktop_app.domain.errors import PaidUpError, RuleViolation, ValidationError
from desktop_app.mail.account import Account
from desktop_app.mail.credentials import PasswordProvider
from desktop_app.mail.outbox import OutboxState
from desktop_app.mail.transport import smtp_session
from desktop_app.messages import N_

log = logging.getLogger(__name__)

CONNECTION_PROBLEM = "connection problem"  # the server could not be reached at all
_EOL = re.compile(rb"\r\n|\r|\n")
_DOT_AT_LINE_START = re.compile(rb"(?m)^\.")


@dataclass(frozen=True)
class DeliveryResult:
    """``outcome`` is the outbox state to move to; ``reason`` one line, the server's words."""

    outcome: OutboxState
    reason: str = ""
    smtp_code: int | None = None


def _one_line(text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return " ".join(text.split())


def _by_code(code: int, text: bytes | str, what: str) -> DeliveryResult:
    reason = f"{what}: {code} {_one_line(text)}".rstrip()
    if 400 <= code < 500:
        return DeliveryResult(OutboxState.RETRYING, reason, code)
    return DeliveryResult(OutboxState.FAILED, reason, code)


def classify_error(error: BaseException, payload_sent: bool = False) -> DeliveryResult:
    """Map what went wrong to ``failed``, ``retrying`` or ``unknown`` with a readable reason."""
    if isinstance(error, smtplib.SMTPServerDisconnected | TimeoutError) or (
        isinstance(error, OSError)
        and not isinstance(error, smtplib.SMTPException | ssl.SSLError)
    ):
        if payload_sent:
            return DeliveryResult(
                OutboxState.UNKNOWN,
                "the connection dropped after the message was sent, before the server "
                "confirmed it; check whether it arrived",
            )
        detail = _one_line(str(error)) or type(error).__name__
        return DeliveryResult(OutboxState.RETRYING, f"{CONNECTION_PROBLEM}: {detail}")
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return _by_code(error.smtp_code, error.smtp_error, "login refused")
    if isinstance(error, smtplib.SMTPResponseException):
        return _by_code(error.smtp_code, error.smtp_error, "server refused")
    if isinstance(error, ssl.SSLCertVerificationError):
        return DeliveryResult(
            OutboxState.FAILED,
            f"the server's certificate is not trusted: {error.verify_message}",
        )
    if isinstance(error, ssl.SSLError):
        return DeliveryResult(
            OutboxState.FAILED,
            f"secure connection failed ({error.reason}); check port and encryption",
        )
    if isinstance(error, PaidUpError):
        return DeliveryResult(OutboxState.FAILED, str(error))
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return DeliveryResult(OutboxState.FAILED, f"the server does not support {error}")
    if isinstance(error, smtplib.SMTPException):
        return DeliveryResult(OutboxState.FAILED, _one_line(str(error)))
    raise error


def _payload(raw: bytes) -> bytes:
    """CRLF line ends, leading dots doubled, the end-of-data marker added (RFC 5321 4.5.2)."""
    data = _DOT_AT_LINE_START.sub(b"..", _EOL.sub(b"\r\n", raw))
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


def _transaction(smtp: smtplib.SMTP, raw: bytes, sender: str, rcpts: Sequence[str],
                 sent: list[bool]) -> DeliveryResult:
    code, text = smtp.mail(sender)
    if code != 250:
        return _by_code(code, text, "sender refused")
    refused = []
    for rcpt in rcpts:
        code, text = smtp.rcpt(rcpt)
        if code not in (250, 251):
            refused.append((code, f"{rcpt}: {code} {_one_line(text)}"))
    if refused:
        # All or nothing: a partial send would make a later retry reach someone twice.
        smtp.rset()
        worst = max(code for code, _ in refused)
        outcome = OutboxState.FAILED if worst >= 500 else OutboxState.RETRYING
        return DeliveryResult(outcome, "recipient refused: " + "; ".join(r for _, r in refused),
                              worst)
    code, text = smtp.docmd("DATA")
    if code != 354:
        return _by_code(code, text, "server refused")
    smtp.send(_payload(raw))
    sent.append(True)
    code, text = smtp.getreply()
    if code != 250:
        return _by_code(code, text, "message refused")
    return DeliveryResult(OutboxState.SENT, f"{code} {_one_line(text)}", code)


def deliver(raw: bytes, envelope_from: str, recipients: Sequence[str], account: Account,
            password_provider: PasswordProvider) -> DeliveryResult:
    """Send the stored bytes in one SMTP transaction and classify what happened."""
    sender = check_address("envelope_from", envelope_from)
    rcpts = [check_address("recipients", r) for r in recipients]
    if not rcpts:
        raise ValidationError("recipients", N_("at least one recipient is required"))
    if not raw:
        raise RuleViolation(N_("The message is empty"))
    sent: list[bool] = []
    try:
        with smtp_session(account, password_provider) as smtp:
            result = _transaction(smtp, raw, sender, rcpts, sent)
    except Exception as error:
        result = classify_error(error, payload_sent=bool(sent))
    log.info("mail via %s: %s (%s)", account.host, result.outcome, result.reason)
    return result


def test_login(account: Account, password_provider: PasswordProvider) -> None:
    """Log in and out; on failure raise one line with the server's own words."""
    try:
        with smtp_session(account, password_provider):
            pass
    except Exception as error:
        reason = classify_error(error).reason
        raise RuleViolation(N_("Mail test with {host} failed: {reason}"), host=account.host,
                            reason=reason) from None


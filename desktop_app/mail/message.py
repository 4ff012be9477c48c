"""Build the exact reminder email (text, HTML twin, PDFs) and its bytes for the outbox.

The bytes are stored before sending and sent as stored, so a resend is the same message
with the same Message-ID and the customer's mail program can tell it is a duplicate.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from desktop_app.domain.addresses import check_address
from desktop_app.domain.errors import ValidationError
from desktop_app.mail.account import Account
from desktop_app.messages import N_

# 7bit transfer encoding: the message passes any server, with or without 8BITMIME.
_BUILD_POLICY = policy.SMTP.clone(cte_type="7bit")
# Base64 adds a third: 18 MB of PDFs make about 25 MB of mail, the common provider limit.
_MAX_ATTACHMENTS_BYTES = 18 * 1024 * 1024


@dataclass(frozen=True)
class Mailbox:
    """One recipient; the caller resolves contact roles to these."""

    address: str
    name: str = ""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes


def _single_line(field: str, text: str) -> str:
    if any(ch in text for ch in "\r\n\x00"):
        raise ValidationError(field, N_("must be a single line"))
    return text.strip()


def _address(field: str, mailbox: Mailbox) -> Address:
    bare = check_address(field, mailbox.address)
    local, _, domain = bare.rpartition("@")
    return Address(_single_line(field, mailbox.name), local, domain)


def _check_attachment(attachment: Attachment) -> None:
    name = attachment.filename
    if not name.strip() or any(ch in name for ch in '/\\:\r\n\x00"'):
        raise ValidationError("attachment", N_("{name} is not a usable file name"),
                              name=repr(name))
    if _subtype(attachment) is None:
        raise ValidationError("attachment",
                              N_("{name} is not a PDF document or an e-invoice XML"), name=name)


def _subtype(attachment: Attachment) -> str | None:
    """PDFs, and the XML of an e-invoice (XRechnung, Peppol BIS) beside its PDF."""
    name, content = attachment.filename.lower(), attachment.content
    if name.endswith(".pdf") and content.startswith(b"%PDF-"):
        return "pdf"
    if name.endswith(".xml") and content.lstrip(b"\xef\xbb\xbf").startswith(b"<?xml"):
        return "xml"
    return None


def html_from_plain(text: str, language: str = "en") -> str:
    """The HTML alternative: the plain text escaped, paragraphs and line breaks kept."""
    paragraphs = [p for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    body = "\n".join(
        "<p>" + "<br>\n".join(html.escape(line) for line in p.strip("\n").split("\n")) + "</p>"
        for p in paragraphs
    )
    lang = html.escape(language.replace("_", "-"))
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"></head>\n'
        f'<body style="font-family: sans-serif;">\n{body}\n</body></html>\n'
    )


def new_message_id(account: Account) -> str:
    return make_msgid(domain=account.from_domain)


def build_message(*, account: Account, to: Sequence[Mailbox], subject: str, body: str,
                  sent_at: datetime, cc: Sequence[Mailbox] = (),
                  attachments: Sequence[Attachment] = (), message_id: str | None = None,
                  language: str = "en", read_receipt: bool = False) -> EmailMessage:
    """One message from the user's account; pass ``message_id`` again when resending.
    ``read_receipt``: ask the reader's mail program to say when it was opened (RFC 8098),
    answered to the address replies go to."""
    if not to:
        raise ValidationError("to", N_("at least one recipient is required"))
    to_addresses = [_address("to", m) for m in to]
    seen = {a.addr_spec.lower() for a in to_addresses}
    cc_addresses = []
    for mailbox in cc:
        address = _address("cc", mailbox)
        if address.addr_spec.lower() not in seen:
            seen.add(address.addr_spec.lower())
            cc_addresses.append(address)
    subject = _single_line("subject", subject)
    if not subject:
        raise ValidationError("subject", N_("is required"))
    if not body.strip():
        raise ValidationError("body", N_("is required"))
    if sent_at.tzinfo is None:
        raise ValidationError("sent_at", N_("needs a time zone"))
    for attachment in attachments:
        _check_attachment(attachment)
    if sum(len(a.content) for a in attachments) > _MAX_ATTACHMENTS_BYTES:
        raise ValidationError("attachment", N_("the PDFs together are larger than 18 MB"))
    mid = message_id or new_message_id(account)
    if not (mid.startswith("<") and mid.endswith(">") and "@" in mid) or any(
        ch in mid for ch in " \r\n"
    ):
        raise ValidationError("message_id", N_("{id} is not a Message-ID"), id=repr(mid))

    msg = EmailMessage(policy=_BUILD_POLICY)
    sender = Address(account.from_name, *account.from_address.rsplit("@", 1))
    msg["From"] = sender
    msg["To"] = to_addresses
    if cc_addresses:
        msg["Cc"] = cc_addresses
    if account.reply_to:
        msg["Reply-To"] = Address(account.from_name, *account.reply_to.rsplit("@", 1))
    msg["Subject"] = subject
    msg["Date"] = format_datetime(sent_at)
    msg["Message-ID"] = mid
    if read_receipt:
        answer_to = account.reply_to or account.from_address
        msg["Disposition-Notification-To"] = str(Address(account.from_name,
                                                         *answer_to.rsplit("@", 1)))
    msg.set_content(body)
    msg.add_alternative(html_from_plain(body, language), subtype="html")
    for attachment in attachments:
        msg.add_attachment(
            attachment.content, maintype="application", subtype=_subtype(attachment) or "pdf",
            filename=attachment.filename,
        )
    # Added last: turning the message multipart moves Content-* headers into the first part.
    msg["Content-Language"] = language.replace("_", "-")
    return msg


def message_bytes(msg: EmailMessage) -> bytes:
    """The exact bytes to store in the outbox and to send (CRLF line ends)."""
    return msg.as_bytes(policy=policy.SMTP)


def envelope_recipients(msg: EmailMessage) -> list[str]:
    """Every To and Cc address: the RCPT TO list for ``deliver``."""
    return [
        address.addr_spec
        for header in ("To", "Cc")
        for value in msg.get_all(header, [])
        for address in value.addresses
    ]

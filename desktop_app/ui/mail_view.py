"""A message as the window shows it: who gets it, its words and its PDFs. Built from a Today
row's preview or from the bytes the outbox stored (parsed on the worker thread: no Qt)."""

from __future__ import annotations

import email
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage

from desktop_app.services.followup.run import BatchPreview
from desktop_app.ui.translate import _


@dataclass(frozen=True)
class ShownMessage:
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    subject: str = ""
    body: str = ""
    attachments: tuple[tuple[str, bytes], ...] = ()  # (file name, PDF)
    letter: bytes = b""  # a letter to print instead of a message

    @property
    def is_letter(self) -> bool:
        return bool(self.letter)


def from_preview(preview: BatchPreview) -> ShownMessage:
    return ShownMessage(preview.to, preview.cc, preview.subject, preview.body,
                        preview.attachments, preview.letter)


def _addresses(message: EmailMessage, header: str) -> tuple[str, ...]:
    value = message.get(header)
    if value is None:
        return ()
    return tuple(str(a) for a in getattr(value, "addresses", ())) or (str(value),)


def parse_message(raw: bytes) -> ShownMessage:
    """The stored message as its reader sees it: plain text and PDF attachments."""
    message = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    body_part = message.get_body(preferencelist=("plain",))
    body = body_part.get_content() if body_part is not None else ""
    attachments = tuple(
        (part.get_filename() or "attachment.pdf", part.get_content())
        for part in message.iter_attachments()
        if part.get_content_type() == "application/pdf")
    return ShownMessage(_addresses(message, _("To")), _addresses(message, _("Cc")),
                        str(message.get(_("Subject"), "")), body, attachments)

"""Messages: headers right, HTML twin escaped, PDFs attached, bytes stable for a resend."""

from __future__ import annotations

import email
from datetime import UTC, datetime, timedelta, timezone
from email import policy

import pytest

from desktop_app.domain.errors import ValidationError
from desktop_app.mail.account import Account
from desktop_app.mail.message import (
    Attachment,
    Mailbox,
    build_message,
    envelope_recipients,
    html_from_plain,
    message_bytes,
)

ACCOUNT = Account.from_dict({
    "host": "smtp.example.com", "port": 587, "security": "starttls", "user": "anna",
    "from_address": "anna@wolf.example", "from_name": "Wolf & Söhne GmbH",
    "reply_to": "books@wolf.example",
})
AT = datetime(2026, 3, 20, 9, 30, tzinfo=timezone(timedelta(hours=1)))
PDF = b"%PDF-1.7\nfake but well started\n%%EOF\n"


def build(**changes):
    args = {
        "account": ACCOUNT, "to": [Mailbox("ap@customer.example", "Иван Петров")],
        "subject": "Счёт 2026-0012: напоминание", "body": "Hello <script>alert(1)</script> & co\n",
        "sent_at": AT, "attachments": [Attachment("Rechnung 2026-0012.pdf", PDF)],
    }
    args.update(changes)
    return build_message(**args)


def parsed(raw: bytes):
    return email.message_from_bytes(raw, policy=policy.default)


def test_headers_and_parts_read_back():
    msg = build(cc=[Mailbox("cfo@customer.example"), Mailbox("AP@customer.example")],
                language="ru")
    raw = message_bytes(msg)
    back = parsed(raw)
    assert str(back["From"]) == "Wolf & Söhne GmbH <anna@wolf.example>"
    assert str(back["To"]) == "Иван Петров <ap@customer.example>"
    assert str(back["Cc"]) == "cfo@customer.example"  # the To address is not copied again
    assert str(back["Reply-To"]) == "Wolf & Söhne GmbH <books@wolf.example>"
    assert back["Subject"] == "Счёт 2026-0012: напоминание"
    assert back["Date"].datetime == AT
    assert back["Message-ID"].endswith("@wolf.example>")
    assert back["Content-Language"] == "ru"
    assert back.get_body(("plain",)).get_content().rstrip() == (
        "Hello <script>alert(1)</script> & co")
    html = back.get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp; co" in html
    [pdf] = list(back.iter_attachments())
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_filename() == "Rechnung 2026-0012.pdf"
    assert pdf.get_content() == PDF
    assert envelope_recipients(msg) == ["ap@customer.example", "cfo@customer.example"]
    assert all(byte < 128 for byte in raw)  # passes servers without 8BITMIME
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")


def test_resend_reuses_the_message_id():
    first = build()
    again = build(message_id=first["Message-ID"])
    assert again["Message-ID"] == first["Message-ID"]
    assert build()["Message-ID"] != first["Message-ID"]


def test_html_keeps_paragraphs_and_lines():
    html = html_from_plain("Dear Ms Li,\n\nline one\nline two\n", "zh_TW")
    assert '<html lang="zh-TW">' in html
    assert "<p>Dear Ms Li,</p>" in html and "<p>line one<br>\nline two</p>" in html


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("to", {"to": []}),
        ("to", {"to": [Mailbox("not an address")]}),
        ("to", {"to": [Mailbox("a@example.com", "Eve\r\nBcc: x@evil.example")]}),
        ("cc", {"cc": [Mailbox("a@example.com, b@example.com")]}),
        ("subject", {"subject": "Invoice\nBcc: x@evil.example"}),
        ("subject", {"subject": "  "}),
        ("body", {"body": "\n"}),
        ("sent_at", {"sent_at": datetime(2026, 3, 20, 9, 30)}),
        ("attachment", {"attachments": [Attachment("invoice.pdf", b"<html>")]}),
        ("attachment", {"attachments": [Attachment("../invoice.pdf", PDF)]}),
        ("attachment", {"attachments": [Attachment("invoice.exe", PDF)]}),
        ("attachment", {"attachments": [Attachment(f"{n}.pdf", PDF + b"0" * 10**7)
                                        for n in (1, 2)]}),
        ("message_id", {"message_id": "no-brackets@example.com"}),
    ],
)
def test_bad_input_is_refused_naming_the_field(field, changes):
    with pytest.raises(ValidationError) as refused:
        build(**changes)
    assert refused.value.field == field


def test_utc_date_is_written_with_offset():
    back = parsed(message_bytes(build(sent_at=datetime(2026, 1, 2, 3, 4, tzinfo=UTC))))
    assert back["Date"].datetime == datetime(2026, 1, 2, 3, 4, tzinfo=UTC)


def test_a_read_receipt_is_asked_of_the_address_replies_go_to():
    account = Account(host="127.0.0.1", port=2525, security="plain", user="billing",
                      from_address="billing@lindenhof.example", from_name="Lindenhof",
                      reply_to="accounts@lindenhof.example", read_receipt=True)
    common = dict(account=account, to=[Mailbox("ap@example.com")], subject="Invoice 1",
                  body="Hello", sent_at=datetime(2026, 1, 5, 9, tzinfo=UTC))
    asked = build_message(**common, read_receipt=True)
    assert asked["Disposition-Notification-To"] == "Lindenhof <accounts@lindenhof.example>"
    assert build_message(**common)["Disposition-Notification-To"] is None

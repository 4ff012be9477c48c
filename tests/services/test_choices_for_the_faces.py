"""Choices the window and the command line offer, decided by services (they were decided in
the window's pages): which mail provider a server is, whether it signs in through its own
page, whether a statement file is a bank's CSV, which placeholders a template may use."""

from __future__ import annotations

import pytest

from desktop_app.services import bank, user_templates
from desktop_app.services.mail_presets import PRESET_NAMES, preset_of, signs_in


@pytest.mark.parametrize(("host", "auth", "preset"), [
    ("smtp.office365.com", "oauth2", "microsoft365"),
    ("smtp.office365.com", "password", "generic"),  # same server, not the way it signs in
    ("smtp.fastmail.com", "password", "fastmail"),
    ("smtp-mail.outlook.com", "oauth2", "outlook_com"),
    ("mail.gmx.net", "password", "gmx"),
    ("smtp.126.com", "password", "netease_126"),
    ("mail.example.org", "password", "generic"),
    ("", "password", "generic"),
])
def test_the_provider_a_server_belongs_to(host: str, auth: str, preset: str) -> None:
    assert preset_of(host, auth) == preset


def test_only_the_oauth_providers_sign_in_through_their_own_page() -> None:
    assert [name for name in PRESET_NAMES if signs_in(name)] == ["microsoft365", "outlook_com"]
    assert "generic" in PRESET_NAMES


@pytest.mark.parametrize(("head", "csv"), [
    (b"Date;Amount;Payer\n05.12.2026;100,00;ACME\n", True),
    (b"\xef\xbb\xbf\n  Buchungstag,Betrag\n", True),
    (b'<?xml version="1.0"?><Document/>', False),  # camt
    (b"PK\x03\x04", False),  # a ZIP of camt files
    (b"OFXHEADER:100\nDATA:OFXSGML\n", False),
    (b":20:STARTUMSE\n:25:10020030/1234567\n", False),  # MT940
])
def test_a_statement_is_a_csv_when_it_is_none_of_the_other_formats(head: bytes,
                                                                     csv: bool) -> None:
    assert bank.is_csv(head) is csv


def test_template_placeholders_by_kind() -> None:
    letter = user_templates.placeholders("letter")
    mail = user_templates.placeholders("mail")
    assert "salutation" in letter and "invoice_numbers" in letter
    assert list(mail) == sorted(mail) and "total_open" in mail

"""Account settings: every field checked, presets right, dict form round-trips without secrets."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.addresses import check_address, check_host, is_loopback
from desktop_app.domain.errors import ValidationError
from desktop_app.mail.account import (
    PRESETS,
    Account,
    AuthMethod,
    Security,
    account_from_preset,
)

GOOD = {
    "host": "mail.example.com", "port": 587, "security": "starttls",
    "user": "anna@example.com", "from_address": "anna@example.com",
}


def with_(**changes: object) -> dict[str, object]:
    return {**GOOD, **changes}


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("host", {"host": ""}),
        ("host", {"host": "mail example.com"}),
        ("host", {"host": "-bad-.example.com"}),
        ("port", {"port": 0}),
        ("port", {"port": 70000}),
        ("port", {"port": "587"}),
        ("port", {"port": True}),
        ("security", {"security": "tls13"}),
        ("security", {"security": "plain"}),
        ("auth", {"auth": "kerberos"}),
        ("user", {"user": "  "}),
        ("from_address", {"from_address": "anna"}),
        ("from_address", {"from_address": "anna@example.com\r\nBcc: x@evil.example"}),
        ("reply_to", {"reply_to": "books@"}),
        ("from_name", {"from_name": "Anna\nBcc: x@evil.example"}),
        ("timeout_seconds", {"timeout_seconds": 0}),
    ],
)
def test_bad_settings_are_refused_naming_the_field(field: str, changes: dict[str, object]):
    with pytest.raises(ValidationError) as refused:
        Account.from_dict(with_(**changes))
    assert refused.value.field == field
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.3.4.5"])
def test_plain_is_allowed_only_on_this_computer(host: str):
    assert Account.from_dict(with_(host=host, security="plain")).security is Security.PLAIN


def test_missing_and_unknown_settings_are_named():
    with pytest.raises(ValidationError) as missing:
        Account.from_dict({k: v for k, v in GOOD.items() if k != "port"})
    assert missing.value.field == "port"
    with pytest.raises(ValidationError) as unknown:
        Account.from_dict(with_(password="secret"))
    assert unknown.value.field == "password"


def test_dict_form_is_json_and_round_trips():
    account = Account.from_dict(with_(reply_to="books@example.com", from_name="Wolf & Söhne"))
    data = json.loads(json.dumps(account.to_dict()))
    assert Account.from_dict(data) == account
    assert data["security"] == "starttls" and data["auth"] == "password"
    assert "password" not in data


def test_presets():
    m365 = account_from_preset("microsoft365", from_address="anna@contoso.example")
    assert (m365.host, m365.port, m365.security, m365.auth) == (
        "smtp.office365.com", 587, Security.STARTTLS, AuthMethod.OAUTH2)
    assert m365.user == "anna@contoso.example"
    gmail = account_from_preset("gmail", from_address="a@example.com", user="a@gmail.com")
    assert (gmail.host, gmail.port, gmail.user) == ("smtp.gmail.com", 587, "a@gmail.com")
    assert account_from_preset("fastmail", from_address="a@example.com").security is Security.SSL
    assert account_from_preset("icloud", from_address="a@example.com").host == "smtp.mail.me.com"
    assert set(PRESETS) >= {"gmail", "google_workspace", "microsoft365", "fastmail", "icloud",
                            "generic"}
    with pytest.raises(ValidationError) as no_host:
        account_from_preset("generic", from_address="a@example.com")
    assert no_host.value.field == "host"
    with pytest.raises(ValidationError, match="preset"):
        account_from_preset("hotmail-1999", from_address="a@example.com")


def test_keyring_username_is_login_at_server():
    assert Account.from_dict(GOOD).keyring_username == "anna@example.com@mail.example.com"


@pytest.mark.parametrize(
    "address",
    ["a@b.c", "first.last+tag@sub.example.co.uk", "o'brien@example.ie", "x@bücher.example"],
)
def test_good_addresses(address: str):
    assert "@" in check_address("to", address)


def test_international_domain_is_encoded_for_smtp():
    assert check_address("to", "x@bücher.example") == "x@xn--bcher-kva.example"


@pytest.mark.parametrize(
    "address",
    ["", "plain", "@example.com", "a@", "a@b", "a..b@example.com", ".a@example.com",
     "a b@example.com", "a@exa mple.com", "Anna <a@example.com>", "a@example.com, b@example.com",
     "a@example.com\nBcc: b@example.com", "\"quoted\"@example.com", "ä@example.com",
     "a@-example.com", "a" * 65 + "@example.com"],
)
def test_bad_addresses_are_refused(address: str):
    with pytest.raises(ValidationError) as refused:
        check_address("to", address)
    assert refused.value.field == "to"


@given(st.from_regex(r"[a-z0-9]{1,20}(\.[a-z0-9]{1,10}){0,2}@[a-z]{1,20}\.[a-z]{2,6}",
                     fullmatch=True))
def test_ordinary_addresses_pass_unchanged(address: str):
    assert check_address("to", address) == address


@given(st.text(min_size=1, max_size=40))
def test_no_accepted_address_contains_a_line_break_or_comma(text: str):
    try:
        accepted = check_address("to", text)
    except ValidationError:
        return
    assert not any(ch in accepted for ch in "\r\n,<> ")


def test_hosts_and_loopback():
    assert check_host("host", "SMTP.Example.COM") == "smtp.example.com"
    assert check_host("host", "[::1]") == "::1"
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("10.0.0.1") and not is_loopback("smtp.example.com")

"""Customers and contacts: the words the rules use for them, and what a valid one is."""

from __future__ import annotations

import unicodedata

from desktop_app.domain.addresses import check_address
from desktop_app.domain.errors import ValidationError
from desktop_app.messages import N_

CONTACT_ROLES = ("billing", "accounts_payable", "executive", "sales_rep")
CREDIT_STATUSES = ("good", "hold", "cash_only")
LANGUAGES = ("en", "de", "ru", "zh_CN", "zh_TW")
EXCUSES = ("cheque_in_mail", "approval_pending", "cash_tight", "documents_missing", "other")
PAPER_SIZES = ("a4", "letter")


def require_text(value: str | None, field: str, *, max_len: int = 200,
                 multiline: bool = False) -> str:
    text = optional_text(value, field, max_len=max_len, multiline=multiline)
    if not text:
        raise ValidationError(field, N_("must not be empty"))
    return text


def optional_text(value: str | None, field: str, *, max_len: int = 4000,
                  multiline: bool = False) -> str:
    """Text as it will be printed and mailed: a name is one line (a line break in it would
    split a letter's address block or a mail header), notes and addresses may have several;
    no other control characters in either. Windows line ends become plain ones."""
    text = (value or "").replace("\r\n", "\n").strip()
    for char in text:
        if char == "\n" and multiline:
            continue
        if unicodedata.category(char) in ("Cc", "Zl", "Zp"):
            if char in "\r\n\u2028\u2029":
                raise ValidationError(field, N_("must not contain a line break"))
            raise ValidationError(field, N_("must not contain the control character U+{code}"),
                                  code=f"{ord(char):04X}")
    if len(text) > max_len:
        raise ValidationError(field, N_("is longer than {limit} characters"), limit=max_len)
    return text


def check_email(value: str | None, field: str = "email", *, required: bool = False) -> str:
    text = optional_text(value, field, max_len=254)
    if not text:
        if required:
            raise ValidationError(field, N_("must not be empty"))
        return ""
    try:
        return check_address(field, text)
    except ValidationError:
        raise ValidationError(field, N_("'{text}' is not an email address"),
                              text=text) from None


def check_choice(value: str, field: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ValidationError(field, N_("'{value}' is not one of {choices}"), value=value,
                              choices=", ".join(choices))
    return value


def parse_contact(spec: str, position: int) -> tuple[str, str, str]:
    """CLI form ROLE:NAME:EMAIL (name or email may be empty, not both)."""
    field = f"contact {position}"
    parts = spec.split(":")
    if len(parts) != 3:
        raise ValidationError(field, N_("'{spec}' must look like ROLE:NAME:EMAIL"), spec=spec)
    role, name, email = (p.strip() for p in parts)
    name = optional_text(name, f"{field} name", max_len=200)
    check_choice(role, f"{field} role", CONTACT_ROLES)
    email = check_email(email, f"{field} email")
    if not name and not email:
        raise ValidationError(field, N_("needs a name or an email"))
    return role, name, email


def check_country(value: str, field: str = "country") -> str:
    """An ISO 3166 two-letter code (DE, FR, US ...), or empty for unknown."""
    code = (value or "").strip().upper()
    if not code:
        return ""
    if code not in _territories():
        raise ValidationError(field, N_("'{value}' is not a two-letter country code (DE, FR, US)"),
                              value=value)
    return code


def _territories() -> frozenset[str]:
    from babel import Locale

    return frozenset(k for k in Locale("en").territories
                     if isinstance(k, str) and len(k) == 2 and k.isalpha())


def check_vat_id(value: str, field: str = "vat-id") -> str:
    """A VAT ID as the tax office writes it: an EU VAT ID (with its country prefix) is
    checked by its check digits; another country's tax number is kept as typed."""
    from stdnum.eu import vat
    from stdnum.exceptions import ValidationError as InvalidNumber

    text = (value or "").strip()
    if not text:
        return ""
    if len(text) > 32:
        raise ValidationError(field, N_("is longer than {limit} characters"), limit=32)
    prefix = "".join(text.split())[:2].lower()
    if prefix in vat.MEMBER_STATES or prefix == "el":
        try:
            return vat.validate(text)
        except InvalidNumber as exc:
            raise ValidationError(field, N_("'{text}' is not a valid VAT ID ({reason})"),
                                  text=text, reason=_reason(exc)) from None
    return text


def _reason(exc: Exception) -> str:
    """python-stdnum's words for what is wrong with a number (its exceptions keep them in
    ``message``)."""
    return str(getattr(exc, "message", exc))

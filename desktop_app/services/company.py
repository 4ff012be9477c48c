"""The user's own business: set once, used on every invoice and letter."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import partial
from pathlib import Path

from sqlalchemy import String, select
from sqlalchemy.orm import Session

from desktop_app import documents as rendering
from desktop_app.domain.errors import Checks, ValidationError
from desktop_app.domain.money import minor_digits
from desktop_app.domain.parties import (
    PAPER_SIZES,
    check_choice,
    check_country,
    check_email,
    check_vat_id,
    optional_text,
    require_text,
)
from desktop_app.messages import N_
from desktop_app.services.books import Books, audit, the_company
from desktop_app.services.changes import OpChanges, states
from desktop_app.services.documents import company_doc
from desktop_app.services.records import CompanyView
from desktop_app.storage import tables
from desktop_app.storage.models import Company, PaymentTermsRow
from desktop_app.storage.numbering import check_pattern

MAX_LOGO_BYTES = 2_000_000
LOGO_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


def _check_iban(value: str) -> str:
    iban = value.replace(" ", "").upper()
    if not iban:
        return ""
    if not (15 <= len(iban) <= 34 and iban[:2].isalpha() and iban[2:4].isdigit()
            and iban.isalnum()):
        raise ValidationError("iban", N_("'{value}' is not an IBAN"), value=value)
    digits = "".join(str(int(ch, 36)) for ch in iban[4:] + iban[:4])
    if int(digits) % 97 != 1:
        raise ValidationError("iban", N_("'{value}' has a wrong check digit"), value=value)
    return iban


def _read_logo(path: str) -> bytes:
    """At most one byte past the limit is read: a huge file (or /dev/zero) is refused
    without filling the memory."""
    file = Path(path)
    try:
        if not file.is_file():
            raise ValidationError("logo", N_("{path} is not an image file"), path=path)
        with file.open("rb") as handle:
            data = handle.read(MAX_LOGO_BYTES + 1)
    except OSError as exc:
        raise ValidationError("logo", N_("cannot read {path}: {reason}"), path=path,
                              reason=str(exc.strerror)) from None
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationError("logo", N_("is larger than 2 MB"))
    if not data.startswith(LOGO_MAGIC):
        raise ValidationError("logo", N_("must be a PNG or JPEG image"))
    return data


# The seller's legal data and payment details: plain text fields, set as typed (trimmed).
MULTILINE_FIELDS = ("remit_to",)  # an address
TEXT_FIELDS = ("register", "directors", "signer_name", "signer_title", "bank_name",
               "account_holder", "account_number", "routing_number", "correspondent_account",
               "kpp", "checks_payable_to", "remit_to")


def company_view(session: Session, company: Company) -> CompanyView:
    terms = session.get(PaymentTermsRow, company.default_terms_id) \
        if company.default_terms_id else None
    return CompanyView(
        id=company.id, name=company.name, address=company.address, email=company.email,
        phone=company.phone, tax_id=company.tax_id, iban=company.iban, bic=company.bic,
        currency=company.currency, paper=company.paper, number_format=company.number_format,
        has_logo=company.logo is not None, default_terms=terms.name if terms else None,
        envelope_dx_mm=company.envelope_dx_mm, envelope_dy_mm=company.envelope_dy_mm,
        peppol_id=company.peppol_id or "",
        country=company.country, vat_id=company.vat_id, small_business=company.small_business,
        **{name: getattr(company, name) for name in TEXT_FIELDS},
    )


@states(OpChanges.COMPANY | OpChanges.INVOICES)
def set_company(
    books: Books,
    *,
    name: str | None = None,
    address: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    tax_id: str | None = None,
    iban: str | None = None,
    bic: str | None = None,
    currency: str | None = None,
    paper: str | None = None,
    number_format: str | None = None,
    logo: str | None = None,
    envelope_dx_mm: Decimal | None = None,
    envelope_dy_mm: Decimal | None = None,
    peppol_id: str | None = None,
    country: str | None = None,
    vat_id: str | None = None,
    small_business: bool | None = None,
    **text_fields: str | None,
) -> CompanyView:
    """Create or update the company; only the given fields change. ``text_fields`` are the
    legal data and payment details of ``TEXT_FIELDS`` (register, directors, signer ...)."""
    changes: dict[str, object] = {}
    checks = Checks()  # every refusal at once, each beside its field

    def put(key: str, check: Callable[[], object]) -> None:
        refused = len(checks.errors)
        value = checks.run(check)
        if len(checks.errors) == refused:
            changes[key] = value

    for key, value in text_fields.items():
        if key not in TEXT_FIELDS:
            raise TypeError(f"set_company() got an unexpected keyword argument {key!r}")
        if value is not None:
            kind = tables.companies.c[key].type
            limit = (kind.length if isinstance(kind, String) else None) or 2000
            put(key, partial(optional_text, value, key.replace("_", "-"), max_len=limit,
                             multiline=key in MULTILINE_FIELDS))
    if country is not None:
        put("country", lambda: check_country(country))
    if vat_id is not None:
        put("vat_id", lambda: check_vat_id(vat_id))
    if small_business is not None:
        changes["small_business"] = small_business
    if name is not None:
        put("name", lambda: require_text(name, "name"))
    if address is not None:
        put("address", lambda: optional_text(address, "address", multiline=True))
    if email is not None:
        put("email", lambda: check_email(email))
    if phone is not None:
        put("phone", lambda: optional_text(phone, "phone", max_len=60))
    if tax_id is not None:
        put("tax_id", lambda: optional_text(tax_id, "tax-id", max_len=60))
    if iban is not None:
        put("iban", lambda: _check_iban(iban))
    if bic is not None:
        changes["bic"] = bic.strip().upper()
    if currency is not None:
        put("currency", lambda: (minor_digits(currency), currency.upper())[1])  # ISO 4217
    if paper is not None:
        put("paper", lambda: check_choice(paper.lower(), "paper", PAPER_SIZES))
    if number_format is not None:
        put("number_format", lambda: check_pattern(number_format))
    if logo is not None:
        put("logo", lambda: _read_logo(logo))
    if peppol_id is not None:
        from desktop_app.services.einvoices import check_peppol_id

        put("peppol_id", lambda: check_peppol_id(peppol_id))
    for key, offset in (("envelope_dx_mm", envelope_dx_mm), ("envelope_dy_mm", envelope_dy_mm)):
        if offset is not None:
            if abs(offset) > 30:
                checks.errors.append(ValidationError(key.replace("_", "-"),
                                                     N_("must be within 30 mm")))
            else:
                changes[key] = offset
    checks.done()
    with books.db.write() as session:
        company = session.scalars(select(Company).limit(1)).first()
        if company is None:
            if "name" not in changes:
                raise ValidationError("name", N_("the company needs a name"))
            company = Company(**changes)
            session.add(company)
        else:
            if company.currency != changes.get("currency", company.currency) and _has_invoices(
                session
            ):
                raise ValidationError("currency", N_("cannot change once invoices exist"))
            for key, new in changes.items():
                setattr(company, key, new)
        session.flush()
        audit(session, books, "company.set", "company", company.id,
              {k: v for k, v in changes.items() if k != "logo"})
        return company_view(session, company)


def _has_invoices(session: Session) -> bool:
    from desktop_app.storage.models import Invoice

    return session.scalars(select(Invoice.id).limit(1)).first() is not None


def get_company(books: Books) -> CompanyView:
    with books.db.read() as session:
        return company_view(session, the_company(session))


def company_logo(books: Books) -> bytes | None:
    """The logo as stored (PNG or JPEG), for showing it in the settings."""
    with books.db.read() as session:
        return the_company(session).logo


def calibration_pdf(books: Books) -> bytes:
    """The window-envelope test page at the company's paper size and offsets."""
    with books.db.read() as session:
        return rendering.render_calibration(company_doc(the_company(session)))

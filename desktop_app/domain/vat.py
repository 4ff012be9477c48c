"""VAT categories of invoice lines, as EN 16931 names them (UNCL5305 codes), and the
category a customer's country and VAT ID suggest.

EU VAT Directive Art. 226 asks an invoice to state, for a line taxed at no rate, why: the
exemption (E), the reverse charge (AE), the intra-EU supply (K), the export (G). Each such
category prints its legal sentence (``documents.legal``); the e-invoice maps the code as is.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from desktop_app.domain.errors import ValidationError
from desktop_app.messages import N_

ZERO = Decimal(0)


class VatCategory(StrEnum):
    """BT-151 invoiced item VAT category code (UNCL5305, as EN 16931 restricts it)."""

    STANDARD = "S"
    ZERO_RATED = "Z"
    EXEMPT = "E"
    REVERSE_CHARGE = "AE"
    INTRA_EU = "K"
    EXPORT = "G"
    OUTSIDE_SCOPE = "O"


CATEGORY_CODES = tuple(c.value for c in VatCategory)
# Categories that carry no VAT: a rate above zero on them is a mistake (BR-AE-05, BR-K-05 ...).
NO_TAX = frozenset({VatCategory.ZERO_RATED, VatCategory.EXEMPT, VatCategory.REVERSE_CHARGE,
                    VatCategory.INTRA_EU, VatCategory.EXPORT, VatCategory.OUTSIDE_SCOPE})
# Categories whose invoice must name the buyer's VAT ID (BR-AE-02, BR-K-02).
NEEDS_BUYER_VAT_ID = frozenset({VatCategory.REVERSE_CHARGE, VatCategory.INTRA_EU})

# EU member states by ISO 3166 code; Greece's VAT IDs start with EL.
EU_COUNTRIES = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
    "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"})
SMALL_BUSINESS_REASON = {
    "DE": "§ 19 UStG",
    "AT": "§ 6 Abs. 1 Z 27 UStG",
}


def category(code: str | VatCategory, field: str = "category") -> VatCategory:
    try:
        return VatCategory(str(code).strip().upper())
    except ValueError:
        raise ValidationError(field, N_("'{code}' is not a VAT category; use one of {codes}"),
                              code=str(code), codes=", ".join(CATEGORY_CODES)) from None


@dataclass(frozen=True, slots=True)
class LineTax:
    """A line's VAT: BT-151 category, BT-152 rate, BT-120 exemption reason text."""

    category: VatCategory = VatCategory.STANDARD
    rate: Decimal = ZERO
    exemption_reason: str = ""


def check_line_tax(tax: LineTax, prefix: str) -> LineTax:
    """Refuse a rate the category cannot have, and an exemption without its reason."""
    if tax.category in NO_TAX and tax.rate != 0:
        raise ValidationError(f"{prefix} tax percent",
                              N_("must be 0 for VAT category {code}"),
                              code=tax.category.value)
    if tax.category is VatCategory.EXEMPT and not tax.exemption_reason.strip():
        raise ValidationError(f"{prefix} category",
                              N_("an exempt line (E) needs the reason, as E:REASON"))
    if len(tax.exemption_reason) > 200:
        raise ValidationError(f"{prefix} category",
                              N_("the exemption reason is longer than {limit} characters"),
                              limit=200)
    return tax


def country_of_vat_id(vat_id: str) -> str:
    """The ISO country a VAT ID belongs to (EL is Greece)."""
    prefix = vat_id.strip()[:2].upper()
    return "GR" if prefix == "EL" else prefix


def propose_category(seller_country: str, buyer_country: str, buyer_vat_id: str, *,
                     small_business: bool = False) -> VatCategory:
    """What a customer's country and VAT ID suggest for a new line; the user may choose
    another (K rather than AE for goods sent to another EU country, G for exported goods).

    Same country, or an EU consumer: the seller's VAT (S). An EU business elsewhere with its
    VAT ID: reverse charge (AE, Art. 196). Outside the EU: outside the scope of EU VAT (O).
    """
    if small_business:
        return VatCategory.EXEMPT
    seller, buyer = seller_country.upper(), (buyer_country or seller_country).upper()
    if not seller or buyer == seller:
        return VatCategory.STANDARD
    if buyer in EU_COUNTRIES:
        if seller in EU_COUNTRIES and buyer_vat_id.strip():
            return VatCategory.REVERSE_CHARGE
        return VatCategory.STANDARD
    return VatCategory.OUTSIDE_SCOPE

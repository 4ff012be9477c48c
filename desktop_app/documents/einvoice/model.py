"""An EN 16931 invoice or credit note as plain frozen data, independent of the books.

The names follow the standard's business terms (BT-n, BG-n in the comments) so that each
writer (CII, UBL) is a mapping of these fields and nothing more. Money is Decimal, exact in
the document's currency; the derived totals (BR-CO-10 to BR-CO-16) and the VAT breakdown
(BR-CO-17) are computed here once, so that every syntax writes the same figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.money import ZERO, minor_digits
from desktop_app.domain.vat import NO_TAX, VatCategory
from desktop_app.messages import N_


class DocumentKind(StrEnum):
    """UNTDID 1001 document type codes (BT-3)."""

    INVOICE = "380"
    CREDIT_NOTE = "381"


# The VATEX code (BT-121) of each category that states why no VAT is charged; the words
# (BT-120) are the invoice's own legal note. An exempt line (E) has its reason in words.
VATEX_CODES: dict[VatCategory, str] = {
    VatCategory.REVERSE_CHARGE: "VATEX-EU-AE",
    VatCategory.INTRA_EU: "VATEX-EU-IC",
    VatCategory.EXPORT: "VATEX-EU-G",
    VatCategory.OUTSIDE_SCOPE: "VATEX-EU-O",
}
# Categories with a rate of zero (O has no rate at all, BR-O-05).
ZERO_RATED = NO_TAX - {VatCategory.OUTSIDE_SCOPE}


def amount_text(value: Decimal, currency: str) -> str:
    """An amount with exactly the currency's decimals (JPY 0, EUR 2), never more than two
    (EN 16931 allows at most two; BR-DEC-*)."""
    digits = min(minor_digits(currency), 2)
    return str(value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def decimal_text(value: Decimal) -> str:
    """A quantity, price or rate without exponent or trailing zeros ('19', '0.5', '12.345')."""
    text = format(value.normalize(), "f")
    return text if text not in ("-0", "") else "0"


def round_amount(value: Decimal, currency: str) -> Decimal:
    digits = min(minor_digits(currency), 2)
    return value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Address:
    """BG-5 / BG-8 / BG-15: street lines, city, post code, subdivision and country."""

    country: str  # ISO 3166-1 alpha-2 (BT-40, BT-55, BT-80)
    lines: tuple[str, ...] = ()  # BT-35..BT-162: at most three
    city: str = ""
    postcode: str = ""
    subdivision: str = ""

    def __post_init__(self) -> None:
        if not (len(self.country) == 2 and self.country.isalpha() and self.country.isupper()):
            raise ValidationError("country", N_("'{country}' is not an ISO 3166 country code"),
                                  country=self.country)
        if len(self.lines) > 3:
            raise ValidationError("address", N_("has more than three street lines"))


@dataclass(frozen=True, slots=True)
class Endpoint:
    """An electronic address with its scheme from the CEF EAS code list (BT-34, BT-49)."""

    scheme: str
    identifier: str

    def __str__(self) -> str:
        return f"{self.scheme}:{self.identifier}"


@dataclass(frozen=True, slots=True)
class Contact:
    """BG-6 / BG-9: the person or department to ask, with phone and email."""

    name: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True)
class Party:
    """The seller (BG-4) or the buyer (BG-7)."""

    name: str  # BT-27 / BT-44
    address: Address
    vat_id: str = ""  # BT-31 / BT-48, with its country prefix
    tax_number: str = ""  # BT-32: the seller's national tax number
    legal_id: str = ""  # BT-30 / BT-47: trade register number
    trading_name: str = ""  # BT-28 / BT-45
    identifier: str = ""  # BT-29 / BT-46: the seller's or the customer's number
    legal_info: str = ""  # BT-33: the seller's further legal data (managing directors)
    endpoint: Endpoint | None = None
    contact: Contact | None = None

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValidationError("name", N_("a party of an e-invoice needs a name"))


@dataclass(frozen=True, slots=True)
class Line:
    """BG-25. ``net_amount`` is BT-131: quantity x price less the line allowance."""

    identifier: str  # BT-126
    name: str  # BT-153
    quantity: Decimal  # BT-129
    unit: str  # BT-130: UN/ECE Recommendation 20 (C62 one, HUR hour, KGM kilogram)
    price: Decimal  # BT-146: net price per unit
    category: VatCategory
    rate: Decimal | None  # BT-152; None for category O
    net_amount: Decimal
    allowance: Decimal = ZERO  # BT-136, a line discount
    allowance_reason: str = ""  # BT-139
    description: str = ""  # BT-154
    period: tuple[date, date] | None = None  # BG-26

    @property
    def gross_amount(self) -> Decimal:
        return self.net_amount + self.allowance


@dataclass(frozen=True, slots=True)
class AllowanceCharge:
    """A document-level allowance (BG-20) or charge (BG-21) with its VAT category."""

    charge: bool
    amount: Decimal
    category: VatCategory
    rate: Decimal | None
    reason: str
    reason_code: str = ""  # UNTDID 5189 (allowance) or 7161 (charge)


@dataclass(frozen=True, slots=True)
class VatBreakdown:
    """BG-23: one VAT category and rate, its taxable amount and tax."""

    category: VatCategory
    rate: Decimal | None
    taxable: Decimal
    tax: Decimal
    exemption_reason: str = ""
    exemption_code: str = ""


@dataclass(frozen=True, slots=True)
class Installment:
    """One part of a payment schedule, stated in the payment terms (BT-20)."""

    label: str
    due_date: date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class EarlyDiscount:
    """Skonto: ``percent`` off when paid within ``days`` of the invoice date."""

    percent: Decimal
    days: int


@dataclass(frozen=True, slots=True)
class Payment:
    """BG-16: how to pay, as UNTDID 4461 codes it: 58 SEPA credit transfer (IBAN), 30 other
    credit transfer (an IBAN outside the euro, or a domestic account), 20 cheque, 97
    clearing between partners (a credit note set off against its invoice), 1 not defined."""

    means_code: str
    remittance: str = ""  # BT-83: the RF creditor reference or the invoice number
    iban: str = ""  # BT-84 as an IBAN
    account_number: str = ""  # BT-84 as a domestic account number
    bic: str = ""  # BT-86: the BIC, or a national clearing code (US routing, Russian BIK)
    account_name: str = ""  # BT-85
    means_text: str = ""  # BT-82: the bank and what the fields above cannot hold


@dataclass(frozen=True, slots=True)
class PrecedingInvoice:
    """BG-3: the invoice a credit note corrects."""

    number: str
    issue_date: date | None = None


@dataclass(frozen=True, slots=True)
class EInvoice:
    kind: DocumentKind
    number: str  # BT-1
    issue_date: date  # BT-2
    currency: str  # BT-5
    seller: Party
    buyer: Party
    lines: tuple[Line, ...]
    allowances_charges: tuple[AllowanceCharge, ...] = ()
    due_date: date | None = None  # BT-9
    terms_text: str = ""  # BT-20, free words; the writers add installments and Skonto
    installments: tuple[Installment, ...] = ()
    early_discount: EarlyDiscount | None = None
    payment: Payment | None = None
    buyer_reference: str = ""  # BT-10 (the Leitweg-ID of a German public buyer)
    order_reference: str = ""  # BT-13
    preceding: tuple[PrecedingInvoice, ...] = ()
    supply_date: date | None = None  # BT-72
    period: tuple[date, date] | None = None  # BG-14
    notes: tuple[str, ...] = ()  # BT-22
    prepaid: Decimal = ZERO  # BT-113
    # The tax per category as the books froze it; empty: computed here per BR-CO-17.
    frozen_tax: tuple[tuple[VatCategory, Decimal | None, Decimal], ...] = ()
    # BT-120 and BT-121 per category: the words and the VATEX code of why no VAT is charged.
    exemption_reasons: tuple[tuple[VatCategory, str, str], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", DocumentKind(self.kind))
        if not self.number.strip():
            raise ValidationError("number", N_("an e-invoice needs its number"))
        if not self.lines:
            raise ValidationError("lines", N_("an e-invoice needs at least one line (BR-16)"))
        minor_digits(self.currency)
        for line in self.lines:
            _check_line(line, self.currency)
        for item in self.allowances_charges:
            _check_category(item.category, item.rate, "allowance or charge")
            if item.amount < 0:
                raise ValidationError("allowance or charge", N_("must not be negative"))
        if self.period and self.period[0] > self.period[1]:
            raise ValidationError("supply period", N_("ends before it starts"))
        if self.installments and sum((i.amount for i in self.installments), ZERO) != (
                self.payable):
            raise ValidationError("installments", N_("must add up to the amount due"))
        categories = {line.category for line in self.lines}
        if VatCategory.OUTSIDE_SCOPE in categories and len(categories) > 1:
            raise ValidationError("VAT category", N_("an invoice outside the scope of VAT (O) "
                                                     "cannot carry other categories (BR-O-11)"))

    # --- BR-CO-10 to BR-CO-16 ---------------------------------------------------------------
    @property
    def line_total(self) -> Decimal:  # BT-106
        return sum((line.net_amount for line in self.lines), ZERO)

    @property
    def allowance_total(self) -> Decimal:  # BT-107
        return sum((a.amount for a in self.allowances_charges if not a.charge), ZERO)

    @property
    def charge_total(self) -> Decimal:  # BT-108
        return sum((a.amount for a in self.allowances_charges if a.charge), ZERO)

    @property
    def tax_exclusive(self) -> Decimal:  # BT-109
        return self.line_total - self.allowance_total + self.charge_total

    @property
    def tax_total(self) -> Decimal:  # BT-110
        return sum((b.tax for b in self.breakdown), ZERO)

    @property
    def tax_inclusive(self) -> Decimal:  # BT-112
        return self.tax_exclusive + self.tax_total

    @property
    def payable(self) -> Decimal:  # BT-115
        return self.tax_inclusive - self.prepaid

    @property
    def breakdown(self) -> tuple[VatBreakdown, ...]:
        """BG-23: one entry per category and rate, the base summed from lines, allowances and
        charges, the tax as the books froze it or rounded once on the base (BR-CO-17)."""
        bases: dict[tuple[VatCategory, Decimal | None], Decimal] = {}
        for key, amount in self._signed_amounts():
            bases[key] = bases.get(key, ZERO) + amount
        frozen: dict[tuple[VatCategory, Decimal | None], Decimal] = {}
        for c, r, t in self.frozen_tax:  # bands the books keep apart (E per reason) as one
            frozen[(c, _rate_key(r))] = frozen.get((c, _rate_key(r)), ZERO) + t
        reasons = {c: (text, code) for c, text, code in self.exemption_reasons}
        out = []
        for (category, rate), base in sorted(bases.items(), key=_breakdown_order):
            if (category, _rate_key(rate)) in frozen:
                tax = frozen[(category, _rate_key(rate))]
            elif category is VatCategory.STANDARD and rate is not None:
                tax = round_amount(base * rate / 100, self.currency)
            else:
                tax = ZERO
            text, code = reasons.get(category, ("", ""))
            code = code or VATEX_CODES.get(category, "")
            out.append(VatBreakdown(category, rate, base, tax, text, code))
        return tuple(out)

    def _signed_amounts(self) -> Iterable[tuple[tuple[VatCategory, Decimal | None], Decimal]]:
        for line in self.lines:
            yield (line.category, _rate_key(line.rate)), line.net_amount
        for item in self.allowances_charges:
            yield (item.category, _rate_key(item.rate)), (
                item.amount if item.charge else -item.amount)


def _rate_key(rate: Decimal | None) -> Decimal | None:
    return None if rate is None else rate.normalize()


def _breakdown_order(item: tuple[tuple[VatCategory, Decimal | None], Decimal]
                     ) -> tuple[int, Decimal]:
    """The order the invoice prints its bands in: S, Z, E, AE, K, G, O, each by rate."""
    (category, rate), _ = item
    return list(VatCategory).index(category), rate if rate is not None else ZERO


def _check_category(category: VatCategory, rate: Decimal | None, where: str) -> None:
    VatCategory(category)
    if category is VatCategory.OUTSIDE_SCOPE:
        if rate is not None:
            raise ValidationError(f"{where} VAT rate", N_("outside the scope of VAT (O) has no "
                                                          "rate (BR-O-05)"))
    elif rate is None:
        raise ValidationError(f"{where} VAT rate", N_("category {category} needs a rate"),
                              category=category.value)
    elif category is VatCategory.STANDARD and rate <= 0:
        raise ValidationError(f"{where} VAT rate", N_("standard rated (S) needs a rate above zero "
                                                      "(BR-S-05)"))
    elif category in ZERO_RATED and rate != 0:
        raise ValidationError(f"{where} VAT rate", N_("category {category} has a rate of zero"),
                              category=category.value)


def _check_line(line: Line, currency: str) -> None:
    where = f"line {line.identifier}"
    if not line.name.strip():
        raise ValidationError(f"{where} description", N_("must not be empty"))
    if line.quantity <= 0:
        raise ValidationError(f"{where} quantity", N_("must be more than zero"))
    if line.price < 0:
        raise ValidationError(f"{where} price", N_("must not be negative (BR-27)"))
    if not line.unit.strip():
        raise ValidationError(f"{where} unit", N_("needs a UN/ECE Rec. 20 code such as C62"))
    _check_category(line.category, line.rate, where)
    if round_amount(line.net_amount, currency) != line.net_amount:
        raise ValidationError(f"{where} net amount", N_("has more decimals than {currency}"),
                              currency=currency)
    if line.allowance < 0:
        raise ValidationError(f"{where} discount", N_("must not be negative"))
    if line.period and line.period[0] > line.period[1]:
        raise ValidationError(f"{where} period", N_("ends before it starts"))

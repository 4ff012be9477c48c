"""Invoice lines and totals (EN 16931 arithmetic).

Each line's net is rounded half-up once (BT-131); VAT is computed per category and rate on
the sum of those nets and rounded once (BR-CO-17), never summed from per-line tax.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.money import (
    MAX_AMOUNT,
    ZERO,
    D,
    canonical,
    minor_digits,
    parse_decimal,
)
from desktop_app.domain.units import DEFAULT_UNIT, unit_code
from desktop_app.domain.vat import LineTax, VatCategory, category, check_line_tax
from desktop_app.messages import N_

MAX_QUANTITY = D("1000000000")


@dataclass(frozen=True, slots=True)
class Line:
    """An invoice line: BT-153 item name, BT-129 quantity, BT-130 unit (UN/ECE Rec. 20),
    BT-146 net price, BT-151/BT-152 VAT category and rate, BT-134/BT-135 line period."""

    description: str
    quantity: Decimal
    unit_price: Decimal
    tax_percent: Decimal = ZERO
    discount_percent: Decimal = ZERO
    unit: str = DEFAULT_UNIT
    category: VatCategory = VatCategory.STANDARD
    exemption_reason: str = ""  # BT-120 for an exempt (E) line
    period_start: date | None = None
    period_end: date | None = None

    def net_minor(self, currency: str) -> int:
        """Line net in minor units, rounded half-up once, here."""
        gross = self.quantity * self.unit_price * (100 - self.discount_percent) / 100
        return _round_minor(gross.scaleb(minor_digits(currency)))


def _round_minor(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


@dataclass(frozen=True, slots=True)
class TaxBand:
    """BG-23 VAT breakdown: BT-118 category, BT-119 rate, BT-116 taxable amount, BT-117 VAT
    amount, BT-120 exemption reason."""

    rate: Decimal
    net_minor: int
    tax_minor: int
    category: VatCategory = VatCategory.STANDARD
    exemption_reason: str = ""


@dataclass(frozen=True, slots=True)
class Totals:
    subtotal_minor: int
    tax_minor: int
    total_minor: int
    bands: tuple[TaxBand, ...] = field(default_factory=tuple)


BandKey = tuple[VatCategory, Decimal, str]


def band_key(line: Line) -> BandKey:
    return (line.category, canonical(line.tax_percent),
            line.exemption_reason if line.category is VatCategory.EXEMPT else "")


def band_tax_minor(net_minor: int, rate: Decimal) -> int:
    """BR-CO-17: a band's VAT is its taxable amount times the rate, rounded once."""
    return _round_minor(D(net_minor) * rate / 100)


def _band_order(key: BandKey) -> tuple[int, Decimal, str]:
    return (list(VatCategory).index(key[0]), key[1], key[2])


def bands_from(figures: Iterable[tuple[BandKey, int, int]]) -> tuple[TaxBand, ...]:
    """Bands from (key, net, tax) figures per line, summed: how an issued invoice's frozen
    line figures give back the breakdown it was issued with."""
    sums: dict[BandKey, list[int]] = {}
    for key, net, tax in figures:
        band = sums.setdefault(key, [0, 0])
        band[0] += net
        band[1] += tax
    return tuple(TaxBand(key[1], net, tax, key[0], key[2])
                 for key, (net, tax) in sorted(sums.items(), key=lambda kv: _band_order(kv[0])))


def totals(lines: Iterable[Line], currency: str) -> Totals:
    """Sum of rounded line nets; VAT per category and rate on each band's net (BR-CO-17)."""
    nets: dict[BandKey, int] = {}
    for line in lines:
        key = band_key(line)
        nets[key] = nets.get(key, 0) + line.net_minor(currency)
    bands = bands_from((key, net, band_tax_minor(net, key[1])) for key, net in nets.items())
    subtotal = sum(b.net_minor for b in bands)
    tax = sum(b.tax_minor for b in bands)
    return Totals(subtotal, tax, subtotal + tax, bands)


def line_tax_shares(lines: Sequence[Line], currency: str) -> list[int]:
    """Each band's VAT shared out over its lines in proportion to their nets (largest
    remainder), so that the stored line figures add up to the bands exactly. Informative
    only: the law knows no VAT per line; an issued invoice's bands are read back from these."""
    nets = [line.net_minor(currency) for line in lines]
    shares = [0] * len(lines)
    members: dict[BandKey, list[int]] = {}
    for index, line in enumerate(lines):
        members.setdefault(band_key(line), []).append(index)
    for key, indexes in members.items():
        band_net = sum(nets[i] for i in indexes)
        band_tax = band_tax_minor(band_net, key[1])
        if band_net == 0:
            shares[indexes[-1]] = band_tax
            continue
        exact = [D(band_tax) * nets[i] / band_net for i in indexes]
        floors = [int(x.to_integral_value(rounding="ROUND_FLOOR")) for x in exact]
        left = band_tax - sum(floors)
        order = sorted(range(len(indexes)), key=lambda k: (floors[k] - exact[k], k))
        for k in order[:left]:
            floors[k] += 1
        for k, i in enumerate(indexes):
            shares[i] = floors[k]
    return shares


def parse_period(text: str, field: str) -> tuple[date, date]:
    """'D1..D2' (ISO days, both included)."""
    start, sep, end = text.partition("..")
    try:
        first, last = date.fromisoformat(start.strip()), date.fromisoformat(end.strip())
    except ValueError:
        raise ValidationError(field, N_("'{text}' must look like YYYY-MM-DD..YYYY-MM-DD"),
                              text=text) from None
    if not sep or last < first:
        raise ValidationError(field, N_("'{text}' must end on or after the day it starts"),
                              text=text)
    return first, last


def make_line(
    description: str,
    quantity: str | Decimal,
    unit_price: str | Decimal,
    tax_percent: str | Decimal = ZERO,
    discount_percent: str | Decimal = ZERO,
    *,
    position: int = 1,
    unit: str = "",
    vat_category: str | VatCategory = VatCategory.STANDARD,
    exemption_reason: str = "",
    period: tuple[date, date] | None = None,
) -> Line:
    """A line from user input, refused with the field named when it makes no sense."""
    prefix = f"line {position}"
    if not description or not description.strip():
        raise ValidationError(f"{prefix} description", N_("must not be empty"))
    qty = parse_decimal(quantity, f"{prefix} quantity", allow_zero=False)
    if qty > MAX_QUANTITY:
        raise ValidationError(f"{prefix} quantity", N_("is implausibly large"))
    price = parse_decimal(unit_price, f"{prefix} unit price")
    tax = parse_decimal(tax_percent, f"{prefix} tax percent")
    if tax > 100:
        raise ValidationError(f"{prefix} tax percent", N_("must not exceed 100"))
    disc = parse_decimal(discount_percent, f"{prefix} discount percent")
    if disc > 100:
        raise ValidationError(f"{prefix} discount percent", N_("must not exceed 100"))
    if qty * price > MAX_AMOUNT:
        raise ValidationError(f"{prefix} unit price",
                              N_("quantity times unit price is more than PaidUp can record"))
    vat = check_line_tax(LineTax(category(vat_category, f"{prefix} category"), tax,
                                 exemption_reason.strip()), prefix)
    start, end = period if period else (None, None)
    return Line(description.strip(), qty, price, tax, disc, unit_code(unit, f"{prefix} unit"),
                vat.category, vat.exemption_reason, start, end)


LINE_SPEC = "DESCRIPTION|QUANTITY|UNIT_PRICE[|TAX_PERCENT[|UNIT[|CATEGORY[:REASON]]]]"


def parse_line_spec(spec: str, position: int) -> Line:
    """CLI form 'DESC|QTY|UNIT_PRICE[|TAX_PERCENT[|UNIT[|CATEGORY[:REASON]]]]'."""
    parts = spec.split("|")
    if not 3 <= len(parts) <= 6:
        raise ValidationError(f"line {position}", N_("'{spec}' must look like {form}"),
                              spec=spec, form=LINE_SPEC)
    description, quantity, price = parts[:3]
    tax = parts[3] if len(parts) > 3 and parts[3].strip() else "0"
    unit = parts[4] if len(parts) > 4 else ""
    code, _, reason = (parts[5] if len(parts) > 5 and parts[5].strip() else "S").partition(":")
    return make_line(description, quantity, price, tax, position=position, unit=unit,
                     vat_category=code, exemption_reason=reason)


def credit_bands(bands: Sequence[TaxBand], credit_minor: int) -> tuple[TaxBand, ...]:
    """What a credit note of ``credit_minor`` (gross) cancels in each VAT band: the amount
    shared over the bands in proportion to their gross (largest remainder), each share
    split back into net and VAT at its rate. The shares add up to the credit exactly."""
    gross = [b.net_minor + b.tax_minor for b in bands]
    total = sum(gross)
    if total <= 0 or credit_minor <= 0:
        return ()
    exact = [D(credit_minor) * g / total for g in gross]
    shares = [int(x.to_integral_value(rounding="ROUND_FLOOR")) for x in exact]
    left = credit_minor - sum(shares)
    for k in sorted(range(len(bands)), key=lambda k: (shares[k] - exact[k], k))[:left]:
        shares[k] += 1
    out = []
    for band, share in zip(bands, shares, strict=True):
        net = _round_minor(D(share) * 100 / (100 + band.rate))
        out.append(TaxBand(band.rate, net, share - net, band.category, band.exemption_reason))
    return tuple(out)

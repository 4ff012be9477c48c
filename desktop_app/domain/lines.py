"""Invoice lines and totals: half-up per line, then summed; tax shown per rate."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
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

MAX_QUANTITY = D("1000000000")


@dataclass(frozen=True, slots=True)
class Line:
    description: str
    quantity: Decimal
    unit_price: Decimal
    tax_percent: Decimal = ZERO
    discount_percent: Decimal = ZERO

    def net_minor(self, currency: str) -> int:
        """Line net in minor units, rounded half-up once, here."""
        gross = self.quantity * self.unit_price * (100 - self.discount_percent) / 100
        return _round_minor(gross.scaleb(minor_digits(currency)))

    def tax_minor(self, currency: str) -> int:
        return _round_minor(D(self.net_minor(currency)) * self.tax_percent / 100)


def _round_minor(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


@dataclass(frozen=True, slots=True)
class TaxBand:
    rate: Decimal
    net_minor: int
    tax_minor: int


@dataclass(frozen=True, slots=True)
class Totals:
    subtotal_minor: int
    tax_minor: int
    total_minor: int
    bands: tuple[TaxBand, ...] = field(default_factory=tuple)


def totals(lines: Iterable[Line], currency: str) -> Totals:
    """Sum of rounded line nets and line taxes; the bands add up to the totals exactly."""
    by_rate: dict[Decimal, list[int]] = {}
    for line in lines:
        band = by_rate.setdefault(canonical(line.tax_percent), [0, 0])
        band[0] += line.net_minor(currency)
        band[1] += line.tax_minor(currency)
    bands = tuple(TaxBand(rate, net, tax) for rate, (net, tax) in sorted(by_rate.items()))
    subtotal = sum(b.net_minor for b in bands)
    tax = sum(b.tax_minor for b in bands)
    return Totals(subtotal, tax, subtotal + tax, bands)


def make_line(
    description: str,
    quantity: str | Decimal,
    unit_price: str | Decimal,
    tax_percent: str | Decimal = ZERO,
    discount_percent: str | Decimal = ZERO,
    *,
    position: int = 1,
) -> Line:
    """A line from user input, refused with the field named when it makes no sense."""
    prefix = f"line {position}"
    if not description or not description.strip():
        raise ValidationError(f"{prefix} description", "must not be empty")
    qty = parse_decimal(quantity, f"{prefix} quantity", allow_zero=False)
    if qty > MAX_QUANTITY:
        raise ValidationError(f"{prefix} quantity", "is implausibly large")
    price = parse_decimal(unit_price, f"{prefix} unit price")
    tax = parse_decimal(tax_percent, f"{prefix} tax percent")
    if tax > 100:
        raise ValidationError(f"{prefix} tax percent", "must not exceed 100")
    disc = parse_decimal(discount_percent, f"{prefix} discount percent")
    if disc > 100:
        raise ValidationError(f"{prefix} discount percent", "must not exceed 100")
    if qty * price > MAX_AMOUNT:
        raise ValidationError(f"{prefix} unit price",
                              "quantity times unit price is more than PaidUp can record")
    return Line(description.strip(), qty, price, tax, disc)


def parse_line_spec(spec: str, position: int) -> Line:
    """CLI form 'DESC|QTY|UNIT_PRICE[|TAX_PERCENT]'."""
    parts = spec.split("|")
    if len(parts) not in (3, 4):
        raise ValidationError(
            f"line {position}",
            f"'{spec}' must look like DESCRIPTION|QUANTITY|UNIT_PRICE[|TAX_PERCENT]",
        )
    return make_line(*parts, position=position)

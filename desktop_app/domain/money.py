"""Exact money: Decimal in code, integer minor units in storage, never a float.

Every amount enters through :func:`parse_amount` or :func:`D`, which refuse floats, and is
rounded half-up to the currency's minor unit (ISO 4217 exponent, from Babel's CLDR data).
Splits work on integer minor units so that no cent can be created or lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

from babel.numbers import get_currency_precision

from desktop_app.domain.errors import ValidationError

ZERO = Decimal(0)
# The largest amount PaidUp records (a trillion in the currency's main unit): far beyond any
# small business's invoice, and safely inside the books' 64-bit integers in minor units.
MAX_AMOUNT = Decimal(10) ** 12


def D(value: str | int | Decimal) -> Decimal:
    """The only constructor for numbers near money; a float is a bug, not an input."""
    if isinstance(value, float | bool):
        raise TypeError("money must never be built from a float or bool")
    return value if isinstance(value, Decimal) else Decimal(value)


@cache
def minor_digits(currency: str) -> int:
    """Decimal places of the currency's minor unit (EUR 2, JPY 0, KWD 3)."""
    if not (isinstance(currency, str) and len(currency) == 3 and currency.isalpha()):
        raise ValidationError("currency", f"'{currency}' is not a three-letter ISO 4217 code")
    return get_currency_precision(currency.upper())


@cache
def _quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_digits(currency))


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round half-up to the currency's minor unit (commercial rounding)."""
    return D(amount).quantize(_quantum(currency), rounding=ROUND_HALF_UP)


def to_minor(amount: Decimal, currency: str) -> int:
    """Integer minor units for storage; the amount must already be exact in the currency."""
    q = quantize(amount, currency)
    if q != amount:
        raise ValidationError("amount", f"{amount} has more decimals than {currency} allows")
    return int(q.scaleb(minor_digits(currency)))


def from_minor(minor: int, currency: str) -> Decimal:
    """Decimal amount with exactly the currency's decimals (for display and JSON)."""
    return Decimal(int(minor)).scaleb(-minor_digits(currency)).quantize(_quantum(currency))


def format_plain(minor: int, currency: str) -> str:
    """Machine form used by the CLI's JSON: '1234.50', never a float."""
    return str(from_minor(minor, currency))


def parse_amount(
    text: str | Decimal | int,
    field: str,
    currency: str,
    *,
    allow_zero: bool = False,
    allow_negative: bool = False,
) -> Decimal:
    """User input to an exact amount, refusing what a person would not mean."""
    if isinstance(text, float):
        raise ValidationError(field, "must be given as text or Decimal, never a float")
    try:
        value = D(text.strip()) if isinstance(text, str) else D(text)
    except InvalidOperation:
        raise ValidationError(field, f"'{text}' is not a number") from None
    if not value.is_finite():
        raise ValidationError(field, f"'{text}' is not a number")
    if value < 0 and not allow_negative:
        raise ValidationError(field, f"must not be negative (got {text})")
    if value == 0 and not allow_zero:
        raise ValidationError(field, "must be more than zero")
    if abs(value) > MAX_AMOUNT:
        raise ValidationError(field, f"'{text}' is more than PaidUp can record")
    if quantize(value, currency) != value:
        digits = minor_digits(currency)
        raise ValidationError(field, f"'{text}' has more than {digits} decimals for {currency}")
    return value


def parse_decimal(text: str | Decimal | int, field: str, *, minimum: Decimal | None = ZERO,
                  allow_zero: bool = True) -> Decimal:
    """A quantity, percentage or rate: exact, finite, and not below ``minimum``."""
    if isinstance(text, float):
        raise ValidationError(field, "must be given as text or Decimal, never a float")
    try:
        value = D(text.strip()) if isinstance(text, str) else D(text)
    except InvalidOperation:
        raise ValidationError(field, f"'{text}' is not a number") from None
    if not value.is_finite():
        raise ValidationError(field, f"'{text}' is not a number")
    if minimum is not None and value < minimum:
        reason = "must not be negative" if minimum == 0 else f"must not be less than {minimum}"
        raise ValidationError(field, f"{reason} (got {text})")
    if value == 0 and not allow_zero:
        raise ValidationError(field, "must be more than zero")
    return value


def split_by_weights(total_minor: int, weights: Sequence[Decimal]) -> list[int]:
    """Split an integer amount by weights; each share rounds down, the remainder goes last.

    DOMAIN: installments sum exactly to the total, the remainder to the last installment.
    """
    if not weights:
        raise ValidationError("schedule", "needs at least one share")
    if any(w < 0 for w in weights):
        raise ValidationError("schedule", "shares must not be negative")
    weight_sum = sum(weights, ZERO)
    if weight_sum <= 0:
        raise ValidationError("schedule", "shares must add up to more than zero")
    shares = [int((D(total_minor) * w / weight_sum).to_integral_value(rounding="ROUND_FLOOR"))
              for w in weights[:-1]]
    shares.append(total_minor - sum(shares))
    return shares

"""Exact money: Decimal in code, integer minor units in storage, never a float.

Every number a person types enters through :func:`read_decimal` (plain decimals only, with a
locale's separators in the window), every amount through :func:`parse_amount` or :func:`D`,
which refuse floats, and is rounded half-up to the currency's minor unit (ISO 4217
exponent, from Babel's CLDR data). Splits work on integer minor units so that no cent can
be created or lost.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from babel.numbers import (
    format_decimal,
    get_currency_precision,
    get_decimal_symbol,
    get_group_symbol,
)

from desktop_app.domain.errors import ValidationError
from desktop_app.messages import N_, Word

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
        raise ValidationError("currency", N_("'{currency}' is not a three-letter ISO 4217 code"),
                              currency=currency)
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
        raise ValidationError("amount", N_("{amount} has more decimals than {currency} allows"),
                              amount=str(amount), currency=currency)
    return int(q.scaleb(minor_digits(currency)))


def from_minor(minor: int, currency: str) -> Decimal:
    """Decimal amount with exactly the currency's decimals (for display and JSON)."""
    return Decimal(int(minor)).scaleb(-minor_digits(currency)).quantize(_quantum(currency))


def format_plain(minor: int, currency: str) -> str:
    """Machine form used by the CLI's JSON: '1234.50', never a float."""
    return str(from_minor(minor, currency))


@dataclass(frozen=True, slots=True)
class Separators:
    """How a person writes a number: the decimal separator and, where a locale groups
    thousands, its group separator ("" when grouping is not accepted)."""

    decimal: str = "."
    group: str = ""

    @classmethod
    def of_locale(cls, locale: str) -> Separators:
        """The separators of a Babel locale ('de': 1.234,50; 'ru': 1 234,50)."""
        return cls(get_decimal_symbol(locale), get_group_symbol(locale))


PLAIN = Separators()  # the CLI, JSON and every service: 1234.50
# Spaces a locale may group with (ru and fr write a no-break or a narrow no-break space);
# a person types an ordinary one.
_SPACES = " \u00a0\u202f"


@cache
def _number_pattern(separators: Separators) -> re.Pattern[str]:
    digits = "[0-9]"  # ASCII only: str.isdigit and Decimal also take other scripts' digits
    decimal = re.escape(separators.decimal)
    whole = f"{digits}+"
    if separators.group:
        group = f"[{re.escape(_SPACES)}]" if separators.group in _SPACES else re.escape(
            separators.group)
        whole = f"(?:{digits}{{1,3}}(?:{group}{digits}{{3}})+|{digits}+)"
    return re.compile(f"(-?)({whole}(?:{decimal}{digits}+)?|{decimal}{digits}+)")


def read_decimal(text: str | Decimal | int, field: str,
                 separators: Separators = PLAIN) -> Decimal:
    """The one door for a number a person typed: ASCII digits, a leading minus, one decimal
    separator and, in a locale that groups, its group separator every three digits.
    Refused with the field named: exponents (1e3), underscores (1_000), other scripts'
    digits (１２, ٥), a plus sign, NaN or Infinity. A Decimal or int from code passes as
    it is (only floats are refused: D)."""
    if isinstance(text, float | bool):
        raise ValidationError(field, N_("must be given as text or Decimal, never a float"))
    if not isinstance(text, str):
        value = D(text)
        if not value.is_finite():
            raise ValidationError(field, N_("'{text}' is not a number"), text=str(text))
        return value
    stripped = text.strip()
    match = _number_pattern(separators).fullmatch(stripped)
    if match is None:
        raise ValidationError(field, N_("'{text}' is not a number"), text=stripped)
    sign, body = match.groups()
    plain = body.translate({ord(c): None for c in (separators.group, *_SPACES)}
                           if separators.group else {})
    if separators.decimal != ".":
        plain = plain.replace(separators.decimal, ".")
    return Decimal(sign + plain)


def read_localized(text: str, field: str, locale: str) -> Decimal:
    """A number as people write it where they live: '65,50' and '1.234,56' in Germany,
    '1 234,56' (plain or no-break space) in Russia, '1,234.56' in the US and China. The
    locale alone says which mark is the decimal one; text that only another convention
    explains ('65.50' in Germany, '1.234,56' in the US) is refused with the locale's own
    form as the example, never guessed."""
    try:
        return read_decimal(text, field, Separators.of_locale(locale))
    except ValidationError:
        example = format_decimal(Decimal("1234.56"), locale=locale)
        raise ValidationError(field, N_("'{text}' is not a number as written here (for "
                                        "example {example})"),
                              text=text.strip(), example=example) from None


def read_whole(text: str | int, field: str, *, minimum: int = 0, maximum: int | None = None,
               what: str = N_("a whole number")) -> int:
    """A count of days or installments: ASCII digits only (no 1_000, no ١٢), in range.
    ``what`` is marked with N_ by the caller (the window translates it)."""
    if isinstance(text, bool):
        raise ValidationError(field, N_("'{text}' is not {what}"), text=str(text),
                              what=Word(what))
    if isinstance(text, int):
        value = text
    else:
        stripped = str(text).strip()
        if not re.fullmatch("-?[0-9]+", stripped):
            raise ValidationError(field, N_("'{text}' is not {what}"), text=stripped,
                                  what=Word(what))
        value = int(stripped)
    if value < minimum == 0:
        raise ValidationError(field, N_("must not be negative (got {value})"), value=value)
    if value < minimum:
        raise ValidationError(field, N_("must be at least {minimum} (got {value})"),
                              minimum=minimum, value=value)
    if maximum is not None and value > maximum:
        raise ValidationError(field, N_("must be at most {maximum} (got {value})"),
                              maximum=maximum, value=value)
    return value


def plain_text(value: Decimal) -> str:
    """A number as the CLI and JSON print it: 10, 19.5, 1000, 1234.50; never 1E+1."""
    return format(value, "f")


def canonical(value: Decimal) -> Decimal:
    """The same number without trailing zeros and without an exponent (19.00 -> 19,
    1E+1 -> 10): the key for grouping rates that may have been typed differently."""
    normal = value.normalize()
    exponent = normal.as_tuple().exponent  # a letter for NaN and infinity
    return normal.quantize(Decimal(1)) if isinstance(exponent, int) and exponent > 0 \
        else normal


def parse_amount(
    text: str | Decimal | int,
    field: str,
    currency: str,
    *,
    allow_zero: bool = False,
    allow_negative: bool = False,
    separators: Separators = PLAIN,
) -> Decimal:
    """User input to an exact amount, refusing what a person would not mean."""
    value = read_decimal(text, field, separators)
    if value < 0 and not allow_negative:
        raise ValidationError(field, N_("must not be negative (got {value})"), value=str(text))
    if value == 0 and not allow_zero:
        raise ValidationError(field, N_("must be more than zero"))
    if abs(value) > MAX_AMOUNT:
        raise ValidationError(field, N_("'{text}' is more than PaidUp can record"),
                              text=str(text))
    if quantize(value, currency) != value:
        raise ValidationError(field, N_("'{text}' has more than {digits} decimals for "
                                        "{currency}"),
                              text=str(text), digits=minor_digits(currency), currency=currency)
    return value


def parse_decimal(text: str | Decimal | int, field: str, *, minimum: Decimal | None = ZERO,
                  allow_zero: bool = True, separators: Separators = PLAIN) -> Decimal:
    """A quantity, percentage or rate: exact, finite, and not below ``minimum``."""
    value = read_decimal(text, field, separators)
    if minimum is not None and value < minimum == 0:
        raise ValidationError(field, N_("must not be negative (got {value})"), value=str(text))
    if minimum is not None and value < minimum:
        raise ValidationError(field, N_("must not be less than {minimum} (got {value})"),
                              minimum=str(minimum), value=str(text))
    if value == 0 and not allow_zero:
        raise ValidationError(field, N_("must be more than zero"))
    return value


def split_by_weights(total_minor: int, weights: Sequence[Decimal]) -> list[int]:
    """Split an integer amount by weights; each share rounds down, the remainder goes last.

    DOMAIN: installments sum exactly to the total, the remainder to the last installment.
    """
    if not weights:
        raise ValidationError("schedule", N_("needs at least one share"))
    if any(w < 0 for w in weights):
        raise ValidationError("schedule", N_("shares must not be negative"))
    weight_sum = sum(weights, ZERO)
    if weight_sum <= 0:
        raise ValidationError("schedule", N_("shares must add up to more than zero"))
    shares = [int((D(total_minor) * w / weight_sum).to_integral_value(rounding="ROUND_FLOOR"))
              for w in weights[:-1]]
    shares.append(total_minor - sum(shares))
    return shares

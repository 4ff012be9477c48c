from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.lines import make_line
from desktop_app.domain.money import (
    D,
    from_minor,
    minor_digits,
    parse_amount,
    quantize,
    split_by_weights,
    to_minor,
)


def test_floats_are_refused_at_the_door():
    with pytest.raises(TypeError):
        D(0.1)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        parse_amount(0.1, "amount", "EUR")  # type: ignore[arg-type]


@pytest.mark.parametrize(("currency", "digits"), [("EUR", 2), ("JPY", 0), ("KWD", 3)])
def test_minor_unit_comes_from_the_currency(currency, digits):
    assert minor_digits(currency) == digits


def test_rounding_is_half_up_not_bankers():
    assert quantize(D("0.125"), "EUR") == D("0.13")
    assert quantize(D("2.5"), "JPY") == D("3")


def test_minor_units_round_trip():
    assert to_minor(D("1000.01"), "EUR") == 100001
    assert from_minor(100001, "EUR") == D("1000.01")
    assert str(from_minor(5, "EUR")) == "0.05"


@pytest.mark.parametrize(
    ("text", "message"),
    [("abc", "is not a number"), ("-1", "must not be negative"), ("0", "more than zero"),
     ("1.234", "more than 2 decimals"), ("NaN", "is not a number")],
)
def test_bad_amounts_name_the_field(text, message):
    with pytest.raises(ValidationError) as err:
        parse_amount(text, "amount", "EUR")
    assert err.value.field == "amount"
    assert message in err.value.message


@given(
    total=st.integers(min_value=0, max_value=10**12),
    weights=st.lists(st.decimals(min_value=Decimal("0.01"), max_value=Decimal(1000), places=2),
                     min_size=1, max_size=24),
)
def test_split_never_creates_or_loses_a_cent(total, weights):
    shares = split_by_weights(total, weights)
    assert sum(shares) == total
    assert len(shares) == len(weights)
    assert all(s >= 0 for s in shares)


def test_amounts_beyond_what_the_books_can_hold_are_refused_with_the_field_named():
    with pytest.raises(ValidationError, match=r"amount: '1000000000000\.01' is more than"):
        parse_amount("1000000000000.01", "amount", "EUR")
    assert parse_amount("1000000000000", "amount", "EUR") == D("1000000000000")
    with pytest.raises(ValidationError, match="line 2 unit price: quantity times unit price"):
        make_line("Machines", "1000000000", "100000000000", position=2)

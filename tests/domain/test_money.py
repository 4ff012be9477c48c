from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.lines import make_line
from desktop_app.domain.money import (
    D,
    Separators,
    canonical,
    from_minor,
    minor_digits,
    parse_amount,
    plain_text,
    quantize,
    read_decimal,
    read_whole,
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


@pytest.mark.parametrize("text", ["1e3", "1E3", "5e0", "1_000", "１２", "٥", "+5", "1,000",
                                  "NaN", "Infinity", "1.", "--1", "1 000", "0x10", ""])
def test_only_plain_decimals_are_money(text):
    """Issue 14: 1e3 paid on a 119.00 invoice made 881.00 of credit."""
    with pytest.raises(ValidationError) as err:
        parse_amount(text, "amount", "EUR")
    assert err.value.field == "amount"


@pytest.mark.parametrize("text", ["1e3", "1_000", "１２", "٥", "2E+1"])
def test_quantities_and_rates_are_plain_decimals_too(text):
    with pytest.raises(ValidationError, match="line 1 quantity"):
        make_line("Work", text, "1.00")
    with pytest.raises(ValidationError, match="line 1 tax percent"):
        make_line("Work", "1", "1.00", text)


@pytest.mark.parametrize(("text", "locale", "value"), [
    ("1.234,50", "de", "1234.50"), ("1234,5", "de", "1234.5"), ("1,234.50", "en_US", "1234.50"),
    ("1\u00a0234,50", "ru", "1234.50"), ("1 234,50", "ru", "1234.50"), ("-0,5", "de", "-0.5"),
    (",5", "de", "0.5"), ("12", "zh_CN", "12"), ("1,234.5", "zh_TW", "1234.5"),
])
def test_the_window_reads_its_locales_separators_through_the_same_door(text, locale, value):
    assert read_decimal(text, "amount", Separators.of_locale(locale)) == D(value)


@pytest.mark.parametrize(("text", "locale"), [
    ("1.23,50", "de"), ("1e3", "de"), ("1,234.50", "de"), ("12,34,567", "en_US"),
    ("１２", "zh_CN"), ("1_000", "en_US")])
def test_a_locale_number_written_wrongly_is_refused(text, locale):
    with pytest.raises(ValidationError, match="is not a number"):
        read_decimal(text, "amount", Separators.of_locale(locale))


@pytest.mark.parametrize("text", ["1_000", "١٢", "１２", "1e3", "-1", "3.0"])
def test_counts_are_ascii_whole_numbers(text):
    with pytest.raises(ValidationError, match="net-days"):
        read_whole(text, "net-days")
    assert read_whole(" 12 ", "net-days") == 12


def test_numbers_print_plainly():
    assert plain_text(D("1E+1")) == "10"
    assert plain_text(D("1E+3")) == "1000"
    assert plain_text(D("19.50")) == "19.50"
    assert canonical(D("1E+1")) == D(10) and str(canonical(D("19.00"))) == "19"

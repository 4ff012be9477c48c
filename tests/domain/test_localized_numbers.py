"""Numbers typed as people write them where they live, and refused where only another
convention explains them (the window's one door for typed numbers)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.money import MAX_AMOUNT, D, read_localized

LOCALES = ("en_US", "de_DE", "ru_RU", "zh_Hans_CN", "zh_Hant_TW", "de_CH", "fr_FR")


@pytest.mark.parametrize(("locale", "text", "value"), [
    ("de_DE", "65,50", "65.50"),
    ("de_DE", "1.234,56", "1234.56"),
    ("de_DE", "1234,56", "1234.56"),
    ("de_DE", "5.000", "5000"),
    ("ru_RU", "1 234,56", "1234.56"),
    ("ru_RU", "1\u00a0234,56", "1234.56"),
    ("ru_RU", "1\u202f234,56", "1234.56"),
    ("ru_RU", "65,5", "65.5"),
    ("en_US", "1,234.56", "1234.56"),
    ("en_US", "65.50", "65.50"),
    ("zh_Hans_CN", "1,234.56", "1234.56"),
    ("zh_Hant_TW", "-12.5", "-12.5"),
])
def test_numbers_are_read_as_the_locale_writes_them(locale: str, text: str, value: str) -> None:
    assert read_localized(text, "amount", locale) == D(value)


@pytest.mark.parametrize(("locale", "text"), [
    ("de_DE", "65.50"),       # an English decimal point where Germans write a comma
    ("de_DE", "1,234.56"),
    ("en_US", "1.234,56"),
    ("en_US", "65,50"),
    ("ru_RU", "1.234,56"),
    ("de_DE", "1e3"),
    ("de_DE", "1_000"),
    ("de_DE", "１２,５"),     # full-width digits
    ("ru_RU", "٥٠"),          # Arabic-Indic digits
    ("en_US", "+5"),
    ("en_US", "12,34"),       # a group of two is no group
])
def test_what_the_locale_does_not_explain_is_refused_with_the_field(locale: str,
                                                                    text: str) -> None:
    with pytest.raises(ValidationError) as refused:
        read_localized(text, "amount", locale)
    assert refused.value.field == "amount"
    assert format_decimal(Decimal("1234.56"), locale=locale) in refused.value.message


@given(st.sampled_from(LOCALES),
       st.decimals(min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT, places=2,
                   allow_nan=False, allow_infinity=False),
       st.booleans())
def test_an_amount_formatted_in_a_locale_reads_back_the_same(locale: str, amount: Decimal,
                                                             grouped: bool) -> None:
    shown = format_decimal(amount, locale=locale, decimal_quantization=False,
                           group_separator=grouped)
    assert read_localized(shown, "amount", locale) == amount

"""Amounts and days as the window words them (formatted once and kept)."""

from __future__ import annotations

from decimal import Decimal

from desktop_app.ui import display, translate


def test_a_negative_zero_reads_as_zero_whichever_comes_first():
    assert display.money(Decimal("-0.00"), "EUR") == display.money(Decimal("0"), "EUR")
    assert not display.money(Decimal("-0"), "USD").startswith("-")
    assert display.money(Decimal("-5"), "EUR").startswith("-")


def test_the_same_amount_at_another_scale_reads_the_same():
    assert display.money(Decimal("1.5"), "EUR") == display.money(Decimal("1.500"), "EUR")
    assert display.money(None, "EUR") == ""


def test_an_amount_put_in_a_field_keeps_the_currencys_decimals():
    translate.use(translate.Language("de", "de_DE"))
    try:
        assert display.typed_money(Decimal("1116.8"), "EUR") == "1.116,80"
        assert display.typed_money(Decimal("5"), "JPY") == "5"
        assert display.plain_number(display.typed_money(Decimal("0.5"), "EUR"),
                                    "amount") == "0.50"
    finally:
        translate.use(translate.Language("en", "en_US"))

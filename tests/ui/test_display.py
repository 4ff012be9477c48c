"""Amounts and days as the window words them (formatted once and kept)."""

from __future__ import annotations

from decimal import Decimal

from desktop_app.ui import display


def test_a_negative_zero_reads_as_zero_whichever_comes_first():
    assert display.money(Decimal("-0.00"), "EUR") == display.money(Decimal("0"), "EUR")
    assert not display.money(Decimal("-0"), "USD").startswith("-")
    assert display.money(Decimal("-5"), "EUR").startswith("-")


def test_the_same_amount_at_another_scale_reads_the_same():
    assert display.money(Decimal("1.5"), "EUR") == display.money(Decimal("1.500"), "EUR")
    assert display.money(None, "EUR") == ""

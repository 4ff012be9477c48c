"""Amounts and days as the window words them (formatted once and kept)."""

from __future__ import annotations

from decimal import Decimal

from desktop_app.ui import text


def test_a_negative_zero_reads_as_zero_whichever_comes_first():
    assert text.money(Decimal("-0.00"), "EUR") == text.money(Decimal("0"), "EUR")
    assert not text.money(Decimal("-0"), "USD").startswith("-")
    assert text.money(Decimal("-5"), "EUR").startswith("-")


def test_the_same_amount_at_another_scale_reads_the_same():
    assert text.money(Decimal("1.5"), "EUR") == text.money(Decimal("1.500"), "EUR")
    assert text.money(None, "EUR") == ""

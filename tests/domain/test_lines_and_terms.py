from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.interest import accrued_interest_minor, first_interest_day
from desktop_app.domain.lines import (
    Line,
    band_key,
    bands_from,
    line_tax_shares,
    make_line,
    parse_line_spec,
    totals,
)
from desktop_app.domain.terms import PaymentTerms


def test_totals_round_each_line_then_sum_with_tax_per_rate():
    lines = [Line("Work", Decimal(3), Decimal("0.335"), Decimal(19)),
             Line("Book", Decimal(1), Decimal("24.90"), Decimal(7)),
             Line("Fee", Decimal(1), Decimal("0.005"), Decimal(19))]
    t = totals(lines, "EUR")
    # 3 x 0.335 = 1.005 -> 1.01; 0.005 -> 0.01; tax 19 % of 1.01 = 0.19, of 0.01 = 0.00
    assert [b.rate for b in t.bands] == [Decimal(7), Decimal(19)]
    assert t.bands[1].net_minor == 102 and t.bands[1].tax_minor == 19
    assert t.bands[0].net_minor == 2490 and t.bands[0].tax_minor == 174
    assert t.subtotal_minor == 2592 and t.tax_minor == 193 and t.total_minor == 2785


@given(st.lists(st.tuples(
    st.decimals(min_value=Decimal("0.001"), max_value=Decimal(10000), places=3),
    st.decimals(min_value=Decimal(0), max_value=Decimal(100000), places=4),
    st.sampled_from([Decimal(0), Decimal(7), Decimal(19), Decimal("20.5")]),
), min_size=1, max_size=30))
def test_bands_add_up_to_the_totals(rows):
    lines = [Line("x", q, p, r) for q, p, r in rows]
    t = totals(lines, "EUR")
    assert sum(b.net_minor + b.tax_minor for b in t.bands) == t.total_minor
    assert t.subtotal_minor + t.tax_minor == t.total_minor
    assert t.subtotal_minor == sum(ln.net_minor("EUR") for ln in lines)


@pytest.mark.parametrize(("spec", "field"), [
    ("Work|x|5", "line 1 quantity"), ("Work|0|5", "line 1 quantity"),
    ("|1|5", "line 1 description"), ("Work|1|-5", "line 1 unit price"),
    ("Work|1|5|150", "line 1 tax percent"), ("Work|1", "line 1"),
])
def test_bad_lines_name_the_field(spec, field):
    with pytest.raises(ValidationError) as err:
        parse_line_spec(spec, 1)
    assert err.value.field == field


def test_line_discount():
    line = make_line("Work", "2", "50", "19", "10")
    assert line.net_minor("EUR") == 9000
    assert totals([line], "EUR").tax_minor == 1710


@pytest.mark.parametrize(("rate", "prices", "tax"), [
    # The two cases: per-line rounding gave 47.07 and 5,992.50.
    ("7", ["224.10"] * 3, 4706),
    ("8.5", ["4699.99"] * 15, 599249),
])
def test_vat_per_rate_is_rounded_once_on_the_sum_of_the_nets(rate, prices, tax):
    """EN 16931 BR-CO-17."""
    lines = [Line("x", Decimal(1), Decimal(p), Decimal(rate)) for p in prices]
    assert totals(lines, "EUR").tax_minor == tax
    assert sum(line_tax_shares(lines, "EUR")) == tax


@given(st.lists(st.tuples(
    st.decimals(min_value=Decimal("0.001"), max_value=Decimal(10000), places=3),
    st.decimals(min_value=Decimal(0), max_value=Decimal(100000), places=4),
    st.sampled_from([Decimal(0), Decimal(7), Decimal(19), Decimal("8.5")]),
    st.sampled_from(["S", "Z", "AE"]),
), min_size=1, max_size=30))
def test_each_band_is_its_net_times_its_rate_rounded_once(rows):
    lines = [make_line("x", q, p, r if c == "S" else "0", vat_category=c) for q, p, r, c in rows]
    t = totals(lines, "EUR")
    for band in t.bands:
        net = sum(ln.net_minor("EUR") for ln in lines
                  if (ln.category, ln.tax_percent) == (band.category, band.rate))
        assert band.net_minor == net
        exact = Decimal(net) * band.rate / 100
        assert band.tax_minor == int(exact.to_integral_value(rounding="ROUND_HALF_UP"))
    shares = line_tax_shares(lines, "EUR")
    assert sum(shares) == t.tax_minor
    assert all(s >= 0 for s in shares)
    assert bands_from((band_key(ln), ln.net_minor("EUR"), s)
                      for ln, s in zip(lines, shares, strict=True)) == t.bands


@pytest.mark.parametrize(("spec", "field"), [
    ("Work|1|5|19|XYZ", "line 1 unit"), ("Work|1|5|19|HUR|Q", "line 1 category"),
    ("Work|1|5|19|HUR|AE", "line 1 tax percent"), ("Work|1|5|0|HUR|E", "line 1 category"),
])
def test_units_and_categories_are_checked(spec, field):
    with pytest.raises(ValidationError) as err:
        parse_line_spec(spec, 1)
    assert err.value.field == field


def test_a_full_line_spec():
    line = parse_line_spec("Schulung|2,5|480|0|hur|E:Steuerfrei nach § 4 Nr. 21 UStG"
                           .replace("2,5", "2.5"), 1)
    assert (line.unit, line.category.value, line.exemption_reason) == (
        "HUR", "E", "Steuerfrei nach § 4 Nr. 21 UStG")


def test_early_discount_2_10_net_30():
    terms = PaymentTerms("2/10 net 30", 30, discount_percent=Decimal(2), discount_days=10)
    assert terms.due_date(date(2026, 1, 1)) == date(2026, 1, 31)
    assert terms.discount_deadline(date(2026, 1, 1)) == date(2026, 1, 11)
    assert terms.discount_minor(100001, "EUR") == 2000  # 20.0002 -> 20.00


def test_interest_is_pro_rata_after_grace():
    due = date(2026, 1, 31)
    first = first_interest_day(due, 5)
    assert accrued_interest_minor(100000, [], Decimal(8), first, due + timedelta(days=5)) == 0
    # 1000.00 x 8 % / 365 x 30 days = 6.5753... -> 6.58
    assert accrued_interest_minor(100000, [], Decimal(8), first,
                                  due + timedelta(days=35)) == 658


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"net_days": -1}, "net-days"),
    ({"net_days": 30, "discount_percent": Decimal(2)}, "discount-days"),
    ({"net_days": 30, "discount_percent": Decimal(2), "discount_days": 40}, "discount-days"),
    ({"net_days": 30, "interest_annual_percent": Decimal(-1)}, "interest-annual"),
])
def test_terms_refuse_nonsense(kwargs, field):
    with pytest.raises(ValidationError) as err:
        PaymentTerms("T", **kwargs)
    assert err.value.field == field


@given(st.lists(st.tuples(st.integers(0, 10**9), st.sampled_from(["0", "7", "19", "8.5"])),
                min_size=1, max_size=5), st.integers(1, 10**9))
def test_a_credit_note_cancels_exactly_its_amount_over_the_bands(rows, credit):
    from desktop_app.domain.lines import TaxBand, credit_bands

    bands = [TaxBand(Decimal(r), net, int(net * Decimal(r) / 100)) for net, r in rows]
    gross = sum(b.net_minor + b.tax_minor for b in bands)
    credit = min(credit, gross)
    shares = credit_bands(bands, credit)
    if gross and credit:
        assert sum(b.net_minor + b.tax_minor for b in shares) == credit
        assert all(b.net_minor >= 0 and b.tax_minor >= 0 for b in shares)

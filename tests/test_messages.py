"""An activity message's values survive the database as JSON and make the same English."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.messages import Amount, Field, Said, Word, dump, english, load, say

amounts = st.builds(Amount, st.decimals(min_value=-10**9, max_value=10**9, places=2,
                                        allow_nan=False, allow_infinity=False),
                    st.sampled_from(["EUR", "USD", "RUB", "CNY", "TWD", "JPY"]))
values = st.one_of(amounts, st.dates(), st.integers(-10**6, 10**6),
                   st.text(max_size=30), st.builds(Word, st.text(max_size=20)),
                   st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False,
                               allow_infinity=False),
                   st.builds(Field, st.text(max_size=20)))


@given(st.dictionaries(st.from_regex(r"[a-z]{1,8}", fullmatch=True), values, max_size=6))
def test_values_come_back_as_they_went_in(said) -> None:
    back = load(dump(said))
    assert back == said
    assert {k: english(v) for k, v in back.items()} == {k: english(v) for k, v in said.items()}


def test_amounts_keep_their_exact_decimal_text_and_days_their_iso_form() -> None:
    text = dump({"amount": Amount(Decimal("1234.50"), "EUR"), "day": date(2026, 11, 23)})
    assert '"amount": "1234.50"' in text and '"day": "2026-11-23"' in text
    assert str(load(text)["amount"].value) == "1234.50"


def test_a_clause_inside_a_message_reads_whole() -> None:
    why = Said("a payment of {amount} dated {day} was entered",
               {"amount": Amount(Decimal("5.00"), "EUR"), "day": date(2026, 1, 2)})
    message = "Interest now {amount}, as {why}"
    values = {"amount": Amount(Decimal("0.00"), "EUR"), "why": why}
    assert say(message, load(dump(values))) == \
        "Interest now 0.00 EUR, as a payment of 5.00 EUR dated 2026-01-02 was entered"
    assert load("") == {}


def test_a_number_keeps_its_decimals_and_a_field_its_name() -> None:
    """Money whose currency the sentence does not name ('pays 300.00 of 357.00 open'), and
    the field a refusal names ('date: ...')."""
    values = {"paid": Decimal("300.00"), "due": Decimal("1130.50"), "field": Field("date")}
    back = load(dump(values))
    assert back == values and str(back["paid"]) == "300.00"
    assert say("{field}: pays {paid} of {due}", back) == "date: pays 300.00 of 1130.50"

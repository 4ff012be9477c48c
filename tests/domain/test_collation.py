"""Names sort as people look them up, not by the bytes of their accents."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.collation import name_key


def test_accented_and_capital_letters_file_with_their_base_letter() -> None:
    names = ["Blue Harbor Café", "bäckerei Ost", "Bäckerei", "Zander GmbH", "Äpfel & Co",
             "Straße 5 GmbH", "Strassenbau AG", "abc Druck"]
    assert sorted(names, key=name_key) == [
        "abc Druck", "Äpfel & Co", "Bäckerei", "bäckerei Ost", "Blue Harbor Café",
        "Straße 5 GmbH", "Strassenbau AG", "Zander GmbH"]


@given(st.lists(st.text(max_size=12), max_size=20))
def test_the_order_is_total_and_stable(names: list[str]) -> None:
    once = sorted(names, key=name_key)
    assert sorted(reversed(once), key=name_key) == once

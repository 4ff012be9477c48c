"""Text cut into font runs: every character in the font that has its glyph, nothing lost."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.documents.fonts import CJK, SANS, SANS_BOLD, _cmaps, runs

MIXED = st.text(st.one_of(st.characters(), st.sampled_from("Müller 北京木工坊 上海 Ж € \n\t")))


def _cjk_only(char: str) -> bool:
    sans, cjk = _cmaps()
    return ord(char) not in sans and ord(char) in cjk and not char.isspace()


@settings(deadline=None)  # the first example registers the fonts; slow when both cores are busy
@given(MIXED, st.sampled_from([SANS, SANS_BOLD]))
def test_runs_keep_the_text_and_give_each_character_its_font(text, base):
    pieces = runs(text, base)
    assert "".join(piece for _, piece in pieces) == text
    assert all(piece for _, piece in pieces)
    assert all(a[0] != b[0] for a, b in pairwise(pieces))
    for font, piece in pieces:
        assert font in (base, CJK)
        assert all(_cjk_only(char) == (font == CJK) for char in piece)


def test_a_mixed_name_in_three_runs():
    assert runs("北京 Woodworks 上海") == [(CJK, "北京"), (SANS, " Woodworks "), (CJK, "上海")]

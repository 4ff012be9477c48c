"""Which columns give way in a narrow table, and how far."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.ui.column_fit import Want, fit

WANTS = (Want(1, 300, 120), Want(5, 200, 0), Want(0, 150, 150), Want(6, 100, 100))


def test_every_column_whole_when_there_is_room_and_the_rest_to_the_stretching_one():
    assert fit(WANTS, 800, stretch=5) == {1: 300, 5: 250, 0: 150, 6: 100}


def test_the_first_column_gives_way_before_the_second():
    assert fit(WANTS, 650, stretch=5) == {1: 200, 5: 200, 0: 150, 6: 100}
    assert fit(WANTS, 450, stretch=5) == {1: 120, 5: 80, 0: 150, 6: 100}


def test_no_column_goes_below_its_least():
    assert fit(WANTS, 100, stretch=5) == {1: 120, 5: 0, 0: 150, 6: 100}


@st.composite
def wants(draw: st.DrawFn) -> list[Want]:
    count = draw(st.integers(1, 7))
    result = []
    for column in range(count):
        width = draw(st.integers(0, 600))
        result.append(Want(column, width, draw(st.integers(0, width))))
    return result


@given(wants(), st.integers(0, 3000), st.data())
def test_the_columns_fill_the_room_exactly_whenever_their_least_fits(
        columns: list[Want], room: int, data: st.DataObject) -> None:
    stretch = data.draw(st.sampled_from([want.column for want in columns]))
    widths = fit(columns, room, stretch)
    assert all(widths[w.column] >= w.least for w in columns)
    assert all(widths[w.column] <= w.width for w in columns if w.column != stretch)
    least = sum(w.least for w in columns)
    if least <= room:
        assert sum(widths.values()) == room
    else:
        assert widths == {w.column: w.least for w in columns}

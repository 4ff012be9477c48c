"""A table's columns share the page's width: fixed ones as wide as what they hold, the
flexible ones what is left, each after what it holds."""

from __future__ import annotations

import pytest

from desktop_app.documents.grid import Column, Grid

ROWS = [["INV-2026-0024", "25.10.2026", "Иванова Мария Петровна", "По электронной почте"],
        ["INV-2026-0058", "21.11.2026", "Иванова Мария Петровна", "По телефону"]]


@pytest.mark.parametrize("avail", [300.0, 420.0, 600.0])
def test_two_flexible_columns_share_the_width_and_stay_on_the_page(avail):
    grid = Grid([Column("Счёт", flex=True), Column("Дата получения", numeric=True),
                 Column("Кто подтвердил", flex=True), Column("Способ")], ROWS)
    widths = grid.wrap(avail, 800)[0] and grid.widths
    assert widths is not None
    assert sum(widths) == pytest.approx(avail)
    assert widths[2] > widths[0]  # the longer text gets the larger share


def test_one_flexible_column_takes_all_that_is_left():
    grid = Grid([Column("Letter", flex=True), Column("Date", numeric=True)],
                [["Reminder", "2026-11-23"]])
    grid.wrap(400.0, 800)
    assert grid.widths is not None and sum(grid.widths) == pytest.approx(400.0)

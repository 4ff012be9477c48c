"""Reports through the window, from the demo book: the aging chart and table, the cash by
week, DSO, promises, and the CSV files they export."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from PySide6.QtCore import QSize

from desktop_app.services import invoices, promises, reports
from desktop_app.services.invoices import InvoiceQuery
from desktop_app.ui import display
from desktop_app.ui.pages.reports import CHART_CUSTOMERS, ReportsPage
from tests.ui.conftest import TODAY, settle


def test_reports_render_from_the_demo_and_export_csv(qtbot, open_window, tmp_path,
                                                     demo_books):
    books = demo_books
    owing = invoices.list_invoices(books, InvoiceQuery(open_only=True), limit=2)
    promises.add_promise(books, promises.PromiseInput(owing[0].id, TODAY + timedelta(days=3),
                                                      TODAY))
    window = open_window(books)
    window.go("reports")
    page = window.pages["reports"]
    assert isinstance(page, ReportsPage)
    qtbot.waitUntil(lambda: page.data is not None, timeout=30_000)
    settle(window)

    aging = reports.aging(books, TODAY)
    assert aging.rows, "the demo owes something"
    table = page.aging_table
    assert table.rowCount() == len(aging.rows) + 1
    assert table.item(0, 0).text() == aging.rows[0].customer_name
    assert table.item(len(aging.rows), 6).text() == display.money(aging.total, aging.currency)
    assert page.owed.value.text() == display.money(aging.total, aging.currency)
    bars = page.aging_chart.bars
    assert len(bars) == min(len(aging.rows), CHART_CUSTOMERS) + (
        1 if len(aging.rows) > CHART_CUSTOMERS else 0)
    assert bars[0].total_text == display.money(aging.rows[0].total, aging.currency)

    cash = reports.cash_forecast(books, TODAY)
    assert [b.total_text for b in page.cash_chart.bars] == [
        display.money(w.expected, cash.currency) for w in cash.weeks]
    assert sum((w.from_promises for w in cash.weeks), Decimal(0)) > 0
    dso = reports.days_sales_outstanding(books, TODAY)
    assert page.dso.value.text() == f"{display.number(dso.dso)} days"
    assert page.promise_table.rowCount() == 1 and page.promise_table.item(0, 3).text() == "1"

    # The charts draw (a picture with something on it, not a blank).
    picture = page.aging_chart.grab().toImage()
    assert picture.size() != QSize(0, 0)
    assert len({picture.pixel(x, y) for x in range(0, picture.width(), 7)
                for y in range(0, picture.height(), 7)}) > 3

    target = tmp_path / "aging.csv"
    page.save_csv(target, lambda: reports.aging_csv(page.data.aging))
    qtbot.waitUntil(target.exists, timeout=10_000)
    settle(window)
    assert target.read_bytes().decode("utf-8") == reports.aging_csv(aging)
    weeks = tmp_path / "cash.csv"
    page.save_csv(weeks, lambda: reports.rows_csv(page.data.cash.weeks))
    qtbot.waitUntil(weeks.exists, timeout=10_000)
    settle(window)
    assert weeks.read_text(encoding="utf-8").splitlines()[0] == (
        "week_start,expected,from_schedules,from_promises")
    books.close()


def test_reports_of_an_empty_book_say_so(qtbot, window):
    window.go("reports")
    page = window.pages["reports"]
    qtbot.waitUntil(lambda: page.data is not None, timeout=10_000)
    assert page.empty.isVisible() and not page.scroll.isVisible()

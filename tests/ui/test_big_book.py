"""A 100,000-invoice book: the list opens, scrolls and filters correctly (speed is measured
in the benchmarks, not here)."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop_app.services import demo, invoices, payments
from desktop_app.services.books import open_books
from desktop_app.services.invoices import InvoiceQuery
from desktop_app.ui.models.invoice_list import Column
from tests.support.books import fixed_clock
from tests.ui.conftest import TODAY, settle

pytestmark = pytest.mark.slow
INVOICES = 100_000


@pytest.fixture(scope="session")
def big_book(tmp_path_factory) -> Path:
    """Built once per test session through the demo service (about half a minute)."""
    path = tmp_path_factory.mktemp("big-book") / "books.sqlite3"
    books = open_books(path, actor="tester", clock=fixed_clock)
    demo.fill_demo(books, as_of=TODAY, invoices=INVOICES)
    books.close()
    return path


def loaded_rows(page, first: int, count: int) -> list:
    rows = [page.model.row_at(r) for r in range(first, min(first + count,
                                                           page.model.rowCount()))]
    return rows if all(r is not None for r in rows) else []


def test_the_list_opens_scrolls_and_filters(qtbot, open_window, big_book):
    books = open_books(big_book, actor="tester", clock=fixed_clock)
    window = open_window(books)
    window.go("invoices")
    page = window.pages["invoices"]
    qtbot.waitUntil(lambda: page.model.rowCount() == INVOICES, timeout=60_000)
    qtbot.waitUntil(lambda: bool(loaded_rows(page, 0, 20)), timeout=30_000)
    assert page.count.text() == "100,000 invoices"
    first = loaded_rows(page, 0, 50)
    assert [r.issue_date for r in first] == sorted((r.issue_date for r in first),
                                                    reverse=True)

    page.view.scrollToBottom()
    qtbot.waitUntil(lambda: bool(loaded_rows(page, INVOICES - 30, 30)), timeout=30_000)
    assert {r.status for r in loaded_rows(page, INVOICES - 30, 30)} == {"draft"}
    assert page.model.index(INVOICES - 1, Column.NUMBER).data() == "Draft"
    page.view.scrollTo(page.model.index(INVOICES // 2, 0))
    qtbot.waitUntil(lambda: bool(loaded_rows(page, INVOICES // 2, 20)), timeout=30_000)
    assert len(page.model._pages) <= page.model.MAX_PAGES  # memory stays bounded

    page.status.setCurrentIndex(page.status.findData("paid"))
    paid = invoices.count_invoices(books, InvoiceQuery(status="paid"))
    qtbot.waitUntil(lambda: page.model.rowCount() == paid, timeout=30_000)
    qtbot.waitUntil(lambda: bool(loaded_rows(page, 0, 40)), timeout=30_000)
    assert {r.status for r in loaded_rows(page, 0, 40)} == {"paid"}

    qtbot.keyClicks(page.search, "Acme")
    expected = invoices.count_invoices(books, InvoiceQuery(status="paid", search="Acme"))
    assert 0 < expected < paid
    qtbot.waitUntil(lambda: page.model.rowCount() == expected, timeout=30_000)
    qtbot.waitUntil(lambda: bool(loaded_rows(page, 0, 40)), timeout=30_000)
    assert all("Acme" in r.customer_name and r.status == "paid"
               for r in loaded_rows(page, 0, 40))

    page.view.sortByColumn(Column.TOTAL, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: page.model.sort_key == "total" and not page.model.loading
                    and bool(loaded_rows(page, 0, 100)), timeout=30_000)
    totals = [r.total for r in loaded_rows(page, 0, 100)]
    assert totals == sorted(totals)
    assert invoices.invoice_ids(books, InvoiceQuery(status="paid", search="Acme"),
                                sort="total", descending=False)[:100] == page.model.ids[:100]
    settle(window)


def test_the_payments_page_pages_through_the_book(qtbot, open_window, big_book):
    books = open_books(big_book, actor="tester", clock=fixed_clock)
    window = open_window(books)
    window.go("payments")
    page = window.pages["payments"]
    total = payments.count_payments(books)
    qtbot.waitUntil(lambda: page.model.rowCount() == total, timeout=60_000)
    qtbot.waitUntil(lambda: bool(loaded_rows(page, 0, 30)), timeout=30_000)
    newest = loaded_rows(page, 0, 30)
    assert [r.paid_on for r in newest] == sorted((r.paid_on for r in newest), reverse=True)
    page.view.scrollToBottom()
    qtbot.waitUntil(lambda: bool(loaded_rows(page, total - 10, 10)), timeout=30_000)
    assert loaded_rows(page, total - 10, 10)[-1].paid_on <= newest[-1].paid_on

"""Books with open invoices for the statements to pay, built through the services."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.services import customers, invoices
from desktop_app.services.books import Books
from tests.support.books import ISSUE, draft

# Net amounts; with 19 % VAT: 1130.50, 357.00, 119.00, 2380.00
NETS = ("950.00", "300.00", "100.00", "2000.00")
PAID_ON = date(2026, 11, 20)


def issue(books: Books, net: str, customer_id: int = 1, **kw) -> invoices.IssuedView:
    return invoices.issue_invoice(books, draft(books, f"Beratung|1|{net}|19",
                                               customer_id=customer_id, **kw), ISSUE)


@pytest.fixture
def billed(ready: Books) -> Books:
    """Müller (1) owes INV-2026-0001 to -0003; Schmidt (2) owes INV-2026-0004."""
    customers.add_customer(ready, credit_granted=True,
                           name="Schmidt KG", email="buchhaltung@schmidt.example",
                           terms="Net 30", language="de")
    for net, customer in zip(NETS, (1, 1, 1, 2), strict=True):
        issue(ready, net, customer)
    return ready


def reference(books: Books, invoice_id: int) -> str:
    return invoices.show_invoice(books, invoice_id).payment_reference

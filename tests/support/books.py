"""Books for tests, built through the services (never by poking tables)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from desktop_app.services import company, customers, invoices, terms
from desktop_app.services.books import Books

ISSUE = date(2026, 11, 2)


def fixed_clock() -> datetime:
    return datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def fixed_day() -> date:
    """The books' day in tests: the fixed clock's, whatever the calendar says."""
    return date(2026, 11, 22)


def make_ready(books: Books) -> Books:
    """A company, two terms and one customer with an accounts-payable contact."""
    company.set_company(books, name="Lindenhof GmbH", currency="EUR",
                        iban="DE89 3704 0044 0532 0130 00", address="Lindenstr. 1\nBerlin")
    terms.add_terms(books, "Net 30", net_days=30, late_fee="5.00", interest_annual_percent="8")
    terms.add_terms(books, "2/10 net 30", net_days=30, discount_percent="2", discount_days="10")
    customers.add_customer(books, credit_granted=True,
                           name="Müller & <Söhne>", email="ap@mueller.example",
                           terms="Net 30", language="de",
                           contacts=["accounts_payable:Eva:eva@mueller.example"])
    return books


def draft(books: Books, *lines: str, customer_id: int = 1, **kw) -> int:
    return invoices.create_draft(books, invoices.DraftInput(customer_id=customer_id,
                                                            lines=list(lines), **kw)).id

"""The round trip of the books on SQLite and on a real PostgreSQL server."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from desktop_app.domain.errors import NotFound, RuleViolation, ValidationError
from desktop_app.services import company, customers, invoices, payments, promises
from desktop_app.services.books import open_books
from desktop_app.services.invoices import InvoiceQuery
from desktop_app.services.payments import PaymentInput
from desktop_app.services.promises import PromiseInput
from tests.support.books import ISSUE, draft


def test_two_tax_rates_issue_and_partial_payment_are_exact(ready):
    inv_id = draft(ready, "Consulting|10|95.00|19", "Manual|3|24.90|7")
    issued = invoices.issue_invoice(ready, inv_id, ISSUE)
    assert issued.number == "INV-2026-0001"
    assert issued.due_date == date(2026, 12, 2)
    assert issued.total == Decimal("1210.43")  # 950 + 180.50 + 74.70 + 5.23

    result = payments.record_payment(ready, PaymentInput(inv_id, "500.00", date(2026, 11, 10)))
    view = result.invoice
    assert (view.subtotal, view.tax, view.total) == (
        Decimal("1024.70"), Decimal("185.73"), Decimal("1210.43"))
    assert [(t.rate, t.net, t.tax) for t in view.taxes] == [
        (Decimal(7), Decimal("74.70"), Decimal("5.23")),
        (Decimal(19), Decimal("950.00"), Decimal("180.50"))]
    assert (view.paid, view.balance, view.status) == (
        Decimal("500.00"), Decimal("710.43"), "partially_paid")
    assert view.installments[0].status == "partially_paid"
    assert customers.show_customer(ready, 1).balance == Decimal("710.43")


def test_30_30_40_installments_and_oldest_first_allocation(ready):
    inv_id = draft(ready, "Build|1|1000.01", schedule="30/30/40")
    invoices.issue_invoice(ready, inv_id, ISSUE)
    view = payments.record_payment(ready, PaymentInput(inv_id, "450", ISSUE)).invoice
    assert [i.amount for i in view.installments] == [
        Decimal("300.00"), Decimal("300.00"), Decimal("400.01")]
    assert [i.paid for i in view.installments] == [
        Decimal("300.00"), Decimal("150.00"), Decimal("0.00")]
    assert sum(i.amount for i in view.installments) == view.total == Decimal("1000.01")


def test_overpayment_becomes_customer_credit(ready):
    inv_id = draft(ready, "Work|1|100")
    invoices.issue_invoice(ready, inv_id, ISSUE)
    result = payments.record_payment(ready, PaymentInput(inv_id, "120", ISSUE))
    assert result.credit == Decimal("20.00")
    assert result.invoice.status == "paid" and result.invoice.balance == 0
    assert customers.show_customer(ready, 1).credit == Decimal("20.00")


def test_early_discount_settles_the_invoice(ready):
    inv_id = draft(ready, "Work|1|1000", terms="2/10 net 30")
    invoices.issue_invoice(ready, inv_id, ISSUE)
    result = payments.record_payment(ready, PaymentInput(inv_id, "980.00", date(2026, 11, 12)))
    assert result.discount == Decimal("20.00")
    assert result.invoice.status == "paid"
    assert (result.invoice.paid, result.invoice.discount) == (Decimal("980.00"), Decimal("20.00"))


def test_late_discounted_amount_is_only_a_partial_payment(ready):
    inv_id = draft(ready, "Work|1|1000", terms="2/10 net 30")
    invoices.issue_invoice(ready, inv_id, ISSUE)
    result = payments.record_payment(ready, PaymentInput(inv_id, "980.00", date(2026, 11, 13)))
    assert result.discount == 0 and result.invoice.balance == Decimal("20.00")


def test_numbers_are_consecutive_per_year(ready):
    ids = [draft(ready, "Work|1|10") for _ in range(3)]
    ready.today = lambda: date(2027, 1, 2)  # the books' day: a new year has begun
    numbers = [invoices.issue_invoice(ready, i, ISSUE).number for i in ids[:2]]
    numbers.append(invoices.issue_invoice(ready, ids[2], date(2027, 1, 2)).number)
    assert numbers == ["INV-2026-0001", "INV-2026-0002", "INV-2027-0001"]


def test_issue_dates_follow_the_numbers_and_never_lie_ahead(ready):
    """Issue 14: INV-2026-0002 could be dated before INV-2026-0001, and a future date was
    accepted; EU VAT Art. 226 asks for numbers sequential in time."""
    first, second, third = (draft(ready, "Work|1|10") for _ in range(3))
    invoices.issue_invoice(ready, first, ISSUE + timedelta(days=5))
    with pytest.raises(ValidationError, match=r"date: invoice INV-2026-0001 is dated "
                                              r"2026-11-07; .* 2026-11-07 or later"):
        invoices.issue_invoice(ready, second, ISSUE)
    with pytest.raises(ValidationError, match="2026-11-23 is in the future"):
        invoices.issue_invoice(ready, second, date(2026, 11, 23))  # the books' day: 11-22
    assert invoices.show_invoice(ready, second).status == "draft"  # nothing changed
    assert invoices.issue_invoice(ready, second, ISSUE + timedelta(days=5)).number == (
        "INV-2026-0002")
    # A new year's series starts afresh; the old one keeps its order.
    ready.today = lambda: date(2027, 1, 3)
    assert invoices.issue_invoice(ready, third, date(2027, 1, 2)).number == "INV-2027-0001"
    fourth = draft(ready, "Work|1|10")
    with pytest.raises(ValidationError, match="INV-2026-0002 is dated 2026-11-07"):
        invoices.issue_invoice(ready, fourth, ISSUE)
    note = invoices.void_invoice(ready, first, "wrong customer", date(2026, 11, 20))
    with pytest.raises(ValidationError, match="credit note CN-2026-0001 is dated"):
        invoices.void_invoice(ready, second, "wrong customer", date(2026, 11, 19))
    assert note.number == "CN-2026-0001"


def test_failed_issue_uses_no_number(ready):
    empty = draft(ready, "Free sample|1|0")
    with pytest.raises(RuleViolation):
        invoices.issue_invoice(ready, empty, ISSUE)
    ok = draft(ready, "Work|1|10")
    assert invoices.issue_invoice(ready, ok, ISSUE).number == "INV-2026-0001"


def test_refusals_change_nothing(ready):
    inv_id = draft(ready, "Work|1|100")
    invoices.issue_invoice(ready, inv_id, ISSUE)
    with pytest.raises(RuleViolation, match="cannot be issued twice"):
        invoices.issue_invoice(ready, inv_id, ISSUE)
    with pytest.raises(ValidationError) as err:
        payments.record_payment(ready, PaymentInput(inv_id, "-5", ISSUE))
    assert err.value.field == "amount"
    with pytest.raises(NotFound):
        payments.record_payment(ready, PaymentInput(999, "5", ISSUE))
    with pytest.raises(ValidationError) as err:
        customers.add_customer(ready, name="X", email="not-an-email")
    assert err.value.field == "email"
    with pytest.raises(ValidationError) as err:
        customers.add_customer(ready, name="  ")
    assert err.value.field == "name"
    with pytest.raises(NotFound) as err:
        invoices.create_draft(ready, invoices.DraftInput(1, ["a|1|1"], terms="Nope"))
    assert err.value.field == "terms"
    note = invoices.void_invoice(ready, inv_id, "cancelled", ISSUE)
    assert note.number == "CN-2026-0001" and note.amount == Decimal("100.00")
    with pytest.raises(RuleViolation, match="void"):
        payments.record_payment(ready, PaymentInput(inv_id, "5", ISSUE))
    view = invoices.show_invoice(ready, inv_id)
    assert (view.status, view.paid, view.balance) == ("void", 0, 0)
    assert len(customers.list_customers(ready)) == 1


def test_promise_is_stored_and_checked(ready):
    inv_id = draft(ready, "Work|1|100")
    invoices.issue_invoice(ready, inv_id, ISSUE)
    view = promises.add_promise(ready, PromiseInput(inv_id, date(2026, 12, 5), ISSUE,
                                                     amount="60", excuse="cheque_in_mail"))
    assert view.amount == Decimal("60.00")
    with pytest.raises(ValidationError) as err:
        promises.add_promise(ready, PromiseInput(inv_id, date(2026, 12, 5), ISSUE,
                                                 excuse="dog_ate_it"))
    assert err.value.field == "excuse"
    with pytest.raises(ValidationError) as err:
        promises.add_promise(ready, PromiseInput(inv_id, date(2026, 12, 5), ISSUE, amount="101"))
    assert err.value.field == "amount"


def test_list_filters_in_sql(ready):
    a, b, c = (draft(ready, "Work|1|100") for _ in range(3))
    invoices.issue_invoice(ready, a, ISSUE)
    invoices.issue_invoice(ready, b, ISSUE)
    payments.record_payment(ready, PaymentInput(b, "100", ISSUE))
    by_status = {s: [r.id for r in invoices.list_invoices(ready, InvoiceQuery(status=s))]
                 for s in ("draft", "issued", "paid")}
    assert by_status == {"draft": [c], "issued": [a], "paid": [b]}
    overdue = invoices.list_invoices(ready, InvoiceQuery(overdue_on=date(2027, 1, 1)))
    assert [r.id for r in overdue] == [a]
    assert invoices.count_invoices(ready, InvoiceQuery(search="INV-2026-0002")) == 1


def test_an_invoice_of_25_million_pesos_is_kept_exactly(db_url):
    """Beyond 32-bit minor units (21,474,836.47), as pesos and yen reach quickly."""
    books = open_books(db_url, actor="tester")
    try:
        company.set_company(books, name="Bogotá Muebles SAS", currency="COP",
                            account_number="0012-3456-78")
        customers.add_customer(books, credit_granted=True, name="Hotel Andino")
        inv = draft(books, "Muebles|1|25000000.00|19")
        invoices.issue_invoice(books, inv, ISSUE)
        paid = payments.record_payment(books, PaymentInput(inv, "29750000.00", ISSUE))
        assert (paid.invoice.total, paid.invoice.status) == (Decimal("29750000.00"), "paid")
    finally:
        books.close()

"""The queries behind big lists: ids in SQL order, rows by id, payments newest first."""

from datetime import timedelta
from decimal import Decimal

import pytest

from desktop_app.domain.errors import ValidationError
from desktop_app.services import customers, invoices, payments
from desktop_app.services.invoices import InvoiceQuery
from desktop_app.services.payments import PaymentInput, PaymentQuery
from tests.support.books import ISSUE, draft


@pytest.fixture
def listed(ready):
    """Five invoices with totals that sort differently as text and as numbers."""
    acme = customers.add_customer(ready, credit_granted=True, name="Acme Ltd").id
    ids = {}
    for n, (customer, price, days) in enumerate(
            [(1, "9.00", 0), (acme, "100.00", 1), (1, "25.50", 2), (acme, "1000.00", 3)]):
        ids[n] = draft(ready, f"Work|1|{price}", customer_id=customer)
        invoices.issue_invoice(ready, ids[n], ISSUE + timedelta(days=days))
    ids["draft"] = draft(ready, "Later|1|5")
    payments.record_payment(ready, PaymentInput(ids[1], "40.00", ISSUE + timedelta(days=5),
                                                reference="Transfer 77"))
    payments.record_payment(ready, PaymentInput(ids[2], "25.50", ISSUE + timedelta(days=6)))
    payments.record_payment(ready, PaymentInput(ids[3], "1000.00", ISSUE + timedelta(days=3),
                                                method="cheque"))
    return ready, ids, acme


def test_total_sorts_by_amount_not_text(listed):
    books, ids, _ = listed
    got = invoices.invoice_ids(books, sort="total", descending=False)
    assert got == [ids["draft"], ids[0], ids[2], ids[1], ids[3]]
    rows = invoices.invoice_rows(books, got)
    assert [r.total for r in rows] == [Decimal(x) for x in ("5.00", "9.00", "25.50", "100.00",
                                                            "1000.00")]


def test_default_order_is_newest_issue_first_drafts_last(listed):
    books, ids, _ = listed
    assert invoices.invoice_ids(books) == [ids[3], ids[2], ids[1], ids[0], ids["draft"]]
    assert invoices.invoice_ids(books, sort="issue_date", descending=False) == [
        ids[0], ids[1], ids[2], ids[3], ids["draft"]]


def test_balance_and_status_sorts(listed):
    books, ids, _ = listed
    by_balance = invoices.invoice_ids(books, sort="balance", descending=True)
    assert by_balance[:2] == [ids[1], ids[0]]  # 60.00 open, then 9.00
    by_status = invoices.invoice_rows(books, invoices.invoice_ids(books, sort="status",
                                                                  descending=False))
    assert [r.status for r in by_status] == ["draft", "issued", "partially_paid", "paid", "paid"]


def test_filters_combine_in_sql(listed):
    books, ids, acme = listed
    q = InvoiceQuery(customer_id=acme)
    assert set(invoices.invoice_ids(books, q)) == {ids[1], ids[3]}
    assert invoices.invoice_ids(books, InvoiceQuery(search="acme", status="paid")) == [ids[3]]
    assert invoices.invoice_ids(books, InvoiceQuery(search="INV-2026-0001")) == [ids[0]]
    assert set(invoices.invoice_ids(books, InvoiceQuery(open_only=True))) == {ids[0], ids[1]}
    overdue = InvoiceQuery(overdue_on=ISSUE + timedelta(days=31))
    assert invoices.invoice_ids(books, overdue) == [ids[0]]
    assert invoices.count_invoices(books, InvoiceQuery(open_only=True)) == 2


def test_rows_come_in_the_order_asked_and_skip_missing_ids(listed):
    books, ids, _ = listed
    rows = invoices.invoice_rows(books, [ids[2], 999, ids[0]])
    assert [r.id for r in rows] == [ids[2], ids[0]]
    assert rows[0].number == "INV-2026-0003" and rows[0].balance == Decimal("0.00")


def test_rows_for_more_ids_than_one_query_takes(listed):
    books, ids, _ = listed
    many = [ids[0], ids[1]] * 600
    assert len(invoices.invoice_rows(books, many)) == 1200


def test_unknown_sort_is_refused(listed):
    books, _, _ = listed
    with pytest.raises(ValidationError) as refused:
        invoices.invoice_ids(books, sort="colour")
    assert refused.value.field == "sort"
    with pytest.raises(ValidationError):
        payments.payment_ids(books, sort="colour")


def test_payments_newest_first_with_customer_and_invoice(listed):
    books, _, _ = listed
    rows = payments.list_payments(books)
    assert [(r.paid_on, r.amount, r.invoice_number) for r in rows] == [
        (ISSUE + timedelta(days=6), Decimal("25.50"), "INV-2026-0003"),
        (ISSUE + timedelta(days=5), Decimal("40.00"), "INV-2026-0002"),
        (ISSUE + timedelta(days=3), Decimal("1000.00"), "INV-2026-0004"),
    ]
    assert rows[1].customer_name == "Acme Ltd" and rows[1].reference == "Transfer 77"
    assert payments.payment_rows(books, payments.payment_ids(books)) == rows


def test_payment_filters_and_sort(listed):
    books, _, acme = listed
    assert payments.count_payments(books) == 3
    assert [r.amount for r in payments.list_payments(books, PaymentQuery(search="transfer"))] \
        == [Decimal("40.00")]
    acme_rows = payments.payment_rows(
        books, payments.payment_ids(books, PaymentQuery(customer_id=acme), sort="amount"))
    assert [r.amount for r in acme_rows] == [Decimal("1000.00"), Decimal("40.00")]
    assert payments.count_payments(books, PaymentQuery(search="INV-2026-0003")) == 1

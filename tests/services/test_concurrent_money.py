"""Two people recording money on the same invoice at the same moment: nothing is lost."""

import threading
from collections.abc import Callable
from decimal import Decimal

from desktop_app.services import invoices, payments, writeoffs
from desktop_app.services.books import open_books
from tests.support.books import ISSUE, draft, fixed_clock


def all_at_once(*work: Callable[[], object]) -> list[BaseException]:
    """Start every piece of work at the same moment; the errors they raised."""
    start = threading.Barrier(len(work))
    errors: list[BaseException] = []

    def run(piece: Callable[[], object]) -> None:
        start.wait()
        try:
            piece()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(piece,)) for piece in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_payments_and_a_write_off_at_the_same_time_all_count(ready, db_url):
    clerks = [open_books(db_url, actor=f"clerk{n}", clock=fixed_clock) for n in (1, 2)]
    try:
        for _ in range(4):
            inv = draft(ready, "Work|1|100.00|0")
            invoices.issue_invoice(ready, inv, ISSUE)
            errors = all_at_once(
                lambda inv=inv: payments.record_payment(
                    clerks[0], payments.PaymentInput(inv, "30.00", ISSUE)),
                lambda inv=inv: payments.record_payment(
                    clerks[1], payments.PaymentInput(inv, "40.00", ISSUE)),
                lambda inv=inv: writeoffs.write_off(ready, inv, "goodwill", ISSUE, "10.00"))
            assert errors == []
            view = invoices.show_invoice(ready, inv)
            assert (view.paid, view.written_off, view.balance) == (
                Decimal("70.00"), Decimal("10.00"), Decimal("20.00"))
            [installment] = view.installments
            assert installment.paid == Decimal("70.00")
    finally:
        for books in clerks:
            books.close()

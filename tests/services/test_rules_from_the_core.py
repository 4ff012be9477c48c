"""What the faces only show: the services hand over each rule's answer with the data."""

from datetime import timedelta

from desktop_app.domain.invoice_actions import InvoiceAction as A
from desktop_app.services import disputes, invoices, payments
from tests.support.books import ISSUE, draft, fixed_day


def test_rows_and_views_carry_their_actions_and_days_late(ready):
    drafted = draft(ready, "Draft work|1|50.00|19")
    late = draft(ready, "Consulting|10|100.00|19")
    invoices.issue_invoice(ready, late, ISSUE - timedelta(days=40))
    paid = draft(ready, "Paid work|1|100.00|19")
    invoices.issue_invoice(ready, paid, ISSUE)
    payments.record_payment(ready, payments.PaymentInput(invoice_id=paid, amount="119.00",
                                                         paid_on=ISSUE))
    rows = {r.id: r for r in invoices.invoice_rows(ready, [drafted, late, paid])}

    assert A.ISSUE in rows[drafted].actions and A.RECORD_PAYMENT not in rows[drafted].actions
    assert A.RECORD_PAYMENT in rows[late].actions and A.HOLD not in rows[late].actions
    assert A.RECORD_PAYMENT not in rows[paid].actions and A.DOSSIER in rows[paid].actions
    due = ISSUE - timedelta(days=10)  # Net 30
    assert rows[late].days_late == (fixed_day() - due).days == 30
    assert (rows[drafted].days_late, rows[paid].days_late) == (0, 0)
    assert [r.days_late for r in invoices.list_invoices(ready) if r.id == late] == [30]

    assert {A.HOLD, A.PLAN} <= invoices.show_invoice(ready, late).actions
    disputes.hold(ready, late, "Wrong quantity", ISSUE)
    held = invoices.show_invoice(ready, late).actions
    assert A.RELEASE in held and A.HOLD not in held

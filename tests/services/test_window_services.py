"""What the window asks of the services beyond the command line: a customer's own policy in
its view, the payment order as it stands, a task done in one click, a deposit request."""

from datetime import timedelta
from decimal import Decimal

import pytest

from desktop_app.domain.errors import RuleViolation
from desktop_app.services import activity, customers, documents, invoices, mail, payments
from desktop_app.services.followup import calls, policies, today
from desktop_app.services.followup import run as followup
from tests.support.books import ISSUE, draft

DUE = ISSUE + timedelta(days=30)


def test_a_customer_view_names_its_policy_and_whether_it_is_exempt(ready):
    assert (customers.show_customer(ready, 1).policy, customers.show_customer(ready, 1).exempt
            ) == (None, False)
    body = policies.list_policies(ready)[0].body
    policies.save_policy(ready, {**body, "name": "Gentle"})
    policies.set_customer_policy(ready, 1, policy="Gentle", exempt=True)
    view = customers.show_customer(ready, 1)
    assert (view.policy, view.exempt) == ("Gentle", True)
    listed = customers.list_customers(ready, with_contacts=False)[0]
    assert (listed.policy, listed.exempt) == ("Gentle", True)


def test_the_payment_order_reads_back_as_set(ready):
    assert payments.get_payment_order(ready) == "charges_first"
    payments.set_payment_order(ready, "principal_first")
    assert payments.get_payment_order(ready) == "principal_first"


def test_a_handover_task_is_done_in_one_step_and_leaves_today(ready):
    inv = draft(ready, "Consulting|10|100.00|19")
    invoices.issue_invoice(ready, inv, ISSUE)
    followup.run_day(ready, DUE + timedelta(days=5), channels=["letter"])
    day45 = DUE + timedelta(days=45)
    (task,) = [r for r in today.today(ready, day45).calls if r.kind == "task"]
    assert (task.stage, task.invoice_ids, task.task_id) == ("handover", (inv,), None)

    closed = calls.complete_task(ready, inv, day45, note="Passed to the agency")
    assert len(closed) == 1
    after = today.today(ready, day45)
    assert [r for r in after.calls if r.kind == "task"] == []
    assert [r.stage for r in after.letters] == ["handover"]  # the letter still goes out
    assert "Task for invoice INV-2026-0001 done: Passed to the agency" in [
        e.summary for e in activity.timeline(ready, 1)]
    with pytest.raises(RuleViolation, match="no task waiting"):
        calls.complete_task(ready, inv, day45)


def test_a_deposit_request_asks_for_the_first_installment(ready, read_pdf):
    split = draft(ready, "Kitchen cabinets|1|1000.00|0", schedule="30/30/40")
    invoices.issue_invoice(ready, split, ISSUE)
    text = read_pdf(documents.deposit_request_pdf(ready, split, ISSUE)).text
    assert "INV-2026-0001" in text and "300,00" in text and "Kitchen cabinets" in text
    several = draft(ready, "Cabinets|1|800.00|0", "Fitting|1|200.00|0", schedule="30/30/40")
    invoices.issue_invoice(ready, several, ISSUE)
    text = read_pdf(documents.deposit_request_pdf(ready, several, ISSUE)).text
    assert "Rechnung INV-2026-0002" in text and "Cabinets" not in text  # not one line of two

    single = draft(ready, "Work|1|100.00|0")
    invoices.issue_invoice(ready, single, ISSUE)
    with pytest.raises(RuleViolation, match="no open deposit"):
        documents.deposit_request_pdf(ready, single, ISSUE)
    assert invoices.show_invoice(ready, split).balance == Decimal("1000.00")


def test_the_mail_account_and_sent_folder_read_back_as_set(ready, tmp_path):
    assert mail.get_sent_folder(ready) is None
    mail.set_account(ready, host="127.0.0.1", port=2525, security="plain", user="me",
                     from_address="billing@lindenhof.example",
                     ca_file=str(tmp_path / "office-ca.pem"))
    # A form showing the account saves back what it shows: the trusted certificate too.
    assert mail.get_account(ready).ca_file == str(tmp_path / "office-ca.pem")
    mail.set_sent_folder(ready, host="imap.lindenhof.example", folder="Sent")
    found = mail.get_sent_folder(ready)
    assert (found.host, found.port, found.folder, found.user) == (
        "imap.lindenhof.example", 993, "Sent", "me")

"""What the faces only show: the services hand over each rule's answer with the data."""

from datetime import timedelta
from decimal import Decimal

import pytest

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.followup import in_ladder_order
from desktop_app.domain.invoice_actions import InvoiceAction as A
from desktop_app.services import customers, disputes, invoices, payments, policies, terms
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


def test_the_terms_that_apply_are_chosen_then_the_customers_then_the_default(ready):
    terms.add_terms(ready, "Net 14", net_days=14)
    terms.add_terms(ready, "Net 60", net_days=60, make_default=True)
    plain = customers.add_customer(ready, name="No Terms Ltd").id
    by_name = {t.name: t for t in terms.list_terms(ready)}

    def applies(chosen, customers_terms):
        return terms.terms_that_apply(by_name.get, chosen, customers_terms, "Net 60").net_days

    assert applies("Net 14", "Net 30") == 14
    assert applies(None, "Net 30") == 30
    assert applies(None, None) == 60
    assert applies("Gone", None) == 60  # a name no longer in the list
    assert terms.terms_that_apply(by_name.get, None, None, None) == terms.DEFAULT_TERMS

    # The books apply the same order: what the editor previews is what the draft gets.
    for chosen, customer_id, net in (("Net 14", 1, 14), (None, 1, 30), (None, plain, 60)):
        inv = draft(ready, "Work|1|10.00|19", customer_id=customer_id, terms=chosen)
        issued = invoices.issue_invoice(ready, inv, ISSUE)
        assert (issued.due_date - ISSUE).days == net


def test_an_edited_policy_reads_costs_as_amounts_and_is_put_in_order(ready):
    (view,) = policies.policies_for_editing(ready)
    stages = [dict(s) for s in view.body["stages"]]
    call = next(s for s in stages if s["name"] == "call")
    assert "cost_minor" not in call and call["cost"] == Decimal("30.00")  # EUR's hour of calls

    call.update(offset_days=20, cost="31.5")
    saved = policies.save_edited_policy(ready, {"name": view.name, "stages": stages})
    names = [s["name"] for s in saved.body["stages"]]
    assert saved.reordered and names.index("reminder_2") < names.index("call")
    stored = next(s for s in policies.list_policies(ready)[0].body["stages"]
                  if s["name"] == "call")
    assert (stored["offset_days"], stored["cost_minor"]) == (20, 3150)

    again = policies.save_edited_policy(ready, saved.body)
    assert not again.reordered and again.body == saved.body

    call = next(s for s in stages if s["name"] == "call")
    for typed, reason in (("1.234", "more than 2 decimals"), ("-1", "must not be negative"),
                          ("abc", "not a number")):
        call["cost"] = typed
        with pytest.raises(ValidationError, match=reason) as refused:
            policies.save_edited_policy(ready, {"name": view.name, "stages": stages})
        assert refused.value.field == "stage call cost"
    assert next(s for s in policies.list_policies(ready)[0].body["stages"]
                if s["name"] == "call")["cost_minor"] == 3150  # nothing changed


def test_a_ladder_is_ordered_by_its_days_with_the_issue_stage_first():
    stages = [{"name": "b", "offset_days": 10}, {"name": "a", "offset_days": -3},
              {"name": "i", "offset_days": 0, "anchor": "issue"},
              {"name": "c", "offset_days": 10}]
    assert [s["name"] for s in in_ladder_order(stages)] == ["i", "a", "b", "c"]

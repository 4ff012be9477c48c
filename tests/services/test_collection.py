"""Collecting through the services, on SQLite and PostgreSQL: late charges and the order a
payment settles them, write-offs, disputes, payment plans, calls, dossiers and reports."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from desktop_app.documents.dossier import grouped
from desktop_app.documents.pdf import sha256_hex
from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.domain.followup import DEFAULT_POLICY, policy_to_dict
from desktop_app.services import (
    activity,
    customers,
    disputes,
    documents,
    invoices,
    payment_plans,
    payments,
    promises,
    reports,
    terms,
    user_templates,
    writeoffs,
)
from desktop_app.services.customers import show_customer
from desktop_app.services.followup import calls, policies
from desktop_app.services.followup import run as followup
from desktop_app.storage.models import Charge, Installment
from tests.support.books import ISSUE, draft

DUE = ISSUE + timedelta(days=30)


def issued(books, *lines: str, **kw) -> int:
    inv = draft(books, *(lines or ("Consulting|10|100.00|19",)), **kw)
    invoices.issue_invoice(books, inv, ISSUE)
    return inv


def pay(books, inv: int, amount: str, on: date):
    return payments.record_payment(books, payments.PaymentInput(inv, amount, on))


def test_a_payment_settles_fees_then_interest_then_principal(ready):
    inv = issued(ready)
    followup.run_day(ready, DUE + timedelta(days=5), channels=("letter",))
    followup.run_day(ready, DUE + timedelta(days=20), channels=("letter",))
    with ready.db.read() as session:
        charges = {c.kind: c.amount_minor for c in session.scalars(select(Charge))}
    # reminder_2 on day 20 (skipping the call): the 5.00 fee and
    # 1190.00 x 8 % / 365 x 20 days = 5.22 of interest.
    assert charges == {"fee": 500, "interest": 522}
    before = invoices.show_invoice(ready, inv)
    assert (before.balance, before.charges, before.due) == (
        Decimal("1190.00"), Decimal("10.22"), Decimal("1200.22"))
    [row] = invoices.invoice_rows(ready, [inv])
    assert row.due == Decimal("1200.22")  # what the payment form proposes
    result = pay(ready, inv, "100.00", DUE + timedelta(days=21))
    assert result.invoice.charges == Decimal("0.00")
    assert result.charges == Decimal("10.22")
    assert result.invoice.paid == Decimal("89.78")
    assert result.invoice.balance == Decimal("1100.22")


def test_the_business_may_settle_the_debt_first(ready):
    inv = issued(ready)
    followup.run_day(ready, DUE + timedelta(days=5), channels=("letter",))
    followup.run_day(ready, DUE + timedelta(days=20), channels=("letter",))
    payments.set_payment_order(ready, "principal_first")
    result = pay(ready, inv, "1195.00", DUE + timedelta(days=21))
    assert result.invoice.status == "paid" and result.charges == Decimal("5.00")
    with pytest.raises(ValidationError, match="order"):
        payments.set_payment_order(ready, "whatever")


def test_a_write_off_takes_the_item_out_of_every_list_but_the_log(ready):
    inv = issued(ready)
    pay(ready, inv, "190.00", DUE)
    with pytest.raises(ValidationError, match="more than the open"):
        writeoffs.write_off(ready, inv, "Customer insolvent", DUE, "1000.01")
    view = writeoffs.write_off(ready, inv, "Customer insolvent", DUE + timedelta(days=60))
    assert (view.status, view.balance) == ("written_off", Decimal("0.00"))
    assert followup.plan_day(ready, DUE + timedelta(days=90)) == []
    assert reports.aging(ready, DUE + timedelta(days=90)).total == Decimal("0.00")
    listed = invoices.list_invoices(ready, invoices.InvoiceQuery(status="written_off"))
    assert [r.id for r in listed] == [inv]
    log = activity.timeline(ready, 1)
    assert log[0].kind == "write_off" and "Customer insolvent" in log[0].summary
    with pytest.raises(RuleViolation, match="nothing open"):
        writeoffs.write_off(ready, inv, "again", DUE + timedelta(days=61))


def test_a_dispute_holds_one_invoice_until_resolved(ready):
    inv = issued(ready)
    other = issued(ready, "Manual|1|50.00|7")
    disputes.hold(ready, inv, "Delivered the wrong colour", DUE)
    with pytest.raises(RuleViolation, match="already held"):
        disputes.hold(ready, inv, "again", DUE)
    planned = followup.plan_day(ready, DUE + timedelta(days=5))
    assert {a.invoice_id for a in planned} == {other}
    disputes.release(ready, inv, DUE + timedelta(days=9), "Colour replaced")
    planned = followup.plan_day(ready, DUE + timedelta(days=9))
    # Nothing went out yet: each invoice goes with its first reminder; the call of day 8
    # is on the list beside it.
    assert {(a.invoice_id, a.stage, a.with_invoice) for a in planned} == {
        (inv, "reminder_1", True), (other, "reminder_1", True), (inv, "call", False),
        (other, "call", False)}


def test_a_payment_plan_splits_exactly_what_is_open_and_stores_its_agreement(ready, read_pdf):
    inv = issued(ready, "Consulting|10|100.01|19")  # 1190.12
    pay(ready, inv, "100.00", DUE)
    plan = payment_plans.create_plan(ready, inv, "monthly:3", DUE + timedelta(days=20))
    assert [i.amount for i in plan.installments] == [
        Decimal("363.37"), Decimal("363.37"), Decimal("363.38")]
    assert sum(i.amount for i in plan.installments) == Decimal("1090.12")
    view = invoices.show_invoice(ready, inv)
    assert [i.status for i in view.installments][:1] == ["replaced"]
    assert view.balance == Decimal("1090.12") and view.total == Decimal("1190.12")
    with pytest.raises(RuleViolation, match="already has an active payment plan"):
        payment_plans.create_plan(ready, inv, "monthly:2", DUE + timedelta(days=20))
    name, pdf = activity.stored_pdf(ready, plan.agreement_document_id)
    assert name == "payment-plan-INV-2026-0001.pdf"
    text = read_pdf(pdf).text
    # The customer writes German: "instalment agreement", the open amount taken over, the
    # last installment with the remainder, and lines to sign.
    assert "Ratenzahlungsvereinbarung" in text and "1.090,12 €" in text
    assert "363,38 €" in text and "Unterschrift" in text
    # Paying the plan pays the invoice.
    for installment in plan.installments:
        pay(ready, inv, str(installment.amount), installment.due_date)
    assert invoices.show_invoice(ready, inv).status == "paid"


def test_logging_a_call_with_a_promise_is_one_step_and_takes_the_call_off_the_list(ready):
    inv = issued(ready)
    followup.run_day(ready, DUE + timedelta(days=5), channels=("letter",))
    day8 = DUE + timedelta(days=8)
    assert [a.stage for a in followup.plan_day(ready, day8)] == ["call"]
    entry = calls.log_call(ready, calls.CallInput(
        inv, "reached", day8, note="Eva says the cheque is in the mail",
        promise_date=day8 + timedelta(days=4), excuse="cheque_in_mail", promised_by="Eva"))
    assert "reached" in entry.summary and "cheque is in the mail" in entry.summary
    assert calls.open_tasks(ready) == []
    assert followup.plan_day(ready, day8) == []
    # The promise pauses reminders to its date plus two days.
    assert followup.plan_day(ready, day8 + timedelta(days=6)) == []
    with pytest.raises(ValidationError, match="someone who was reached"):
        calls.log_call(ready, calls.CallInput(inv, "no_answer", day8,
                                              promise_date=day8 + timedelta(days=3)))


def test_a_broken_promise_waits_for_a_person_to_look_at_it(ready):
    inv = issued(ready)
    promises.add_promise(ready, promises.PromiseInput(inv, DUE + timedelta(days=3), DUE))
    report = followup.run_day(ready, DUE + timedelta(days=6), channels=("letter",))
    assert len(report.promises_broken) == 1
    assert show_customer(ready, 1).credit_status == "cash_only"
    promises.review_broken_promise(ready, report.promises_broken[0], DUE + timedelta(days=7),
                                   lift_cash_only=True)
    assert show_customer(ready, 1).credit_status == "good"
    still_open = promises.add_promise(ready, promises.PromiseInput(
        inv, DUE + timedelta(days=30), DUE + timedelta(days=8)))
    with pytest.raises(RuleViolation, match="is pending, not broken"):
        promises.review_broken_promise(ready, still_open.id, DUE + timedelta(days=8),
                                       lift_cash_only=False)


def test_the_handover_dossier_holds_every_document_sent_byte_for_byte(ready, read_pdf):
    inv = issued(ready)
    for offset in (5, 14, 30, 45):
        followup.run_day(ready, DUE + timedelta(days=offset), channels=("letter", "task"))
    log = activity.timeline(ready, 1)
    dossier_entry = next(e for e in log if e.kind == "document")
    _, dossier = activity.stored_pdf(ready, dossier_entry.document_id)
    pages = read_pdf(dossier).pages
    cover = pages[0].split()
    letters = [e for e in log if e.kind == "letter"]
    # Four reminders, and the invoice printed with the first (it had never gone out).
    assert len(letters) == 5
    assert "Invoice INV-2026-0001 printed with the reminder" in [e.summary for e in letters]
    for entry in letters:
        _, pdf = activity.stored_pdf(ready, entry.document_id)
        assert all(group in cover for group in grouped(sha256_hex(pdf)).split())
        sent_pages = read_pdf(pdf).pages
        assert any(pages[k:k + len(sent_pages)] == sent_pages for k in range(len(pages)))
    # Then the log and the statement, in the customer's language (German here).
    assert "Kontaktverlauf" in pages[-2] and "Kontoauszug" in pages[-1]
    assert documents.dossier_pdf(ready, inv, DUE + timedelta(days=46)).startswith(b"%PDF")


def test_aging_cash_dso_and_promise_reports(ready):
    a = issued(ready)
    b = issued(ready, "Manual|2|50.00|0")
    as_of = DUE + timedelta(days=40)
    aging = reports.aging(ready, as_of)
    assert aging.rows[0].buckets["31-60"] == Decimal("1290.00")
    assert aging.totals["current"] == Decimal("0.00")
    assert aging.total == Decimal("1290.00")
    promises.add_promise(ready, promises.PromiseInput(b, as_of + timedelta(days=9), as_of,
                                                      amount="60.00"))
    cash = reports.cash_forecast(ready, as_of, weeks=4)
    assert cash.overdue == Decimal("1190.00")
    assert sum(w.from_promises for w in cash.weeks) == Decimal("60.00")
    dso = reports.days_sales_outstanding(ready, ISSUE + timedelta(days=10), days=30)
    assert dso.dso == Decimal("30.0")  # nothing paid yet: all of a month's sales are open
    pay(ready, a, "1190.00", as_of)
    record = reports.promises_by_customer(ready)
    assert (record[0].open, record[0].kept, record[0].broken) == (1, 0, 0)
    assert "31-60" in reports.aging_csv(aging).splitlines()[0]


def test_templates_are_checked_on_save_and_used_by_the_letters(ready, read_pdf):
    with pytest.raises(ValidationError, match=r"unknown placeholder \{amount_due\}"):
        user_templates.save_template(ready, "letter", "reminder_1", "de",
                                "Erinnerung\n\nBitte zahlen Sie {amount_due}.")
    with pytest.raises(ValidationError, match=r"unknown placeholder \{total\}"):
        user_templates.save_template(ready, "mail", "reminder_1", "de",
                                "Erinnerung {invoice_numbers}\n\nOffen: {total}")
    saved = user_templates.save_template(
        ready, "letter", "reminder_1", "de",
        "Kleine Erinnerung: {invoice_numbers}\n\nBitte überweisen Sie {total_due}.\n\n"
        "Mit freundlichen Grüßen\n{company_name}")
    assert saved.customised
    inv = issued(ready)
    followup.run_day(ready, DUE + timedelta(days=5), channels=("letter",))
    letter = next(e for e in activity.timeline(ready, 1) if e.kind == "letter"
                  and not e.summary.startswith("Invoice"))
    text = read_pdf(activity.stored_pdf(ready, letter.document_id)[1]).text
    assert "Kleine Erinnerung: INV-2026-0001" in text
    assert user_templates.reset_template(ready, "letter", "reminder_1", "de").customised is False
    assert inv


def test_a_customer_can_follow_its_own_policy_or_none(ready):
    gentle = policy_to_dict(DEFAULT_POLICY)
    gentle["name"] = "Gentle"
    gentle["stages"] = [s for s in gentle["stages"] if s["name"] in ("invoice", "reminder_1")]
    policies.save_policy(ready, gentle)
    inv = issued(ready)
    policies.set_customer_policy(ready, 1, policy="Gentle")
    assert [a.stage for a in followup.plan_day(ready, DUE + timedelta(days=30))] == [
        "reminder_1"]
    policies.set_customer_policy(ready, 1, policy=None, exempt=True)
    assert followup.plan_day(ready, DUE + timedelta(days=30)) == []
    bad = dict(gentle, stages=[dict(gentle["stages"][1], template="reminder_9")])
    with pytest.raises(ValidationError, match="reminder_9"):
        policies.save_policy(ready, bad)
    with ready.db.read() as session:
        assert session.scalars(select(Installment.id)).all() and inv


def test_the_customers_log_holds_issue_payment_and_credit_note_with_their_documents(ready):
    inv = issued(ready)
    pay(ready, inv, "190.00", DUE)
    invoices.void_invoice(ready, inv, "Order cancelled", DUE + timedelta(days=1))
    log = activity.timeline(ready, 1)
    assert [e.kind for e in log] == ["credit", "payment", "document"]
    issued_entry = log[-1]
    name, pdf = activity.stored_pdf(ready, issued_entry.document_id)
    assert name == "INV-2026-0001.pdf" and pdf.startswith(b"%PDF")
    assert "1190.00 EUR" in issued_entry.summary
    assert "190.00 EUR received (bank transfer)" in log[1].summary
    assert "CN-2026-0001" in log[0].summary and "1000.00 EUR" in log[0].summary


def test_a_template_is_previewed_in_the_letterhead_before_it_is_saved(ready, read_pdf):
    text = ("Erinnerung: {invoice_numbers}\n\nBitte zahlen Sie {total_due} bis bald.\n\n"
            "Grüße\n{company_name}")
    preview = user_templates.preview_template(ready, "letter", "reminder_1", "de", text)
    assert preview.subject == "Erinnerung: 2025-0042, 2025-0051"
    assert "Lindenhof GmbH" in read_pdf(preview.pdf).text
    mail = user_templates.preview_template(ready, "mail", "reminder_1", "en",
                                      "Reminder {invoice_numbers}\n\nOpen: {total_open}")
    assert mail.subject == "Reminder 2025-0042, 2025-0051"
    assert "Open: €" in mail.body
    with pytest.raises(ValidationError, match=r"\{oops\}"):
        user_templates.preview_template(ready, "mail", "due", "en", "Hi\n\n{oops}")
    assert user_templates.get_template(ready, "letter", "reminder_1", "de").customised is False


def test_no_new_invoice_on_credit_for_a_customer_on_cash_only(ready):
    terms.add_terms(ready, "Due now", net_days=0)
    customers.set_credit_status(ready, 1, "cash_only")
    on_credit = draft(ready, "Work|1|100.00|19")
    with pytest.raises(RuleViolation, match="on cash only"):
        invoices.issue_invoice(ready, on_credit, ISSUE)
    assert invoices.show_invoice(ready, on_credit).status == "draft"  # nothing changed
    cash = draft(ready, "Work|1|100.00|19", terms="Due now")
    assert invoices.issue_invoice(ready, cash, ISSUE).number == "INV-2026-0001"


def test_voiding_credits_only_what_is_still_open(ready):
    inv = issued(ready, "Work|1|100.00|0")
    writeoffs.write_off(ready, inv, "goodwill", DUE, "30.00")
    note = invoices.void_invoice(ready, inv, "Order cancelled", DUE)
    assert note.amount == Decimal("70.00")
    gone = issued(ready, "Work|1|100.00|0")
    writeoffs.write_off(ready, gone, "insolvent", DUE)
    with pytest.raises(RuleViolation, match="nothing open left to void"):
        invoices.void_invoice(ready, gone, "again", DUE)


def test_a_promise_on_an_invoice_paid_early_is_kept_and_leaves_every_list(ready):
    inv = issued(ready, "Work|1|100.00|0")
    promises.add_promise(ready, promises.PromiseInput(inv, DUE + timedelta(days=20), DUE))
    older = issued(ready, "Work|1|50.00|0")
    promises.add_promise(ready, promises.PromiseInput(older, DUE + timedelta(days=9), DUE))
    promises.add_promise(ready, promises.PromiseInput(older, DUE + timedelta(days=15), DUE))
    pay(ready, inv, "100.00", DUE + timedelta(days=15))
    as_of = DUE + timedelta(days=18)
    # Only the promise on the invoice still open is expected cash.
    cash = reports.cash_forecast(ready, as_of, weeks=2)
    assert sum(w.from_promises for w in cash.weeks) == Decimal("50.00")
    report = followup.run_day(ready, as_of, channels=["letter"])
    assert len(report.promises_kept) == 1
    record = reports.promises_by_customer(ready)[0]
    # The later promise on `older` passed unpaid (broken); the earlier one it replaced
    # counts neither way.
    assert (record.kept, record.broken, record.open) == (1, 1, 0)


def test_a_call_task_leaves_the_list_when_the_invoice_is_paid(ready):
    inv = issued(ready, "Work|1|100.00|0")
    followup.run_day(ready, DUE + timedelta(days=5), channels=["letter"])
    followup.run_day(ready, DUE + timedelta(days=8), channels=["call"])
    assert [t.invoice_id for t in calls.open_tasks(ready)] == [inv]
    pay(ready, inv, "100.00", DUE + timedelta(days=9))
    assert calls.open_tasks(ready) == []


def test_a_stage_already_carried_out_cannot_be_renamed_into_being_done_again(ready):
    issued(ready)
    followup.run_day(ready, DUE + timedelta(days=5), channels=["letter"])
    renamed = policy_to_dict(DEFAULT_POLICY)
    for stage in renamed["stages"]:
        if stage["name"] == "reminder_1":
            stage["name"], stage["template"] = "first_reminder", "reminder_1"
    with pytest.raises(ValidationError, match="stage reminder_1: was carried out 1 time"):
        policies.save_policy(ready, renamed)
    renamed["name"] = "Another"
    assert policies.save_policy(ready, renamed).name == "Another"  # a new policy may


def test_no_early_discount_on_a_partly_written_off_invoice_and_the_sums_agree(ready):
    inv = issued(ready, "Work|1|100.00|0", terms="2/10 net 30")
    writeoffs.write_off(ready, inv, "damaged goods", ISSUE, "5.00")
    result = pay(ready, inv, "98.00", ISSUE + timedelta(days=5))
    assert (result.discount, result.credit) == (Decimal("0.00"), Decimal("3.00"))
    view = result.invoice
    assert view.paid == sum(i.paid for i in view.installments) == Decimal("95.00")
    assert view.balance == Decimal("0.00")


def test_a_written_off_installment_says_so_and_a_long_reference_is_refused(ready):
    inv = issued(ready, "Work|1|100.00|0")
    with pytest.raises(ValidationError, match="reference: is longer than 200"):
        payments.record_payment(ready, payments.PaymentInput(inv, "10.00", DUE,
                                                             reference="x" * 201))
    view = writeoffs.write_off(ready, inv, "insolvent", DUE)
    assert [i.status for i in view.installments] == ["written_off"]


# As people look names up (collation.name_key): "ä" files as "a", "É" as "e".
NAMES = ("Zeta", "Éclair", "Bäckerei", "Blue Harbor Café", "Dach")  # the order they are added
IN_ORDER = ["Bäckerei", "Blue Harbor Café", "Dach", "Éclair", "Zeta"]


@pytest.fixture
def owing_alike(ready):
    """The five customers above, each owing one invoice issued on one day and promised."""
    for name in NAMES:
        customer = customers.add_customer(ready, name=name, credit_granted=True).id
        inv = issued(ready, customer_id=customer)
        promises.add_promise(ready, promises.PromiseInput(inv, DUE + timedelta(days=9), DUE))
    return ready


def _ours(names) -> list[str]:
    return [n for n in names if n in NAMES]


def test_aging_lists_customers_owing_alike_as_people_look_names_up(owing_alike):
    """Owing the same, the rows go by name as the customer list has them."""
    aging = reports.aging(owing_alike, DUE + timedelta(days=5))
    assert _ours(r.customer_name for r in aging.rows) == IN_ORDER
    top, _rest = reports.largest_debtors(aging, 3)
    assert [r.customer_name for r in top] == IN_ORDER[:3]
    assert _ours(line.split(",")[0] for line in reports.aging_csv(aging).splitlines()) == (
        IN_ORDER)


def test_promise_records_list_customers_alike_as_people_look_names_up(owing_alike):
    records = reports.promises_by_customer(owing_alike)
    assert _ours(r.customer_name for r in records) == IN_ORDER

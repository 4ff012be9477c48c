"""Issue 14 through the services, on SQLite and PostgreSQL: money and follow-up right in the
order a real office enters things (payments typed days late, runs skipped, several invoices
in one letter, no mail account yet)."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from desktop_app.domain.errors import RuleViolation
from desktop_app.messages import Field, english
from desktop_app.services import (
    activity,
    customers,
    decisions,
    invoices,
    mail,
    payment_plans,
    payments,
    terms,
    writeoffs,
)
from desktop_app.services.customers import show_customer
from desktop_app.services.followup import run as followup
from desktop_app.storage.models import Charge, PaymentPlanRow, Setting
from tests.support.books import ISSUE, draft

DUE = ISSUE + timedelta(days=30)


def day(n: int) -> date:
    return DUE + timedelta(days=n)


def issued(books, *lines: str, **kw) -> int:
    inv = draft(books, *(lines or ("Consulting|10|100.00|19",)), **kw)
    invoices.issue_invoice(books, inv, ISSUE)
    return inv


def pay(books, inv: int, amount: str, on: date):
    return payments.record_payment(books, payments.PaymentInput(inv, amount, on))


def charges(books) -> list[tuple[str, str, int, int]]:
    with books.db.read() as session:
        return [(c.kind, c.stage, c.claimed_minor, c.amount_minor)
                for c in session.scalars(select(Charge).order_by(Charge.id))]


def log(books, customer_id: int = 1) -> list[str]:
    return [e.summary for e in activity.timeline(books, customer_id)]


def test_a_back_dated_payment_reverses_the_charges_it_made_moot(ready):
    """Issue 14: a payment dated the 10th typed in on the 20th, after a second reminder had
    charged a fee and interest, was taken first by those charges; 8.45 stayed open and the
    customer got a final notice, a CC to the CFO and a hold, for an invoice paid in time."""
    inv = issued(ready)
    followup.run_day(ready, day(5), channels=["letter"])
    followup.run_day(ready, day(14), channels=["letter"])
    assert [(k, s, c) for k, s, c, _ in charges(ready)] == [
        ("fee", "reminder_2", 5_00), ("interest", "reminder_2", 3_65)]
    result = pay(ready, inv, "1190.00", day(8))
    assert (result.charges, result.credit) == (Decimal("0.00"), Decimal("0.00"))
    view = result.invoice
    assert (view.status, view.balance, view.charges, view.due) == (
        "paid", Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))
    assert [a for _, _, _, a in charges(ready)] == [0, 0]
    reversed_lines = [s for s in log(ready) if "reversed: it would not have arisen" in s]
    assert len(reversed_lines) == 2 and "dated 2026-12-10" in reversed_lines[0]
    # Nothing escalates: no final notice, no hold.
    assert followup.run_day(ready, day(30)).actions == ()
    assert show_customer(ready, 1).credit_status == "good"


def test_a_back_dated_part_payment_lowers_the_interest_to_each_days_balance(ready):
    inv = issued(ready)
    followup.run_day(ready, day(5), channels=["letter"])
    followup.run_day(ready, day(14), channels=["letter"])
    pay(ready, inv, "595.00", day(7))
    # Claimed on 1190.00 for 14 days (3.65); in truth 1190.00 for days 1-6 and 595.00 for
    # days 7-14 at 8 % a year: 1.5649 + 1.0433 = 2.61.
    assert charges(ready) == [("fee", "reminder_2", 5_00, 5_00),
                              ("interest", "reminder_2", 3_65, 2_61)]
    assert any("reduced to 2.61 EUR, recomputed on each day's balance" in s for s in log(ready))
    # The money went to the debt: the charges came after it.
    view = invoices.show_invoice(ready, inv)
    assert (view.balance, view.charges) == (Decimal("595.00"), Decimal("7.61"))


def test_interest_accrues_on_each_days_balance(ready):
    """Issue 14: 300 open for 3 days then 200 for 11 days gave 0.69, not 0.76 (at 9 %)."""
    terms.add_terms(ready, "Nine", net_days=30, interest_annual_percent="9")
    inv = issued(ready, "Work|1|300.00|0", terms="Nine")
    pay(ready, inv, "100.00", day(4))  # from day 4 on, 200.00 is open
    followup.run_day(ready, day(5), channels=["letter"])
    report = followup.run_day(ready, day(14), channels=["letter"])
    (action,) = report.actions
    assert (action.stage, action.interest) == ("reminder_2", Decimal("0.76"))


def test_paying_more_than_the_discounted_total_in_the_window_keeps_the_discount(ready):
    """Issue 14: 1170.00 on 1190.00 under 2/10 net 30 left 20.00 owed instead of settling
    with 3.80 credit."""
    inv = issued(ready, terms="2/10 net 30")
    result = pay(ready, inv, "1170.00", ISSUE + timedelta(days=8))
    assert (result.invoice.status, result.discount, result.credit) == (
        "paid", Decimal("23.80"), Decimal("3.80"))
    assert show_customer(ready, 1).credit == Decimal("3.80")


def test_a_write_off_takes_the_fees_and_interest_with_the_debt(ready):
    """Issue 14: a write-off left the charges open on the written-off invoice."""
    inv = issued(ready)
    followup.run_day(ready, day(5), channels=["letter"])
    followup.run_day(ready, day(14), channels=["letter"])
    view = writeoffs.write_off(ready, inv, "Customer insolvent", day(60))
    assert (view.status, view.balance, view.charges, view.due) == (
        "written_off", Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))
    assert "Written off 1198.65 EUR: Customer insolvent" in log(ready)


@pytest.mark.parametrize(("rule", "fees"), [
    ("per_reminder", [5_00]), ("per_invoice", [5_00, 5_00, 5_00]),
    ("once_per_invoice", [5_00, 5_00, 5_00])])
def test_a_combined_reminder_charges_the_fee_as_the_terms_state_it(ready, read_pdf, rule, fees):
    """Issue 14: a reminder naming three invoices charged 15.00 while the terms printed
    "5.00 per reminder"."""
    terms.add_terms(ready, "Fee", net_days=30, late_fee="5.00", fee_rule=rule)
    for amount in ("100.00", "200.00", "300.00"):
        issued(ready, f"Work|1|{amount}|0", terms="Fee")
    followup.run_day(ready, day(5), channels=["letter"])
    report = followup.run_day(ready, day(14), channels=["letter"])
    assert len(report.actions) == 3
    assert [a for k, _, _, a in charges(ready) if k == "fee"] + [0] * (3 - len(fees)) == \
        fees + [0] * (3 - len(fees))
    assert sum(a.fee for a in report.actions) == Decimal(sum(fees)) / 100
    letter = next(e for e in activity.timeline(ready, 1) if e.kind == "letter")
    text = read_pdf(activity.stored_pdf(ready, letter.document_id)[1]).text
    sentence = {"per_reminder": "je Mahnung", "per_invoice": "für jede in einer Mahnung",
                "once_per_invoice": "einmalig 5,00"}[rule]
    assert sentence in text  # the letter says why it charges what it charges
    # The invoice states the same rule.
    assert sentence in read_pdf(activity.stored_pdf(
        ready, next(e for e in activity.timeline(ready, 1)
                    if e.kind == "document").document_id)[1]).text
    final = followup.run_day(ready, day(30), channels=["letter"])
    again = sum(a.fee for a in final.actions)
    assert again == (Decimal("0.00") if rule == "once_per_invoice" else Decimal(sum(fees)) / 100)


def test_without_a_mail_account_the_letters_go_now_and_the_emails_once_it_is_set_up(ready,
                                                                                    tmp_path):
    """Issue 14: with no mail account no letter was printed either."""
    for n in range(3):
        customers.add_customer(ready, credit_granted=True,
                               name=f"Shop {n}", email=f"shop{n}@example.com",
                               address=f"{n} Street\nTown")
        issued(ready, customer_id=n + 2)
    report = followup.run_day(ready, day(5), letters_path=tmp_path / "letters.pdf")
    # Three first reminders, each with the invoice that never went out in its envelope.
    assert report.letters == 3 and (tmp_path / "letters.pdf").stat().st_size > 0
    assert report.emails_queued == () and report.waiting[0].startswith("3 email(s) wait")
    assert followup.run_day(ready, day(5)).letters == 0  # each letter once
    mail.set_account(ready, host="127.0.0.1", port=2525, security="plain", user="me",
                     from_address="billing@lindenhof.example")
    later = followup.run_day(ready, day(6))
    assert (len(later.emails_queued), later.letters) == (3, 0)
    assert {a.stage for a in later.actions} == {"reminder_1"}
    assert followup.run_day(ready, day(6)).actions == ()


def test_a_pending_email_is_dropped_once_a_later_stage_has_gone_out(ready):
    issued(ready)
    followup.run_day(ready, day(5), channels=["letter"])  # the first reminder's email waits
    assert [a.channels for a in followup.plan_day(ready, day(6))] == [("email",)]
    followup.run_day(ready, day(14), channels=["letter"])
    # Only letters were run: the call of day 8 was never made and stays on the list.
    assert [(a.stage, a.channels) for a in followup.plan_day(ready, day(15))] == [
        ("reminder_2", ("email",)), ("call", ("call",))]


def test_one_customers_failure_stops_nobody_elses(ready):
    ivan = customers.add_customer(ready, credit_granted=True,
                                  name="Иван", address="ул. Ленина 1\nМосква",
                                  language="ru").id
    issued(ready)
    issued(ready, customer_id=ivan)
    with ready.db.write() as session:  # a template kept from an older version, say
        session.add(Setting(key="letter:reminder_1:ru",
                            value=json.dumps("Напоминание\n\nОплатите {amount_owed}.")))
    report = followup.run_day(ready, day(5), channels=["letter"])
    assert {a.customer_id for a in report.actions} == {1}
    assert report.letters == 1  # Müller's reminder, the invoice sent with it enclosed
    assert report.failed == ("Иван: nothing was done today, because template: unknown "
                             "placeholder {amount_owed}",)
    # The same for the window, as a message it says in its language, the field named.
    (said,) = report.failed_said
    assert said.message == "{customer}: nothing was done today, because {why}"
    assert said.values["customer"] == "Иван" and said.values["why"].values["field"] == \
        Field("template")
    assert english(said) == report.failed[0]
    assert [a.customer_id for a in followup.plan_day(ready, day(5), channels=["letter"])] == [
        ivan]


def test_a_customer_on_hold_is_back_to_good_once_paid_up_and_the_user_decides_otherwise(
        ready):
    """Issue 14: a customer stayed on hold after paying everything."""
    inv = issued(ready)
    for offset in (5, 14, 30):
        followup.run_day(ready, day(offset), channels=["letter"])
    assert show_customer(ready, 1).credit_status == "hold"
    assert show_customer(ready, 1).credit_lifts == "paid_up"
    pay(ready, inv, "1000.00", day(31))
    assert show_customer(ready, 1).credit_status == "hold"  # still overdue
    due = invoices.show_invoice(ready, inv).due
    pay(ready, inv, str(due), day(32))
    assert show_customer(ready, 1).credit_status == "good"
    assert "Back to good standing: nothing is overdue any more (was hold)" in log(ready)
    customers.set_credit_status(ready, 1, "cash_only", note="slow payer")
    assert "Credit status set to cash only (was good standing): slow payer" in log(ready)
    assert customers.set_credit_release(ready, cash_only="paid_up")["cash_only"] == "paid_up"


def test_a_payment_plan_takes_the_charges_over_and_is_kept_once_paid(ready):
    """Issue 14: charges due before the plan were left out of it and never collected; the
    plan stayed active after it was paid; agreed_on held the start date."""
    inv = issued(ready)
    followup.run_day(ready, day(5), channels=["letter"])
    followup.run_day(ready, day(14), channels=["letter"])
    ready.today = lambda: day(16)  # the day the customer agrees
    plan = payment_plans.create_plan(ready, inv, "monthly:2", day(25))
    assert plan.agreed_on == day(16)
    # 1190.00 and the 8.65 of fee and interest, the charges on the last installment.
    assert [i.amount for i in plan.installments] == [Decimal("595.00"), Decimal("603.65")]
    assert plan.total == Decimal("1198.65")
    for installment in plan.installments:
        pay(ready, inv, str(installment.amount), installment.due_date)
    view = invoices.show_invoice(ready, inv)
    assert (view.status, view.due, view.plan) == ("paid", Decimal("0.00"), "kept")
    with ready.db.read() as session:
        assert session.scalars(select(PaymentPlanRow.status)).one() == "kept"


def test_after_a_plan_breaks_its_later_parts_get_no_friendly_notes(ready):
    mail.set_account(ready, host="127.0.0.1", port=2525, security="plain", user="me",
                     from_address="billing@lindenhof.example")
    inv = issued(ready)
    followup.run_day(ready, day(5))
    ready.today = lambda: day(10)
    payment_plans.create_plan(ready, inv, "monthly:3", day(15))
    seen = []
    current = day(10)
    while current <= day(90):
        seen += [(a.installment, a.stage, (current - a.due_date).days)
                 for a in followup.run_day(ready, current).actions]
        current += timedelta(days=1)
    # Nothing paid: the first installment is missed (5 days' grace), the plan breaks.
    broke = next(n for n, (inst, stage, _) in enumerate(seen)
                 if inst == "Plan 1 of 3" and stage not in ("upcoming", "due"))
    later = [(inst, stage) for inst, stage, _ in seen[broke:]]
    assert not [x for x in later if x[1] in ("upcoming", "due")]


def test_a_void_invoices_installments_read_void_and_a_subject_names_each_invoice_once(ready):
    """Issue 14: a void invoice's installment still read 'partially_paid'; a combined
    email's subject repeated a number."""
    split = issued(ready, "Build|1|1000.00|0", schedule="50/50", every=10)
    pay(ready, split, "100.00", ISSUE)
    invoices.void_invoice(ready, split, "cancelled", ISSUE + timedelta(days=1))
    assert [i.status for i in invoices.show_invoice(ready, split).installments] == [
        "void", "void"]
    mail.set_account(ready, host="127.0.0.1", port=2525, security="plain", user="me",
                     from_address="billing@lindenhof.example")
    both = issued(ready, "Build|1|1000.00|0", schedule="50/50", every=1)
    followup.run_day(ready, ISSUE)
    email = followup.preview_batch(ready, ISSUE + timedelta(days=7), customer_id=1,
                                   channel="email")
    numbers = invoices.show_invoice(ready, both).number
    assert email.subject.count(numbers) == 1


def test_a_step_that_costs_more_than_it_brings_waits_for_a_decision(ready):
    """Issue 14: every default step cost nothing, and with costs set the run still sent,
    charged and held."""
    small = issued(ready, "Stamps|1|1.00|0")
    followup.run_day(ready, day(5), channels=["letter"])  # the first reminder: 1.50 > 1.00
    planned = followup.plan_day(ready, day(5))
    assert [(a.stage, a.suggest_write_off) for a in planned] == [("reminder_1", True)]
    report = followup.run_day(ready, day(5))
    assert report.actions == () and "wait for your decision" in report.waiting[0]
    approved = decisions.approve_step(ready, small, day(5))
    assert [a.stage for a in approved] == ["reminder_1"]
    assert [a.stage for a in followup.run_day(ready, day(5), channels=["letter"]).actions] == [
        "reminder_1"]
    with pytest.raises(RuleViolation, match="waits for a decision"):
        decisions.approve_step(ready, small, day(5))


def test_interest_goes_on_accruing_after_the_hand_over_and_is_shown(ready):
    """Issue 14: interest stopped silently at the hand-over; it is the creditor's claim."""
    inv = issued(ready)
    for offset in (5, 14, 30, 45):
        followup.run_day(ready, day(offset), channels=["letter", "task"])
    charged = sum(a for k, _, _, a in charges(ready) if k == "interest")
    # 1190.00 x 8 % / 365 x 45 days = 11.74, charged by the reminders up to the hand-over.
    assert charged == 11_74
    ready.today = lambda: day(75)
    view = invoices.show_invoice(ready, inv)
    # ... and 30 days more since: 7.82, owed and shown, not yet booked.
    assert (view.charges, view.interest_accrued) == (Decimal("21.74"), Decimal("7.82"))
    pay(ready, inv, "500.00", day(60))
    # Paid down on day 60 (the charges first): 1190.00 for days 1-59, 711.74 for days
    # 60-75: 15.39 + 2.50 = 17.88 in all, 11.74 of it charged.
    assert invoices.show_invoice(ready, inv).interest_accrued == Decimal("6.14")


def test_a_message_thanks_only_for_a_reminder_the_customer_received(ready, read_pdf):
    """The optional parts of the letters and emails (issue 15) follow what the customer
    actually received (issue 14): after a first reminder by email and letter the second one
    names its day; where the first step was a call, the first written reminder thanks for
    none."""
    from desktop_app.domain.followup import policy_to_dict, standard_policy
    from desktop_app.services.followup import policies

    mail.set_account(ready, host="127.0.0.1", port=2525, security="plain", user="me",
                     from_address="billing@lindenhof.example")
    issued(ready)
    body = policy_to_dict(standard_policy("EUR"))
    body["name"] = "Call first"
    for stage in body["stages"]:
        if stage["name"] == "reminder_1":
            stage["channels"], stage["attach"] = ["call"], []
    policies.save_policy(ready, body)
    shop = customers.add_customer(ready, credit_granted=True,
                                  name="Corner Shop", email="shop@example.com",
                                  address="1 High St\nLeeds", language="en").id
    policies.set_customer_policy(ready, shop, policy="Call first")
    issued(ready, customer_id=shop)
    followup.run_day(ready, day(5))

    reminded = followup.preview_batch(ready, day(14), customer_id=1, channel="email")
    assert "trotz unserer Erinnerung vom 7. Dezember 2026 ist der folgende Betrag" in \
        reminded.body
    letter = read_pdf(followup.preview_batch(ready, day(14), customer_id=1,
                                             channel="letter").letter).text
    assert "trotz unserer Zahlungserinnerung vom 07.12.2026" in " ".join(letter.split())

    called = followup.preview_batch(ready, day(14), customer_id=shop, channel="email")
    assert "Despite" not in called.body and "\nThe following remains unpaid:" in called.body
    letter = " ".join(read_pdf(followup.preview_batch(
        ready, day(14), customer_id=shop, channel="letter").letter).text.split())
    assert "Despite" not in letter and "Invoice INV-2026-0002, due on" in letter


def test_a_first_reminder_encloses_an_invoice_never_sent_as_issued_and_others_as_copies(
        ready, read_pdf, tmp_path):
    """The first delivery of an invoice is the original (a copy mark would not do for the
    customer's books); an invoice that went out before comes again as a marked copy."""
    never = issued(ready)
    followup.run_day(ready, day(5), channels=["letter"], letters_path=tmp_path / "a.pdf")
    pages = read_pdf((tmp_path / "a.pdf").read_bytes()).pages
    assert len(pages) == 2 and "KOPIE" not in pages[1]
    assert invoices.show_invoice(ready, never).number in pages[1]

    sent = issued(ready)
    mail.set_account(ready, host="127.0.0.1", port=2525, security="plain", user="me",
                     from_address="billing@lindenhof.example")
    followup.run_day(ready, ISSUE)  # the invoice goes by email
    followup.run_day(ready, day(5), channels=["letter"], letters_path=tmp_path / "b.pdf")
    pages = read_pdf((tmp_path / "b.pdf").read_bytes()).pages
    assert len(pages) == 2 and "KOPIE" in pages[1]
    assert invoices.show_invoice(ready, sent).number in pages[1]

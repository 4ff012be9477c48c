"""Today groups the day's work, and each row's one click carries out just that row."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from desktop_app.domain.errors import ValidationError
from desktop_app.services import (
    activity,
    credit_applications,
    customers,
    invoices,
    mail,
    promises,
)
from desktop_app.services.followup import calls, today
from desktop_app.services.followup import run as followup
from desktop_app.storage.models import Customer
from tests.support.books import ISSUE, draft

DUE = ISSUE + timedelta(days=30)


def issue(books, customer_id: int = 1, line: str = "Consulting|10|100.00|19") -> int:
    inv = draft(books, line, customer_id=customer_id)
    invoices.issue_invoice(books, inv, ISSUE)
    return inv


def test_today_groups_the_work_and_one_click_does_one_row(ready):
    mail.set_account(ready, host="127.0.0.1", port=2525, security="plain", user="me",
                     from_address="billing@lindenhof.example")
    first = issue(ready)
    second = issue(ready, line="Manual|1|50.00|7")
    customers.add_customer(ready, credit_granted=True,
                           name="Phone only Ltd", address="1 Road\nTown")
    called = issue(ready, customer_id=2)
    promised = issue(ready)
    day5 = DUE + timedelta(days=5)
    promises.add_promise(ready, promises.PromiseInput(promised, day5 + timedelta(days=2),
                                                      DUE + timedelta(days=1)))
    followup.run_day(ready, DUE + timedelta(days=3))  # upcoming/due went out earlier
    view = today.today(ready, day5)
    # Müller's two invoices go in one email and one letter; the promised one waits.
    (email,) = view.emails
    assert (email.customer_name, email.stage, set(email.invoice_ids)) == (
        "Müller & <Söhne>", "reminder_1", {first, second})
    assert email.amount == Decimal("1243.50") and email.detail == "ap@mueller.example"
    (letter,) = [row for row in view.letters if row.customer_id == 1]
    assert set(letter.invoice_ids) == {first, second}
    # No email address: the reminder is a letter only.
    assert [r.invoice_ids for r in view.letters if r.customer_id == 2] == [(called,)]
    assert [(p.invoice_ids, p.days_late) for p in view.promises] == [((promised,), -2)]

    # Send the email row only: the letter for the same stage stays on the list.
    followup.run_day(ready, day5, channels=[email.channel],
                     installment_ids=email.installment_ids)
    after = today.today(ready, day5)
    assert after.emails == () and len(after.letters) == 2
    followup.run_day(ready, day5, customer_id=2)  # the phone-only customer's letter

    # Three days on, the call is due for the phone-only customer; logging it clears it.
    day8 = DUE + timedelta(days=8)
    (call,) = [r for r in today.today(ready, day8).calls if r.customer_id == 2]
    calls.log_call(ready, calls.CallInput(called, "no_answer", day8, note="voicemail"))
    assert [r for r in today.today(ready, day8).calls if r.customer_id == 2] == []
    assert call.stage == "call"


def test_a_broken_promise_waits_for_a_decision(ready):
    inv = issue(ready)
    promises.add_promise(ready, promises.PromiseInput(inv, DUE + timedelta(days=2), DUE))
    followup.run_day(ready, DUE + timedelta(days=6), channels=["letter"])
    (decision,) = today.today(ready, DUE + timedelta(days=6)).decisions
    assert decision.kind == "broken_promise" and "cash only" in decision.detail
    promises.review_broken_promise(ready, decision.promise_id, DUE + timedelta(days=6),
                                   lift_cash_only=False)
    assert today.today(ready, DUE + timedelta(days=6)).decisions == ()


def test_a_row_can_be_seen_as_it_would_go_out_and_nothing_is_kept(ready, read_pdf):
    mail.set_account(ready, host="127.0.0.1", port=2525, security="plain", user="me",
                     from_address="billing@lindenhof.example")
    inv = issue(ready)
    followup.run_day(ready, DUE + timedelta(days=5))  # the first reminder, with the invoice
    logged = activity.timeline(ready, 1)
    day14 = DUE + timedelta(days=14)
    email = followup.preview_batch(ready, day14, customer_id=1, channel="email")
    assert email.to == ("ap@mueller.example",)
    assert email.cc == ("eva@mueller.example",)  # accounts payable, copied at reminder 2
    assert "INV-2026-0001" in email.subject and "INV-2026-0001" in email.body
    [(name, pdf)] = email.attachments
    assert name == "reminder_2-INV-2026-0001.pdf"
    assert "Mahnung: Rechnung INV-2026-0001" in read_pdf(pdf).text
    letter = followup.preview_batch(ready, day14, customer_id=1, channel="letter")
    assert read_pdf(letter.letter).text == read_pdf(pdf).text
    # Nothing was recorded: the plan is unchanged and the log is empty of letters.
    assert [a.stage for a in followup.plan_day(ready, day14)] == ["reminder_2", "call"]
    assert activity.timeline(ready, 1) == logged
    assert inv


def test_a_bad_address_on_file_holds_up_only_that_customer_and_is_named(ready):
    mail.set_account(ready, host="127.0.0.1", port=2525, security="plain", user="me",
                     from_address="billing@lindenhof.example")
    with pytest.raises(ValidationError, match=r"'josé@exemple\.fr' is not an email address"):
        customers.add_customer(ready, credit_granted=True, name="José", email="josé@exemple.fr")
    jose = customers.add_customer(ready, credit_granted=True,
                                  name="José", address="1 Rue\nParis").id
    with ready.db.write() as session:  # an address saved by an older version, say
        session.get(Customer, jose).email = "josé@exemple.fr"
    issue(ready)
    issue(ready, customer_id=jose)
    report = followup.run_day(ready, DUE + timedelta(days=5))
    emailed = {a.customer_id for a in report.actions if "email" in a.channels}
    assert emailed == {1}
    assert [w for w in report.waiting if "José" in w] == [
        "José: no mail can go to josé@exemple.fr; correct the address in the customer's "
        "details"]
    lettered = {a.customer_id for a in report.actions if "letter" in a.channels}
    assert jose in lettered  # the reminder still goes, by post


def test_the_users_own_sales_rep_is_never_the_one_reminded(ready):
    rep_only = customers.add_customer(ready, credit_granted=True,
                                      name="Rep Only Ltd", address="2 Road\nTown",
                                      contacts=["sales_rep:Sam:sam@lindenhof.example"]).id
    issue(ready, customer_id=rep_only)
    planned = followup.plan_day(ready, DUE + timedelta(days=5))
    assert [(a.stage, a.channels, a.recipients) for a in planned
            if a.customer_id == rep_only] == [("reminder_1", ("letter",), ())]


def test_without_a_mail_account_an_invoice_long_late_still_asks_for_a_call(ready):
    """Issue 18: 25 days late with nothing done and no mail account, Today showed the email
    and the letter but no call: the ladder held the call back behind the first written
    reminder, which could not go by email."""
    inv = issue(ready)
    day25 = DUE + timedelta(days=25)
    view = today.today(ready, day25)
    assert [(r.kind, r.stage) for r in view.calls] == [("call", "call")]
    assert [r.stage for r in view.letters] == ["reminder_1"]
    # The call logged first: the letter still goes as the first reminder, with the invoice,
    # and the call is not asked for again.
    calls.log_call(ready, calls.CallInput(inv, "no_answer", day25))
    view = today.today(ready, day25)
    assert view.calls == () and [r.stage for r in view.letters] == ["reminder_1"]
    report = followup.run_day(ready, day25, channels=["letter"])
    assert report.print_job
    later = today.today(ready, day25 + timedelta(days=1))
    assert later.calls == () and later.letters == ()


# As people look names up (collation.name_key): "ä" files as "a", "É" as "e".
NAMES = ("Zeta", "Éclair", "Bäckerei", "Blue Harbor Café", "Dach")  # the order they are added
IN_ORDER = ["Bäckerei", "Blue Harbor Café", "Dach", "Éclair", "Zeta"]


def _ours(rows) -> list[str]:
    return [r.customer_name for r in rows if r.customer_name in NAMES]


@pytest.fixture
def equally_late(ready):
    """The five customers above, each with one invoice issued on one day, reachable by email
    and by letter; the reminders before the first went out."""
    mail.set_account(ready, host="127.0.0.1", port=2525, security="plain", user="me",
                     from_address="billing@lindenhof.example")
    for name in NAMES:
        customer = customers.add_customer(ready, name=name, email="ap@example.com",
                                          address="1 Road\nTown", credit_granted=True).id
        issue(ready, customer_id=customer)
    followup.run_day(ready, DUE + timedelta(days=3))
    return ready


def test_todays_emails_and_letters_list_customers_as_people_look_names_up(equally_late):
    """Equally late, the rows go by name as the customer list has them."""
    view = today.today(equally_late, DUE + timedelta(days=5))
    assert _ours(view.emails) == _ours(view.letters) == IN_ORDER


def test_todays_calls_list_customers_as_people_look_names_up(equally_late):
    followup.run_day(equally_late, DUE + timedelta(days=5))  # the first reminder
    calls_due = today.today(equally_late, DUE + timedelta(days=8)).calls
    assert _ours(r for r in calls_due if r.stage == "call") == IN_ORDER
    assert [a.customer_name for a in followup.plan_day(equally_late, DUE + timedelta(days=8))
            if a.customer_name in NAMES] == IN_ORDER


def test_credit_reviews_on_today_list_customers_as_people_look_names_up(ready):
    for name in NAMES:
        customer = customers.add_customer(ready, name=name, terms="Net 30").id
        credit_applications.apply(ready, customer)
        credit_applications.decide(ready, customer, limit="1000", terms="Net 30")
    view = today.today(ready, date(2027, 11, 22))  # a year on, all five on one day
    assert _ours(r for r in view.calls if r.kind == "credit_review") == IN_ORDER

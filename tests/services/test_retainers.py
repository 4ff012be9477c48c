"""Retainers through the services, on SQLite and PostgreSQL: issued once per period, caught
up in order, priced from a day, paused and ended."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from desktop_app import messages
from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.services import customers, invoices, mail, outbox, retainers
from desktop_app.services.books import Books
from desktop_app.services.followup.plan import plan_day

START = date(2026, 1, 1)


def on(books: Books, day: date) -> retainers.RetainerRun:
    books.today = lambda: day
    return retainers.issue_due(books, day)


def add(books: Books, **kw) -> retainers.RetainerView:
    books.today = lambda: START
    given = {"customer_id": 1, "lines": ["Monthly support|1|500.00|19"], "start": START,
             **kw}
    return retainers.add_retainer(books, retainers.RetainerInput(**given))


def test_one_invoice_per_period_whatever_the_runs(ready):
    retainer = add(ready, day=3, count=3)
    assert [p.period_start for p in retainer.coming] == [START, date(2026, 2, 1),
                                                         date(2026, 3, 1)]
    assert retainer.coming[0].total == Decimal("595.00")
    assert on(ready, date(2026, 1, 2)).issued == ()
    first = on(ready, date(2026, 1, 3))
    (issued,) = first.issued
    assert (issued.period_start, issued.period_end, issued.total) == (
        START, date(2026, 1, 31), Decimal("595.00"))
    assert on(ready, date(2026, 1, 3)).issued == ()  # a second run the same day: nothing
    shown = invoices.show_invoice(ready, issued.invoice_id)
    assert (shown.issue_date, shown.status) == (date(2026, 1, 3), "issued")
    for day in (date(2026, 2, 3), date(2026, 3, 3), date(2026, 4, 3), date(2026, 5, 3)):
        on(ready, day)
    view = retainers.show_retainer(ready, retainer.id)
    assert [p.period_start for p in view.invoiced] == [START, date(2026, 2, 1),
                                                       date(2026, 3, 1)]
    assert view.status == "ended" and view.coming == () and view.allowed_actions == ()


def test_periods_missed_while_off_are_caught_up_in_order_each_with_its_period(ready):
    add(ready)
    run = on(ready, date(2026, 3, 10))
    assert [(i.period_start, i.period_end) for i in run.issued] == [
        (START, date(2026, 1, 31)), (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2026, 3, 31))]
    numbers = [invoices.show_invoice(ready, i.invoice_id).number for i in run.issued]
    assert numbers == sorted(numbers)
    for item in run.issued:
        shown = invoices.show_invoice(ready, item.invoice_id)
        assert shown.issue_date == date(2026, 3, 10)  # dated the day it is made
        assert (shown.period_start, shown.period_end) == (item.period_start, item.period_end)


def test_a_price_change_applies_from_its_day_and_issued_invoices_keep_theirs(ready):
    retainer = add(ready)
    on(ready, date(2026, 1, 1))
    ready.today = lambda: date(2026, 1, 15)
    with pytest.raises(ValidationError) as refused:
        retainers.set_price(ready, retainer.id, ["Monthly support|1|600.00|19"], START)
    assert refused.value.field == "from"
    retainers.set_price(ready, retainer.id, ["Monthly support|1|600.00|19"],
                        date(2026, 2, 15))  # February has begun by then: keeps its price
    feb = on(ready, date(2026, 2, 1)).issued[0]
    mar = on(ready, date(2026, 3, 1)).issued[0]
    assert (feb.total, mar.total) == (Decimal("595.00"), Decimal("714.00"))


def test_a_pause_skips_its_periods_for_good_and_ending_stops_the_rest(ready):
    retainer = add(ready)
    on(ready, START)
    ready.today = lambda: date(2026, 1, 20)
    paused = retainers.pause_retainer(ready, retainer.id, date(2026, 1, 20))
    assert paused.status == "paused" and paused.coming == ()
    with pytest.raises(RuleViolation):
        retainers.pause_retainer(ready, retainer.id, date(2026, 1, 21))
    assert on(ready, date(2026, 2, 1)).issued == ()
    ready.today = lambda: date(2026, 2, 10)
    resumed = retainers.resume_retainer(ready, retainer.id, date(2026, 2, 10))
    assert [p.period_start for p in resumed.coming][:1] == [date(2026, 3, 1)]
    assert [i.period_start for i in on(ready, date(2026, 3, 2)).issued] == [date(2026, 3, 1)]
    ready.today = lambda: date(2026, 3, 5)
    with pytest.raises(ValidationError):
        retainers.end_retainer(ready, retainer.id, date(2026, 2, 27))  # March is invoiced
    ended = retainers.end_retainer(ready, retainer.id, date(2026, 3, 5))
    assert ended.status == "ended"
    assert on(ready, date(2026, 6, 1)).issued == ()
    with pytest.raises(RuleViolation):
        retainers.resume_retainer(ready, retainer.id, date(2026, 6, 1))


def test_a_refused_period_is_reported_and_later_ones_wait_for_it(ready):
    add(ready)
    customers.set_credit_status(ready, 1, "hold", "unpaid since autumn")
    run = on(ready, date(2026, 2, 2))
    assert run.issued == () and len(run.failed) == 1
    assert "2026-01-01" in run.failed[0]
    customers.set_credit_status(ready, 1, "good")
    assert [i.period_start for i in on(ready, date(2026, 2, 3)).issued] == [
        START, date(2026, 2, 1)]


def test_by_mail_the_invoice_is_queued_at_once_and_for_today_it_waits_there(ready):
    mail.set_account(ready, host="127.0.0.1", port=2525, security="plain", user="me",
                     from_address="billing@lindenhof.example")
    customers.add_customer(ready, credit_granted=True,
                           name="Ostwind KG", email="ap@ostwind.example",
                           terms="Net 30", language="en")
    add(ready)
    add(ready, customer_id=2, deliver="today")
    run = on(ready, START)
    assert len(run.issued) == 2 and len(run.emails_queued) == 1
    (queued,) = outbox.list_outbox(ready)
    assert queued.customer_id == 1 and "ap@mueller.example" in queued.recipients
    waiting = plan_day(ready, START)
    assert [(a.customer_name, a.stage) for a in waiting] == [("Ostwind KG", "invoice")]


@pytest.mark.parametrize(("kw", "field"), [
    ({"every": "week"}, "every"), ({"day": 0}, "day"), ({"deliver": "fax"}, "deliver"),
    ({"lines": ["Support|one|500"]}, "line 1"), ({"terms": "Net 99"}, "terms"),
    ({"customer_id": 99}, "customer")])
def test_a_retainer_that_cannot_be_is_refused_and_nothing_is_kept(ready, kw, field):
    with pytest.raises(ValidationError) as refused:
        add(ready, **kw)
    assert refused.value.field.startswith(field)
    assert retainers.list_retainers(ready) == []


def test_no_retainers_no_company_no_trouble(books):
    assert on(books, START).issued == ()


def test_the_customer_sees_what_is_coming(ready):
    add(ready, every="quarter", day=10)
    add(ready, lines=["Hosting|1|20.00|19"], every="year")
    ready.today = lambda: START + timedelta(days=1)
    listed = retainers.list_retainers(ready, customer_id=1)
    assert [(r.every, r.coming[0].issue_on) for r in listed] == [
        ("quarter", date(2026, 1, 10)), ("year", START + timedelta(days=1))]


def test_a_refused_period_is_said_as_a_message_with_its_values(ready):
    add(ready)
    customers.set_credit_status(ready, 1, "hold", "unpaid since autumn")
    run = on(ready, date(2026, 2, 2))
    assert run.failed == (
        "Müller & <Söhne>: the retainer invoice for the period from 2026-01-01 was not "
        "issued, because Müller & <Söhne> is on hold: issue this invoice due on receipt, or "
        "change the customer's credit status first",)
    (said,) = run.failed_said
    assert said is not None and messages.english(said) == run.failed[0]
    assert said.values["day"] == START  # a day the window writes as its locale does
    why = said.values["why"]
    assert isinstance(why, messages.Said) and why.values == {"customer": "Müller & <Söhne>"}

"""The big-book plan reads in full only what may be due: its quick tests in SQL never pass
over an installment that the full reading would plan."""

from datetime import date, timedelta

from sqlalchemy import select

from desktop_app.domain.followup import DEFAULT_POLICY, plan_for, policy_to_dict
from desktop_app.services import promises
from desktop_app.services.demo import fill_demo
from desktop_app.services.followup import policies
from desktop_app.services.followup import run as followup
from desktop_app.services.followup.state import load
from desktop_app.storage.models import Invoice

START = date(2026, 3, 2)


def _read_both_ways(books, day):
    with books.db.read() as session:
        quick, full = load(session, day), load(session, day, quick=False)
    assert quick.by_id == full.by_id, day
    assert quick.info == full.info
    in_order = {item.installment_id: k for k, item in enumerate(quick.items)}
    assert plan_for(quick.items, quick.policies, day) == plan_for(
        sorted(full.items, key=lambda i: in_order[i.installment_id]), full.policies, day)
    return quick


def test_quick_reading_plans_exactly_what_the_full_reading_plans(books):
    fill_demo(books, as_of=START, invoices=240)
    # A customer on a shorter policy of its own, a promise, stages done on some channels.
    short = policy_to_dict(DEFAULT_POLICY)
    policies.save_policy(books, {**short, "name": "Short", "stages": short["stages"][:5]})
    policies.set_customer_policy(books, 2, policy="Short")
    with books.db.read() as session:
        promised = session.scalars(select(Invoice.id).where(
            Invoice.state == "issued", Invoice.customer_id == 3)).first()
    promises.add_promise(books, promises.PromiseInput(
        invoice_id=promised, promised_for=START + timedelta(days=5), made_on=START))
    planned = 0
    for step in range(0, 120, 4):
        day = START + timedelta(days=step)
        planned += len(_read_both_ways(books, day).items)
        if step % 12 == 0:  # calls and one customer's letters go out, emails wait
            followup.run_day(books, day, channels=("call", "task"))
            followup.run_day(books, day, customer_id=1, channels=("letter",))
    assert planned > 100  # the days looked at had real work on them

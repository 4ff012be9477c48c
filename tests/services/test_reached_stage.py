"""The stage reached, kept on each installment, always equals the stage derived from its
follow-up records, whatever happens to the books in whatever order: the day's runs (whole,
per channel, per customer), payments on time and back-dated (which reverse a stage's
charges), write-offs, voids, payment plans and a new default ladder."""

import random
from collections import defaultdict
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from desktop_app.domain.errors import PaidUpError
from desktop_app.domain.followup import DEFAULT_POLICY, policy_to_dict
from desktop_app.services import invoices, payment_plans, payments, writeoffs
from desktop_app.services.demo import fill_demo
from desktop_app.services.followup import policies
from desktop_app.services.followup import run as followup
from desktop_app.services.followup.policy_choice import default_policy
from desktop_app.services.followup.reached_stage import reached_stage
from desktop_app.storage.tables import OPEN_INSTALLMENT, followup_records, installments
from desktop_app.storage.tables import invoices as invoice_table
from tests.support.books import fixed_day

START = fixed_day()  # the books' day: a plan is agreed on it
KINDS = ("run", "run", "run", "pay", "back-dated", "write-off", "void", "plan", "ladder")


def _stored_and_derived(books) -> tuple[dict[int, str | None], dict[int, str | None]]:
    with books.db.read_rows() as conn:
        policy = default_policy(conn)
        stages: dict[int, list[str]] = defaultdict(list)
        for installment_id, stage in conn.execute(
                select(followup_records.c.installment_id, followup_records.c.stage)):
            stages[installment_id].append(stage)
        stored = {i: s for i, s in conn.execute(
            select(installments.c.id, installments.c.reached_stage))}
    return stored, {i: reached_stage(policy, stages.get(i, ())) for i in stored}


def _open_invoices(books) -> list[int]:
    with books.db.read_rows() as conn:
        return sorted(set(conn.execute(
            select(invoice_table.c.id).select_from(installments)
            .join(invoice_table, invoice_table.c.id == installments.c.invoice_id)
            .where(OPEN_INSTALLMENT)).scalars()))


def _event(books, rnd: random.Random, kind: str, day: date) -> str:
    """One thing a user does to the books on ``day``; what it was, for the failure."""
    open_ = _open_invoices(books)
    invoice = rnd.choice(open_) if open_ else None
    try:
        if kind == "run":
            channels = rnd.choice((None, ("letter",), ("email", "call", "task")))
            followup.run_day(books, day, channels=channels)
        elif kind in ("pay", "back-dated") and invoice:
            on = day - timedelta(days=rnd.randint(3, 20)) if kind == "back-dated" else day
            payments.record_payment(books, payments.PaymentInput(invoice, "10.00", on))
        elif kind == "write-off" and invoice:
            writeoffs.write_off(books, invoice, "uncollectable", day)
        elif kind == "void" and invoice:
            invoices.void_invoice(books, invoice, "ordered in error", day)
        elif kind == "plan" and invoice:
            payment_plans.create_plan(books, invoice, "monthly:3", day)
        elif kind == "ladder":
            stages = policy_to_dict(DEFAULT_POLICY)["stages"]
            body = policy_to_dict(DEFAULT_POLICY)
            cut = rnd.randint(4, len(stages))
            policies.save_policy(books, {**body, "name": f"Ladder {day}",
                                         "stages": stages[:cut]}, make_default=True)
    except PaidUpError as refused:  # a refusal changes nothing; the books say why
        return f"{kind} {invoice} refused: {refused}"
    return f"{kind} {invoice}"


@pytest.mark.parametrize("seed", [1, 2])
def test_the_stored_stage_is_always_the_one_the_records_say(books, seed):
    fill_demo(books, as_of=START, invoices=120)
    stored, derived = _stored_and_derived(books)
    assert stored == derived
    assert sum(s is not None for s in stored.values()) > 20  # the demo has history
    rnd = random.Random(seed)
    kinds = [*KINDS, *KINDS]
    rnd.shuffle(kinds)
    day = START
    events = []
    for kind in kinds:
        day += timedelta(days=rnd.randint(1, 9))
        events.append(_event(books, rnd, kind, day))
        stored, derived = _stored_and_derived(books)
        assert stored == derived, events
    assert sum("refused" not in e for e in events) >= len(events) - 4

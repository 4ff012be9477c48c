"""The day's plan: what is due on a day, nothing done. Reading only, and light to import
(no PDF or mail machinery, no ORM), so ``paidup-cli followup plan`` and the Today page start
fast; ``followup.run`` carries the plan out."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from desktop_app.domain.collation import name_key
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.followup import CHANNELS, Action, claim_fees, plan_for
from desktop_app.domain.money import from_minor
from desktop_app.messages import N_
from desktop_app.services.books import Books
from desktop_app.services.followup.state import BookState, load


@dataclass(frozen=True)
class PlannedAction:
    """One row of the day's plan: who, which invoice and installment, which stage, how."""

    invoice_id: int
    number: str
    customer_id: int
    customer_name: str
    installment_id: int
    installment: str
    stage: str
    channels: tuple[str, ...]
    due_date: date
    days_late: int
    currency: str
    amount_due: Decimal
    fee: Decimal
    interest: Decimal
    recipients: tuple[str, ...]
    cc: tuple[str, ...]
    skipped: tuple[str, ...]
    suggest_write_off: bool  # costs more than it can bring: waits for a decision
    with_invoice: bool = False  # the invoice never went out: it goes with this reminder


def planned_view(state: BookState, action: Action) -> PlannedAction:
    info = state.info[action.installment_id]
    customer = state.customers[action.customer_id]
    stage = state.policies[action.customer_id].stage(action.stage)
    emails = "email" in action.channels
    to = customer.emails(stage.to_roles) if emails else ()
    cc = tuple(e for e in customer.emails(stage.cc_roles) if e not in to) \
        if emails and stage.cc_roles else ()
    cur = info.currency
    return PlannedAction(
        invoice_id=action.invoice_id, number=info.number, customer_id=action.customer_id,
        customer_name=customer.name, installment_id=action.installment_id,
        installment=info.label, stage=action.stage, channels=action.channels,
        due_date=action.due_date, days_late=action.days_late, currency=cur,
        amount_due=from_minor(action.open_minor, cur), fee=from_minor(action.fee_minor, cur),
        interest=from_minor(action.interest_minor, cur), recipients=to, cc=cc,
        skipped=action.skipped, suggest_write_off=action.suggest_write_off,
        with_invoice=action.with_invoice,
    )


def select_actions(actions: list[Action], channels: Collection[str] | None,
            installment_ids: Collection[int] | None) -> list[Action]:
    chosen = []
    for action in actions:
        if installment_ids is not None and action.installment_id not in installment_ids:
            continue
        narrowed = action.only(channels) if channels is not None else action
        if narrowed is not None:
            chosen.append(narrowed)
    return chosen


def check_channels(channels: Collection[str] | None) -> None:
    for channel in channels or ():
        if channel not in CHANNELS:
            raise ValidationError("channel", N_("'{channel}' is not one of {channels}"),
                                  channel=channel, channels=", ".join(CHANNELS))


def plan_day(books: Books, as_of: date, *, customer_id: int | None = None,
             channels: Collection[str] | None = None) -> list[PlannedAction]:
    """What is due on ``as_of``; nothing is recorded."""
    check_channels(channels)
    with books.db.read_rows() as conn:
        state = load(conn, as_of, customer_id)
    actions = select_actions(plan_for(state.items, state.policies, as_of), channels, None)
    # Who carries each reminder's fee, among what would go out together.
    going = claim_fees([a for a in actions if not a.suggest_write_off], state.by_id,
                       state.policies)
    actions = going + [a for a in actions if a.suggest_write_off]
    # By customer as people look names up (collation.name_key), as the customer list.
    return sorted((planned_view(state, a) for a in actions),
                  key=lambda a: (name_key(a.customer_name), a.due_date, a.number,
                                 a.installment_id))

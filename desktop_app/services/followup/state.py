"""The books as the follow-up ladder sees them: every open installment's state, built with a
handful of set-based queries (never one query per invoice), so a 100,000-invoice book plans
in a fraction of a second.

The queries read the tables as plain rows (SQLAlchemy Core): no ORM objects are built, and
``paidup-cli followup plan`` never loads the ORM. ``load`` takes a plain connection or a
session; a session first flushes what it holds, so a run sees what it has just recorded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Connection,
    Row,
    String,
    and_,
    case,
    cast,
    func,
    or_,
    select,
    true,
    type_coerce,
)
from sqlalchemy.sql.elements import ColumnElement

from desktop_app.domain.addresses import check_address
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.followup import (
    CHANNELS,
    PROMISE_GRACE_DAYS,
    DayCutoffs,
    ItemState,
    Policy,
    may_act,
    plan_missed_on,
    promise_broken_on,
    promise_outcome,
)
from desktop_app.domain.late_payment import LateCharges
from desktop_app.services.base_rates import base_rates, invoice_late_charges
from desktop_app.services.followup.policy_choice import default_policy, policies_for
from desktop_app.storage.tables import (
    CHARGE_OPEN_MINOR,
    INSTALLMENT_OPEN_MINOR,
    OPEN_INSTALLMENT,
    allocations,
    charges,
    contacts,
    customers,
    followup_approvals,
    followup_records,
    installments,
    invoice_holds,
    invoice_receipts,
    invoices,
    payment_plans,
    payments,
    promises,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

INST, INV, REC = installments.c, invoices.c, followup_records.c
CHUNK = 500  # ids per IN (...): below every database's limit on bound parameters


@dataclass(frozen=True)
class InstallmentInfo:
    """What a person reads about an item beside its ladder state."""

    invoice_id: int
    number: str
    label: str
    position: int
    currency: str
    customer_id: int
    late_law: str = ""  # the law of statutory terms (flat sum and interest): "§ 288 BGB"


@cache
def usable_address(address: str) -> bool:
    try:
        check_address("email", address)
    except ValidationError:
        return False
    return bool(address)


@dataclass(frozen=True)
class ContactPoint:
    role: str
    name: str
    email: str
    phone: str


@dataclass(frozen=True)
class CustomerInfo:
    id: int
    name: str
    email: str
    phone: str
    language: str
    address: str
    credit_status: str
    contacts: tuple[ContactPoint, ...]
    read_receipt: bool | None = None  # None: as the mail account says

    def emails(self, roles: tuple[str, ...]) -> tuple[str, ...]:
        """Usable addresses for these roles; without any, the billing address (DOMAIN:
        billing is the main contact), then the customer's own address, then any of the
        customer's people (never the user's own sales rep)."""
        for chosen in (roles, ("billing",)):
            found = tuple(dict.fromkeys(c.email for c in self.contacts
                                        if c.role in chosen and usable_address(c.email)))
            if found:
                return found
        if usable_address(self.email):
            return (self.email,)
        return tuple(dict.fromkeys(c.email for c in self.contacts
                                   if c.role != "sales_rep" and usable_address(c.email)))

    def unusable(self) -> tuple[str, ...]:
        """Addresses on file that no mail can go to: the user should correct them."""
        return tuple(a for a in (self.email, *(c.email for c in self.contacts))
                     if a and not usable_address(a))

    def contact(self, roles: tuple[str, ...]) -> ContactPoint | None:
        for chosen in (roles, ("billing",)):
            found = [c for c in self.contacts if c.role in chosen and (c.phone or c.name)]
            if found:
                return found[0]
        return None


@dataclass(frozen=True)
class PromiseState:
    id: int
    invoice_id: int
    installment_id: int | None
    customer_id: int
    promised_for: date
    amount_minor: int | None
    outcome: str  # open, kept, broken (as of the day asked, stored or not yet)
    stored_status: str
    broken_on: date | None


@dataclass(frozen=True)
class PlanState:
    id: int
    invoice_id: int
    customer_id: int
    stored_status: str
    missed_on: date | None


@dataclass
class BookState:
    items: list[ItemState] = field(default_factory=list)
    info: dict[int, InstallmentInfo] = field(default_factory=dict)
    customers: dict[int, CustomerInfo] = field(default_factory=dict)
    policies: dict[int, Policy] = field(default_factory=dict)
    promises: list[PromiseState] = field(default_factory=list)
    plans: list[PlanState] = field(default_factory=list)

    @cached_property
    def by_id(self) -> dict[int, ItemState]:
        """Items by installment id (asked for once loading is complete)."""
        return {item.installment_id: item for item in self.items}


# Each installment's ladder history in one string, "stage:outcome:day:channels;..." (read
# from a covering index), so a big book needs one row per open installment, not per record.
HISTORY = (
    select(func.aggregate_strings(
        REC.stage + ":" + REC.outcome + ":" + cast(REC.recorded_on, String) + ":"
        + REC.channels, ";"))
    .where(REC.installment_id == INST.id)
    .scalar_subquery()
)


# The position of the invoice's first open installment (of its own schedule, not a plan's),
# read over all of them: the quick tests below leave some out of the rows.
_SIBLING = installments.alias("sibling").c
FIRST_OPEN = (
    select(func.min(_SIBLING.position))
    .where(_SIBLING.invoice_id == INST.invoice_id, _SIBLING.plan_id.is_(None),
           _SIBLING.replaced_by_plan_id.is_(None),
           _SIBLING.amount_minor > _SIBLING.paid_minor + _SIBLING.written_off_minor)
    .scalar_subquery()
)


# What stands of the interest earlier reminders charged (a reversed charge stands at 0).
INTEREST_CHARGED = (
    select(func.coalesce(func.sum(charges.c.amount_minor), 0))
    .where(charges.c.installment_id == INST.id, charges.c.kind == "interest",
           charges.c.replaced_by_plan_id.is_(None))
    .scalar_subquery()
)


@cache
def _day(value: date | str) -> date:
    """SQLite hands dates back as ISO text (read as text here: much faster than the ORM's
    conversion), PostgreSQL as dates. A book has a few thousand days, read many times."""
    return value if isinstance(value, date) else date.fromisoformat(value)


@dataclass(frozen=True, slots=True)
class _History:
    done: frozenset[str]
    channels_done: dict[str, tuple[str, ...]]
    days: dict[str, str | date]
    sent: dict[str, str | date]  # the stages that went out (not passed over), by day

    @classmethod
    def parse(cls, text: str | None) -> _History:
        done: set[str] = set()
        channels: dict[str, tuple[str, ...]] = {}
        days: dict[str, str | date] = {}
        sent: dict[str, str | date] = {}
        for fragment in text.split(";") if text else ():
            stage, outcome, day, used = fragment.split(":", 3)
            done.add(stage)
            days[stage] = day
            if outcome == "done":
                channels[stage] = tuple(used.split(",")) if used else ()
                sent[stage] = day
        return cls(frozenset(done), channels, days, sent)


def load(db: Connection | Session, as_of: date, customer_id: int | None = None, *,
         quick: bool = True) -> BookState:
    """Every open installment that may have something due today, in full; the others (most
    of a big book: their next stage is still ahead) are passed over after quick tests, in
    SQL and then in Python. ``quick=False`` leaves out the SQL tests: the reference they
    are tested against."""
    cond = and_(OPEN_INSTALLMENT, _worth_reading(db, as_of)) if quick else OPEN_INSTALLMENT
    if customer_id is not None:
        cond = and_(cond, INV.customer_id == customer_id)
    rows = db.execute(
        select(INST.id, INST.invoice_id, INST.position,
               type_coerce(INST.due_date, String).label("due"), INST.plan_id,
               INSTALLMENT_OPEN_MINOR.label("open"),
               INV.customer_id, type_coerce(INV.issue_date, String).label("issue"),
               HISTORY.label("history"), FIRST_OPEN.label("first_open"),
               # what the chosen ones need besides (few rows, so read with the rest)
               INST.label, INV.number, INV.currency, INV.late_fee_minor,
               INV.interest_annual_percent, INV.grace_days, INV.fee_rule, INV.late_rule,
               INV.customer_consumer,
               INTEREST_CHARGED.label("interest_charged"))
        .select_from(installments).join(invoices, INV.id == INST.invoice_id).where(cond)
    ).all()
    state = BookState()
    if not rows:
        return state
    state.policies = policies_for(db, {r.customer_id for r in rows})
    cutoffs = {id(p): DayCutoffs.of(p, as_of)
               for p in {id(p): p for p in state.policies.values()}.values()}
    open_by_installment = {r.id: int(r.open) for r in rows}
    open_by_invoice: dict[int, int] = defaultdict(int)
    for r in rows:
        open_by_invoice[r.invoice_id] += int(r.open)
    held = set(db.execute(select(invoice_holds.c.invoice_id).where(
        invoice_holds.c.released_on.is_(None))).scalars())
    state.promises = _promises(db, open_by_invoice, open_by_installment, as_of)
    state.plans = _plans(db, set(open_by_invoice), as_of)
    pause, escalate = _promise_effects(state.promises, rows)
    plan_breaks = {p.id: p.missed_on for p in state.plans if p.missed_on}
    active_plans = {p.id for p in state.plans if p.stored_status == "active" and not p.missed_on}
    floors = _floors(db, state)

    chosen: list[tuple[Row[Any], _History, bool]] = []
    for r in rows:
        policy = state.policies.get(r.customer_id)
        if policy is None or r.invoice_id in held:
            continue
        if r.id in pause and as_of <= pause[r.id]:
            continue
        history = _History.parse(r.history)
        first = r.plan_id is None and r.first_open == r.position
        special = r.plan_id is not None or r.id in escalate
        if special or may_act(policy, cutoffs[id(policy)], done=history.done,
                              channels_done=history.channels_done, due=_day(r.due),
                              issue=_day(r.issue), first_of_invoice=first):
            chosen.append((r, history, first))
    _fill(db, state, chosen, escalate, plan_breaks, active_plans, floors)
    return state


def _worth_reading(db: Connection | Session, as_of: date) -> ColumnElement[bool]:
    """Quick tests in SQL, for default-policy customers: leave out the installments that
    ``may_act`` would surely pass over, so that only the few left are read in full (in an
    old book most of what is open has gone through the whole ladder or waits for a next
    stage still ahead). Customers on another policy, installments of a payment plan and
    invoices with a promise are always read, whole. Tested against ``quick=False``.

    Generous by construction: a test may let through what ``may_act`` then passes over,
    never the reverse. The stage reached is kept on the installment (``reached_stage``,
    ranked by the default ladder), so the first rule is a comparison; the records (through
    their indexes) are looked at only to see whether an installment at the last stage is
    through the whole ladder, and for the other two rules where the first one fails.
    """
    default = default_policy(db)
    if not default.ladder:
        return true()
    others = select(customers.c.id).where(
        or_(customers.c.policy_name.is_not(None), customers.c.exempt))
    always = or_(INV.customer_id.in_(others), INST.plan_id.is_not(None),
                 INST.invoice_id.in_(select(promises.c.invoice_id)))
    record = followup_records.alias("record").c
    last = default.ladder[-1]
    # Through the whole ladder: its last stage went out on all its channels (recorded in
    # another order they only make the installment be read in full).
    finished = and_(func.coalesce(INST.reached_stage, "") == last.name, select(record.id).where(
        record.installment_id == INST.id, record.stage == last.name,
        record.outcome == "done", record.channels == ",".join(last.channels)).exists())
    cuts = DayCutoffs.of(default, as_of)
    rank = case({s.name: k for k, s in enumerate(default.ladder, 1)},
                value=INST.reached_stage, else_=0)
    # may_act, rule one: the stage after the highest one reached has come.
    may = [INST.due_date <= case(dict(enumerate(cuts.ladder)), value=rank)]
    # Rule three: a stage went out on only some of its channels (any stage, not just the
    # highest; channels recorded in another order count as some: generous).
    stages = [*default.ladder, *((default.on_issue,) if default.on_issue else ())]
    all_channels = case({s.name: ",".join(s.channels) for s in stages}, value=record.stage)
    may.append(select(record.id).where(
        record.installment_id == INST.id, record.outcome == "done",
        record.channels != all_channels).exists())
    if default.on_issue is not None and cuts.on_issue is not None:
        # Rule two: the invoice itself has not gone out and its day has come.
        may.append(and_(INV.issue_date <= cuts.on_issue, ~select(record.id).where(
            record.installment_id == INST.id,
            record.stage == default.on_issue.name).exists()))
    if default.on_receipt is not None:
        # Rule four: whether the invoice arrived may be asked (not yet due, not yet asked).
        may.append(and_(INV.issue_date <= cuts.on_receipt,
                        INST.due_date > cuts.receipt_due_after,
                        ~select(record.id).where(
                            record.installment_id == INST.id,
                            record.stage == default.on_receipt.name).exists()))
    return or_(always, and_(~finished, or_(*may)))


def _fill(db: Connection | Session, state: BookState,
          chosen: list[tuple[Row[Any], _History, bool]],
          escalate: dict[int, date], plan_breaks: Mapping[int, date | None],
          active_plans: set[int], floors: dict[int, str]) -> None:
    """Full states (and what a person reads about them) for the installments chosen."""
    if not chosen:
        return
    state.customers = _customers(db, {r.customer_id for r, _, _ in chosen})
    ids = [r.id for r, _, _ in chosen]
    rates = base_rates(db)
    # Invoices on the same terms charge alike: reckoned once per set of terms.
    by_terms: dict[tuple[object, ...], LateCharges] = {}
    late: dict[int, LateCharges] = {}
    for r, _, _ in chosen:
        terms = (r.late_rule, r.customer_consumer, r.currency, r.late_fee_minor, r.fee_rule,
                 r.interest_annual_percent)
        if terms not in by_terms:
            by_terms[terms] = invoice_late_charges(r, rates)
        late[r.id] = by_terms[terms]
    # Only what some item needs: the days money came in where interest runs, the fees
    # standing where a fee is charged once per invoice, approvals where there are any.
    reductions = settlements(db, [r.id for r, _, _ in chosen if late[r.id].interest])
    approved = _approved(db, ids)
    fee_charged = _fee_charged(db, {r.invoice_id for r, _, _ in chosen
                                    if late[r.id].fee_rule == "once_per_invoice"})
    reachable = {cid: CHANNELS if customer.emails(("billing",)) else tuple(
        c for c in CHANNELS if c != "email") for cid, customer in state.customers.items()}
    issue_stages = {id(p): p.on_issue.name if p.on_issue else None
                    for p in state.policies.values()}
    received = _received(db, {r.invoice_id for r, _, first in chosen if first})
    by_call = _asked_by_call(db, set(state.customers))
    for r, history, first in chosen:
        policy = state.policies[r.customer_id]
        escalate_from = escalate.get(r.id)
        if r.plan_id in plan_breaks:
            escalate_from = max(filter(None, (escalate_from, plan_breaks[r.plan_id])))
        issue_stage = issue_stages[id(policy)]
        sent = history.days.get(issue_stage) if issue_stage else None
        days = history.days.values()
        state.items.append(ItemState(
            installment_id=r.id, invoice_id=r.invoice_id, customer_id=r.customer_id,
            issue_date=_day(r.issue), due_date=_day(r.due), open_minor=int(r.open),
            first_of_invoice=first, done=history.done, channels_done=history.channels_done,
            # ISO days (text on both databases here) sort as the days do
            last_recorded_on=_day(max(days)) if days else None,
            invoice_sent_on=_day(sent) if sent else None, reachable=reachable[r.customer_id],
            escalate_from=escalate_from, floor=floors.get(r.plan_id) if r.plan_id else None,
            plan_active=r.plan_id in active_plans, late_fee_minor=late[r.id].fee_minor,
            interest_rate=late[r.id].interest,
            grace_days=r.grace_days, interest_charged_minor=int(r.interest_charged),
            settlements=reductions.get(r.id, ()),
            sent_on={stage: _day(day) for stage, day in history.sent.items()},
            fee_rule=late[r.id].fee_rule, invoice_fee_charged=r.invoice_id in fee_charged,
            approved=approved.get(r.id, frozenset()), plan_broken=r.plan_id in plan_breaks,
            receipt_recorded=r.invoice_id in received, prefers_call=r.customer_id in by_call,
        ))
        state.info[r.id] = InstallmentInfo(r.invoice_id, r.number or "", r.label, r.position,
                                           r.currency, r.customer_id, late[r.id].law)


def settlements(db: Connection | Session, ids: list[int]
                 ) -> dict[int, tuple[tuple[date, int], ...]]:
    """Installment id -> what reduced its debt, by the day it counts from (interest accrues
    on each day's balance)."""
    found: dict[int, list[tuple[date, int]]] = defaultdict(list)
    alloc = allocations.c
    for start in range(0, len(ids), CHUNK):
        for installment_id, day, minor in db.execute(
                select(alloc.installment_id, alloc.on_day, func.sum(alloc.amount_minor))
                .where(alloc.installment_id.in_(ids[start:start + CHUNK]),
                       alloc.kind.in_(("payment", "discount", "write_off")))
                .group_by(alloc.installment_id, alloc.on_day)):
            found[installment_id].append((_day(day), int(minor)))
    return {k: tuple(sorted(v)) for k, v in found.items()}


def _received(db: Connection | Session, invoice_ids: set[int]) -> set[int]:
    """The invoices whose customer confirmed they arrived."""
    ids = sorted(invoice_ids)
    found: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        found.update(db.execute(select(invoice_receipts.c.invoice_id).where(
            invoice_receipts.c.invoice_id.in_(ids[start:start + CHUNK]))).scalars())
    return found


def _asked_by_call(db: Connection | Session, customer_ids: set[int]) -> set[int]:
    """The customers asked by phone, not by email, whether an invoice arrived (few)."""
    return {cid for cid in db.execute(select(customers.c.id).where(
        customers.c.receipt_by_call)).scalars() if cid in customer_ids}


def _approved(db: Connection | Session, ids: list[int]) -> dict[int, frozenset[str]]:
    """Installment id -> the stages a person chose to take although they cost more than
    they can bring."""
    found: dict[int, set[str]] = defaultdict(set)
    approval = followup_approvals.c
    if db.execute(select(approval.id).limit(1)).first() is None:
        return {}  # most books: nobody has had to decide
    for start in range(0, len(ids), CHUNK):
        for installment_id, stage in db.execute(
                select(approval.installment_id, approval.stage)
                .where(approval.installment_id.in_(ids[start:start + CHUNK]))):
            found[installment_id].add(stage)
    return {k: frozenset(v) for k, v in found.items()}


def _fee_charged(db: Connection | Session, invoice_ids: set[int]) -> set[int]:
    """Invoices on which a reminder fee stands (a fee charged once per invoice is not
    charged again)."""
    ids = list(invoice_ids)
    found: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        found.update(db.execute(
            select(INST.invoice_id).select_from(charges)
            .join(installments, INST.id == charges.c.installment_id)
            .where(INST.invoice_id.in_(ids[start:start + CHUNK]), charges.c.kind == "fee",
                   charges.c.amount_minor > 0, charges.c.replaced_by_plan_id.is_(None))
        ).scalars())
    return found


def _promise_effects(promises: list[PromiseState], rows: Sequence[Row[Any]]
                     ) -> tuple[dict[int, date], dict[int, date]]:
    """Installment id -> last day an open promise pauses it; -> day a broken one escalates."""
    pause: dict[int, date] = {}
    escalate: dict[int, date] = {}
    if not promises:
        return pause, escalate
    installments_of: dict[int, list[int]] = defaultdict(list)
    for r in rows:
        installments_of[r.invoice_id].append(r.id)
    for promise in promises:
        targets = [promise.installment_id] if promise.installment_id else \
            installments_of[promise.invoice_id]
        for target in targets:
            if promise.outcome == "open":
                until = promise.promised_for + timedelta(days=PROMISE_GRACE_DAYS)
                pause[target] = max(pause.get(target, until), until)
            elif promise.outcome == "broken" and promise.broken_on:
                escalate[target] = max(escalate.get(target, promise.broken_on),
                                       promise.broken_on)
    return pause, escalate


def _floors(db: Connection | Session, state: BookState) -> dict[int, str]:
    """Plan id -> the highest stage reached on the installments the plan took over."""
    if not state.plans:
        return {}
    floors: dict[int, str] = {}
    customer_of = {p.id: p.customer_id for p in state.plans}
    for plan_id, stage in db.execute(
            select(INST.replaced_by_plan_id, REC.stage)
            .select_from(installments).join(followup_records, REC.installment_id == INST.id)
            .where(INST.replaced_by_plan_id.in_(list(customer_of)), REC.outcome == "done")):
        policy = state.policies.get(customer_of[plan_id])
        if policy is not None and policy.rank(stage) >= policy.rank(floors.get(plan_id, "")):
            floors[plan_id] = stage
    return floors


def _customers(db: Connection | Session, ids: set[int]) -> dict[int, CustomerInfo]:
    people: dict[int, list[ContactPoint]] = defaultdict(list)
    contact = contacts.c
    for customer_id, *point in db.execute(
            select(contact.customer_id, contact.role, contact.name, contact.email,
                   contact.phone).where(contact.customer_id.in_(ids)).order_by(contact.id)):
        people[customer_id].append(ContactPoint(*point))
    customer = customers.c
    return {
        row[0]: CustomerInfo(*row[:7], tuple(people.get(row[0], ())), row[7])
        for row in db.execute(select(customer.id, customer.name, customer.email,
                                     customer.phone, customer.language, customer.address,
                                     customer.credit_status, customer.read_receipt)
                              .where(customer.id.in_(ids)))
    }


def _promises(db: Connection | Session, open_by_invoice: Mapping[int, int],
              open_by_installment: Mapping[int, int], as_of: date) -> list[PromiseState]:
    """The latest promise of each open invoice that still matters, judged as of the day."""
    promise = promises.c
    rows = [row for row in db.execute(
        select(promise.id, promise.invoice_id, promise.installment_id, promise.promised_for,
               promise.amount_minor, promise.created_on, promise.status, promise.resolved_on,
               INV.customer_id)
        .select_from(promises).join(invoices, INV.id == promise.invoice_id)
        .where(promise.status.in_(("open", "broken"))).order_by(promise.id))
        if row.invoice_id in open_by_invoice]
    if not rows:
        return []
    paid: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for invoice_id, paid_on, amount in db.execute(
            select(payments.c.invoice_id, payments.c.paid_on, payments.c.amount_minor)
            .where(payments.c.invoice_id.in_({p.invoice_id for p in rows}))):
        paid[invoice_id].append((paid_on, amount))
    latest: dict[tuple[int, int | None], PromiseState] = {}
    for p in rows:
        if p.status == "open":
            still_open = (open_by_installment.get(p.installment_id, 0) if p.installment_id
                          else open_by_invoice.get(p.invoice_id, 0))
            outcome = promise_outcome(
                promised_for=p.promised_for, amount_minor=p.amount_minor,
                made_on=p.created_on, payments=paid[p.invoice_id], open_minor=still_open,
                as_of=as_of)
        else:
            outcome = p.status
        broken_on = (p.resolved_on if p.status == "broken"
                     else promise_broken_on(p.promised_for) if outcome == "broken" else None)
        latest[p.invoice_id, p.installment_id] = PromiseState(
            p.id, p.invoice_id, p.installment_id, p.customer_id, p.promised_for,
            p.amount_minor, outcome, p.status, broken_on)
    return list(latest.values())


def _plans(db: Connection | Session, open_invoices: set[int], as_of: date) -> list[PlanState]:
    plan = payment_plans.c
    plans = [row for row in db.execute(
        select(plan.id, plan.invoice_id, plan.customer_id, plan.status, plan.grace_days))
        if row.invoice_id in open_invoices]
    if not plans:
        return []
    by_plan: dict[int, list[tuple[date, int]]] = defaultdict(list)
    charge = charges.c
    # An installment of a plan asks for its share of the debt and for the fees and interest
    # the plan took over (on its last installment).
    charges_open = (
        select(func.coalesce(func.sum(CHARGE_OPEN_MINOR), 0))
        .where(charge.installment_id == INST.id, charge.replaced_by_plan_id.is_(None))
        .scalar_subquery())
    for plan_id, due, amount, paid, written_off, owed_charges in db.execute(
            select(INST.plan_id, INST.due_date, INST.amount_minor, INST.paid_minor,
                   INST.written_off_minor, charges_open)
            .where(INST.plan_id.in_([p.id for p in plans]))):
        by_plan[plan_id].append((due, amount - paid - written_off + int(owed_charges)))
    out = []
    for p in plans:
        missed = plan_missed_on(by_plan[p.id], p.grace_days, as_of)
        out.append(PlanState(p.id, p.invoice_id, p.customer_id, p.status, missed))
    return out

"""The books as the follow-up ladder sees them: every open installment's state, built with a
handful of set-based queries (never one query per invoice), so a 100,000-invoice book plans
in a fraction of a second."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cache, cached_property

from sqlalchemy import String, and_, case, cast, func, or_, select, true, type_coerce
from sqlalchemy.orm import Session, aliased
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
from desktop_app.services.policies import default_policy, policies_for
from desktop_app.storage.models import (
    OPEN_INSTALLMENT,
    Charge,
    Contact,
    Customer,
    FollowupRecord,
    Installment,
    Invoice,
    InvoiceHold,
    Payment,
    PaymentPlanRow,
    Promise,
)


@dataclass(frozen=True)
class InstallmentInfo:
    """What a person reads about an item beside its ladder state."""

    invoice_id: int
    number: str
    label: str
    position: int
    currency: str
    customer_id: int


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
        FollowupRecord.stage + ":" + FollowupRecord.outcome + ":"
        + cast(FollowupRecord.recorded_on, String) + ":" + FollowupRecord.channels, ";"))
    .where(FollowupRecord.installment_id == Installment.id)
    .scalar_subquery()
)


# The position of the invoice's first open installment (of its own schedule, not a plan's),
# read over all of them: the quick tests below leave some out of the rows.
_SIBLING = aliased(Installment)
FIRST_OPEN = (
    select(func.min(_SIBLING.position))
    .where(_SIBLING.invoice_id == Installment.invoice_id, _SIBLING.plan_id.is_(None),
           _SIBLING.replaced_by_plan_id.is_(None),
           _SIBLING.amount_minor > _SIBLING.paid_minor + _SIBLING.written_off_minor)
    .scalar_subquery()
)


INTEREST_CHARGED = (
    select(func.coalesce(func.sum(Charge.amount_minor), 0))
    .where(Charge.installment_id == Installment.id, Charge.kind == "interest")
    .scalar_subquery()
)


def _day(value: date | str) -> date:
    """SQLite hands dates back as ISO text (read as text here: much faster than the ORM's
    conversion), PostgreSQL as dates."""
    return value if isinstance(value, date) else date.fromisoformat(value)


@dataclass(frozen=True, slots=True)
class _History:
    done: frozenset[str]
    channels_done: dict[str, tuple[str, ...]]
    days: dict[str, str | date]

    @classmethod
    def parse(cls, text: str | None) -> _History:
        done, channels, days = set(), {}, {}
        for fragment in text.split(";") if text else ():
            stage, outcome, day, used = fragment.split(":", 3)
            done.add(stage)
            days[stage] = day
            if outcome == "done":
                channels[stage] = tuple(used.split(",")) if used else ()
        return cls(frozenset(done), channels, days)


def load(session: Session, as_of: date, customer_id: int | None = None, *,
         quick: bool = True) -> BookState:
    """Every open installment that may have something due today, in full; the others (most
    of a big book: their next stage is still ahead) are passed over after quick tests, in
    SQL and then in Python. ``quick=False`` leaves out the SQL tests: the reference they
    are tested against."""
    cond = and_(OPEN_INSTALLMENT, _worth_reading(session, as_of)) if quick \
        else OPEN_INSTALLMENT
    if customer_id is not None:
        cond = and_(cond, Invoice.customer_id == customer_id)
    rows = session.execute(
        select(Installment.id, Installment.invoice_id, Installment.position,
               type_coerce(Installment.due_date, String).label("due"), Installment.plan_id,
               (Installment.amount_minor - Installment.paid_minor
                - Installment.written_off_minor).label("open"),
               Invoice.customer_id, type_coerce(Invoice.issue_date, String).label("issue"),
               HISTORY.label("history"), FIRST_OPEN.label("first_open"),
               # what the chosen ones need besides (few rows, so read with the rest)
               Installment.label, Invoice.number, Invoice.currency, Invoice.late_fee_minor,
               Invoice.interest_annual_percent, Invoice.grace_days,
               INTEREST_CHARGED.label("interest_charged"))
        .join(Invoice, Invoice.id == Installment.invoice_id).where(cond)
    ).all()
    state = BookState()
    if not rows:
        return state
    state.policies = policies_for(session, {r.customer_id for r in rows})
    cutoffs = {id(p): DayCutoffs.of(p, as_of)
               for p in {id(p): p for p in state.policies.values()}.values()}
    open_by_installment = {r.id: int(r.open) for r in rows}
    open_by_invoice: dict[int, int] = defaultdict(int)
    for r in rows:
        open_by_invoice[r.invoice_id] += int(r.open)
    held = set(session.scalars(select(InvoiceHold.invoice_id).where(
        InvoiceHold.released_on.is_(None))))
    state.promises = _promises(session, open_by_invoice, open_by_installment, as_of)
    state.plans = _plans(session, set(open_by_invoice), as_of)
    pause, escalate = _promise_effects(state.promises, rows)
    plan_breaks = {p.id: p.missed_on for p in state.plans if p.missed_on}
    active_plans = {p.id for p in state.plans if p.stored_status == "active" and not p.missed_on}
    floors = _floors(session, state)

    chosen = []
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
    _fill(session, state, chosen, escalate, plan_breaks, active_plans, floors)
    return state


def _worth_reading(session: Session, as_of: date) -> ColumnElement[bool]:
    """Quick tests in SQL, for default-policy customers: leave out the installments that
    ``may_act`` would surely pass over, so that only the few left are read in full (in an
    old book most of what is open has gone through the whole ladder or waits for a next
    stage still ahead). Customers on another policy, installments of a payment plan and
    invoices with a promise are always read, whole. Tested against ``quick=False``.
    """
    default = default_policy(session)
    if not default.ladder:
        return true()
    others = select(Customer.id).where(or_(Customer.policy_name.is_not(None), Customer.exempt))
    always = or_(Invoice.customer_id.in_(others), Installment.plan_id.is_not(None),
                 Installment.invoice_id.in_(select(Promise.invoice_id)))
    record = aliased(FollowupRecord)
    last = default.ladder[-1]
    # Through the whole ladder (every channel of its last stage): nothing can come again.
    finished = select(record.id).where(
        record.installment_id == Installment.id, record.stage == last.name,
        record.outcome == "done",
        *(("," + record.channels + ",").like(f"%,{channel},%") for channel in last.channels),
    ).exists()
    cuts = DayCutoffs.of(default, as_of)
    rank = (select(func.max(case({s.name: k for k, s in enumerate(default.ladder, 1)},
                                 value=record.stage, else_=0)))
            .where(record.installment_id == Installment.id).scalar_subquery())
    # may_act, rule one: the stage after the highest one reached has come.
    next_stage_come = Installment.due_date <= case(dict(enumerate(cuts.ladder)),
                                                   value=func.coalesce(rank, 0))
    # Rule three: a stage went out on only some of its channels (any stage, not just the
    # highest; channels recorded in another order count as some: generous).
    stages = [*default.ladder, *((default.on_issue,) if default.on_issue else ())]
    partly_done = select(record.id).where(
        record.installment_id == Installment.id, record.outcome == "done",
        record.channels != case({s.name: ",".join(s.channels) for s in stages},
                                value=record.stage)).exists()
    may = [next_stage_come, partly_done]
    if default.on_issue is not None and cuts.on_issue is not None:
        # Rule two: the invoice itself has not gone out and its day has come.
        may.append(and_(Invoice.issue_date <= cuts.on_issue, ~select(record.id).where(
            record.installment_id == Installment.id,
            record.stage == default.on_issue.name).exists()))
    return or_(always, and_(~finished, or_(*may)))


def _fill(session: Session, state: BookState, chosen: list, escalate: dict[int, date],
          plan_breaks: dict[int, date | None], active_plans: set[int],
          floors: dict[int, str]) -> None:
    """Full states (and what a person reads about them) for the installments chosen."""
    if not chosen:
        return
    state.customers = _customers(session, {r.customer_id for r, _, _ in chosen})
    for r, history, first in chosen:
        policy = state.policies[r.customer_id]
        customer = state.customers[r.customer_id]
        reachable = CHANNELS if customer.emails(("billing",)) else tuple(
            c for c in CHANNELS if c != "email")
        escalate_from = escalate.get(r.id)
        if r.plan_id in plan_breaks:
            escalate_from = max(filter(None, (escalate_from, plan_breaks[r.plan_id])))
        issue_stage = policy.on_issue.name if policy.on_issue else None
        sent = history.days.get(issue_stage) if issue_stage else None
        state.items.append(ItemState(
            installment_id=r.id, invoice_id=r.invoice_id, customer_id=r.customer_id,
            issue_date=_day(r.issue), due_date=_day(r.due), open_minor=int(r.open),
            first_of_invoice=first, done=history.done, channels_done=history.channels_done,
            last_recorded_on=max(map(_day, history.days.values()), default=None),
            invoice_sent_on=_day(sent) if sent else None, reachable=reachable,
            escalate_from=escalate_from, floor=floors.get(r.plan_id) if r.plan_id else None,
            plan_active=r.plan_id in active_plans, late_fee_minor=r.late_fee_minor,
            interest_annual_percent=Decimal(r.interest_annual_percent),
            grace_days=r.grace_days, interest_charged_minor=int(r.interest_charged),
        ))
        state.info[r.id] = InstallmentInfo(r.invoice_id, r.number or "", r.label, r.position,
                                           r.currency, r.customer_id)


def _promise_effects(promises: list[PromiseState], rows: list
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


def _floors(session: Session, state: BookState) -> dict[int, str]:
    """Plan id -> the highest stage reached on the installments the plan took over."""
    if not state.plans:
        return {}
    floors: dict[int, str] = {}
    customer_of = {p.id: p.customer_id for p in state.plans}
    for plan_id, stage in session.execute(
            select(Installment.replaced_by_plan_id, FollowupRecord.stage)
            .join(FollowupRecord, FollowupRecord.installment_id == Installment.id)
            .where(Installment.replaced_by_plan_id.in_(list(customer_of)),
                   FollowupRecord.outcome == "done")):
        policy = state.policies.get(customer_of[plan_id])
        if policy is not None and policy.rank(stage) >= policy.rank(floors.get(plan_id, "")):
            floors[plan_id] = stage
    return floors


def _customers(session: Session, ids: set[int]) -> dict[int, CustomerInfo]:
    contacts: dict[int, list[ContactPoint]] = defaultdict(list)
    for row in session.execute(select(Contact.customer_id, Contact.role, Contact.name,
                                      Contact.email, Contact.phone)
                               .where(Contact.customer_id.in_(ids)).order_by(Contact.id)):
        contacts[row.customer_id].append(ContactPoint(row.role, row.name, row.email, row.phone))
    return {
        row.id: CustomerInfo(row.id, row.name, row.email, row.phone, row.language, row.address,
                             row.credit_status, tuple(contacts.get(row.id, ())))
        for row in session.execute(select(Customer.id, Customer.name, Customer.email,
                                          Customer.phone, Customer.language, Customer.address,
                                          Customer.credit_status)
                                   .where(Customer.id.in_(ids)))
    }


def _promises(session: Session, open_by_invoice: Mapping[int, int],
              open_by_installment: Mapping[int, int], as_of: date) -> list[PromiseState]:
    """The latest promise of each open invoice that still matters, judged as of the day."""
    rows = [(promise, customer_id) for promise, customer_id in session.execute(
        select(Promise, Invoice.customer_id).join(Invoice, Invoice.id == Promise.invoice_id)
        .where(Promise.status.in_(("open", "broken"))).order_by(Promise.id))
        if promise.invoice_id in open_by_invoice]
    if not rows:
        return []
    payments: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for invoice_id, paid_on, amount in session.execute(
            select(Payment.invoice_id, Payment.paid_on, Payment.amount_minor)
            .where(Payment.invoice_id.in_({p.invoice_id for p, _ in rows}))):
        payments[invoice_id].append((paid_on, amount))
    latest: dict[tuple[int, int | None], PromiseState] = {}
    for promise, customer_id in rows:
        if promise.status == "open":
            still_open = (open_by_installment.get(promise.installment_id, 0)
                          if promise.installment_id else open_by_invoice.get(promise.invoice_id,
                                                                             0))
            outcome = promise_outcome(
                promised_for=promise.promised_for, amount_minor=promise.amount_minor,
                made_on=promise.created_on, payments=payments[promise.invoice_id],
                open_minor=still_open, as_of=as_of)
        else:
            outcome = promise.status
        broken_on = (promise.resolved_on if promise.status == "broken"
                     else promise_broken_on(promise.promised_for) if outcome == "broken"
                     else None)
        latest[promise.invoice_id, promise.installment_id] = PromiseState(
            promise.id, promise.invoice_id, promise.installment_id, customer_id,
            promise.promised_for, promise.amount_minor, outcome, promise.status, broken_on)
    return list(latest.values())


def _plans(session: Session, open_invoices: set[int], as_of: date) -> list[PlanState]:
    plans = [p for p in session.scalars(select(PaymentPlanRow))
             if p.invoice_id in open_invoices]
    if not plans:
        return []
    by_plan: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for plan_id, due, amount, paid, written_off in session.execute(
            select(Installment.plan_id, Installment.due_date, Installment.amount_minor,
                   Installment.paid_minor, Installment.written_off_minor)
            .where(Installment.plan_id.in_([p.id for p in plans]))):
        by_plan[plan_id].append((due, amount - paid - written_off))
    out = []
    for plan in plans:
        missed = plan_missed_on(by_plan[plan.id], plan.grace_days, as_of)
        out.append(PlanState(plan.id, plan.invoice_id, plan.customer_id, plan.status, missed))
    return out

"""A customer's money kept right whatever order its events are entered in.

``settle`` replays the customer's payments, write-offs and charges in the order of their days
(``domain.ledger``) and writes back what follows: what each payment and write-off settled,
what stands of each charge, what is open, the credit. A charge that no longer stands (a
payment that came in before the reminder was typed in after it) is reversed with a line in
the customer's log, so the follow-up that reads the books next recomputes from the truth.

A payment plan draws a line: what was booked before it was agreed is kept as it was (the plan
took over what was open then); the payments and write-offs booked since count towards the
plan's installments, whatever their dates.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session, selectinload

from desktop_app.domain.credit import DEFAULT_RELEASE, RELEASES
from desktop_app.domain.late_payment import BaseRates
from desktop_app.domain.ledger import (
    Ledger,
    LedgerCharge,
    LedgerInstallment,
    LedgerInvoice,
    LedgerPayment,
    LedgerWriteOff,
    replay,
)
from desktop_app.domain.money import from_minor
from desktop_app.domain.parties import check_choice
from desktop_app.domain.status import Lifecycle
from desktop_app.messages import N_, Amount, Said, Word
from desktop_app.services import activity
from desktop_app.services.base_rates import base_rates, invoice_late_charges
from desktop_app.services.books import Books, audit
from desktop_app.storage.models import (
    Allocation,
    Charge,
    Customer,
    CustomerCredit,
    Installment,
    Invoice,
    Payment,
    PaymentPlanRow,
    Setting,
    WriteOff,
)
from desktop_app.storage.tables import CHARGE_OPEN_MINOR, INSTALLMENT_OPEN_MINOR

# Costs, then interest, then the debt itself is the common legal order (e.g. BGB § 367);
# a business may choose to settle the debt first.
ORDERS = ("charges_first", "principal_first")
ORDER_KEY = "payments.order"
RELEASE_KEY = "credit.release"  # domain.credit.RELEASES per credit status, as JSON
STAGE_WORDS = {"reminder_1": "first reminder", "reminder_2": "second reminder",
               "final_notice": "final notice", "handover": "notice before handover",
               "payment_plan": "payment plan"}


def payment_order(session: Session) -> str:
    row = session.get(Setting, ORDER_KEY)
    return json.loads(row.value) if row else ORDERS[0]


def credit_release(session: Session) -> dict[str, str]:
    """How each credit status lifts: ``paid_up`` (by itself once nothing is overdue) or
    ``by_hand`` (only when a person changes it)."""
    row = session.get(Setting, RELEASE_KEY)
    return {**DEFAULT_RELEASE, **(json.loads(row.value) if row else {})}


def set_credit_release(session: Session, status: str, release: str) -> dict[str, str]:
    check_choice(status, "status", tuple(DEFAULT_RELEASE))
    check_choice(release, "release", RELEASES)
    rules = {**credit_release(session), status: release}
    row = session.get(Setting, RELEASE_KEY)
    if row is None:
        session.add(Setting(key=RELEASE_KEY, value=json.dumps(rules)))
    else:
        row.value = json.dumps(rules)
    return rules


@dataclass
class Settled:
    """What a replay found, for the caller to report."""

    ledger: Ledger
    reversed: list[str] = field(default_factory=list)  # log lines written


@dataclass
class _Era:
    """The part of an invoice's money the replay owns (all of it, or what came after the
    latest payment plan)."""

    plan: PaymentPlanRow | None
    installments: list[Installment]
    frozen_discount: int = 0


def _eras(session: Session, invoices: list[Invoice]) -> dict[int, _Era]:
    ids = [i.id for i in invoices]
    plans: dict[int, PaymentPlanRow] = {}
    for row in session.scalars(select(PaymentPlanRow).where(
            PaymentPlanRow.invoice_id.in_(ids)).order_by(PaymentPlanRow.id)):
        plans[row.invoice_id] = row  # the latest
    eras = {}
    for inv in invoices:
        plan = plans.get(inv.id)
        live = [i for i in inv.installments if i.replaced_by_plan_id is None
                and (plan is None or i.plan_id == plan.id)]
        eras[inv.id] = _Era(plan, live)
    return eras


def _live(session: Session, model: type[Payment] | type[WriteOff], since: str,
          eras: dict[int, _Era]) -> list[Any]:
    """The invoices' payments or write-offs the replay owns: all of them, or those booked
    after the latest plan (``since`` names the plan's last id of that kind). One plain IN
    query, the era filtered here: an OR of a condition per invoice reads every row."""
    if not eras:
        return []
    rows = cast("Sequence[Payment | WriteOff]", session.scalars(
        select(model).where(model.invoice_id.in_(list(eras)))).all())
    return [r for r in rows if r.invoice_id is not None and (
        eras[r.invoice_id].plan is None
        or r.id > (getattr(eras[r.invoice_id].plan, since) or 0))]


def _invoice_of(payment: Payment) -> int:
    """The invoice a replayed payment is on (it was chosen by that invoice)."""
    assert payment.invoice_id is not None
    return payment.invoice_id


def _terms(inv: Invoice, era: _Era, rates: BaseRates) -> LedgerInvoice:
    from desktop_app.domain.terms import PaymentTerms

    terms = PaymentTerms(name=inv.terms_name or "terms", net_days=inv.net_days,
                         discount_percent=inv.discount_percent,
                         discount_days=inv.discount_days)
    late = invoice_late_charges(inv, rates)
    plan = era.plan
    return LedgerInvoice(
        key=inv.id,
        discount_minor=0 if plan else terms.discount_minor(inv.total_minor, inv.currency),
        discount_until=terms.discount_deadline(inv.issue_date) if inv.issue_date else None,
        interest_rate=late.interest, grace_days=inv.grace_days,
        late_fee_minor=late.fee_minor, fee_rule=late.fee_rule,
        # Under a payment plan the customer pays the agreed installments: those first.
        principal_first=plan is not None and plan.status == "active",
        money_from=plan.agreed_on if plan else None,
    )


def settle(session: Session, books: Books, customer_id: int, *, why: Said) -> Settled:
    """Replay the customer's money and store the result (in the caller's transaction);
    ``why`` ends the log line of anything reversed ("a payment dated ... was entered")."""
    session.flush()
    # One settlement of a customer at a time (a fee may move between its invoices).
    session.get(Customer, customer_id, with_for_update=True, populate_existing=True)
    invoices = list(session.scalars(select(Invoice).where(
        Invoice.customer_id == customer_id, Invoice.state == Lifecycle.ISSUED).order_by(Invoice.id)
        .options(selectinload(Invoice.installments))))
    eras = _eras(session, invoices)
    live_ids = {i.id for era in eras.values() for i in era.installments}
    charges = list(session.scalars(select(Charge).where(
        Charge.installment_id.in_(live_ids), Charge.replaced_by_plan_id.is_(None))
        .order_by(Charge.id))) if live_ids else []
    payments = _live(session, Payment, "last_payment_id", eras)
    write_offs = _live(session, WriteOff, "last_write_off_id", eras)
    rates = base_rates(session)
    ledger = replay(
        [_terms(inv, eras[inv.id], rates) for inv in invoices],
        [LedgerInstallment(i.id, i.invoice_id, i.due_date, i.amount_minor)
         for era in eras.values() for i in era.installments],
        [LedgerCharge(c.id, c.kind, c.charged_on, c.claimed_minor,
                      tuple(k for k in _covers(c) if k in live_ids) or (c.installment_id,),
                      fixed=c.stage == "payment_plan") for c in charges],
        [LedgerPayment(p.id, _invoice_of(p), p.paid_on, p.amount_minor,
                       p.settles == "principal_first") for p in payments],
        [LedgerWriteOff(w.id, w.invoice_id, w.written_on, w.requested_minor)
         for w in write_offs])
    settled = Settled(ledger)
    _store(session, books, invoices, eras, charges, payments, write_offs, settled, why)
    return settled


def _covers(charge: Charge) -> list[int]:
    return [int(k) for k in json.loads(charge.covers or "[]")] or [charge.installment_id]


def _store(session: Session, books: Books, invoices: list[Invoice], eras: dict[int, _Era],
           charges: list[Charge], payments: list[Payment], write_offs: list[WriteOff],
           settled: Settled, why: Said) -> None:
    ledger = settled.ledger
    payment_ids = [p.id for p in payments]
    write_off_ids = [w.id for w in write_offs]
    frozen_discount = _frozen_discount(session, [i.id for i in invoices], payment_ids)
    _store_allocations(session, ledger, payment_ids, write_off_ids)
    if payment_ids:
        session.execute(delete(CustomerCredit).where(CustomerCredit.payment_id.in_(payment_ids)))
    by_invoice = {inv.id: inv for inv in invoices}
    for payment in payments:
        credit = ledger.credit.get(payment.id, 0)
        if credit:
            inv = by_invoice[_invoice_of(payment)]
            session.add(CustomerCredit(customer_id=payment.customer_id, payment_id=payment.id,
                                       amount_minor=credit, currency=payment.currency,
                                       note=f"overpayment on {inv.number}"))
    for era in eras.values():
        for inst in era.installments:
            state = ledger.installments[inst.id]
            _put(inst, paid_minor=state.paid_minor, written_off_minor=state.written_off_minor)
    for inv in invoices:
        _put(inv, paid_minor=sum(i.paid_minor for i in inv.installments),
             written_off_minor=sum(i.written_off_minor for i in inv.installments),
             discount_minor=frozen_discount.get(inv.id, 0) + ledger.discount.get(inv.id, 0))
    for charge in charges:
        stands = ledger.charges.get(charge.id)
        if stands is None:
            continue
        before = charge.amount_minor
        _put(charge, installment_id=stands.installment, amount_minor=stands.amount_minor,
             settled_minor=stands.settled_minor, written_off_minor=stands.written_off_minor)
        if stands.amount_minor != before:
            settled.reversed.append(_log_charge(session, books, charge, before, by_invoice,
                                                why))
    for write_off in write_offs:
        took = ledger.written_off.get(write_off.id, 0)
        if took != write_off.amount_minor and write_off.amount_minor > 0:
            inv = by_invoice[write_off.invoice_id]
            cur = inv.currency
            activity.log(session, books, customer_id=inv.customer_id, kind="write_off",
                         message=N_("Write-off of {day} on {number} now {amount} (was "
                                    "{before}): {why}"),
                         values={"day": write_off.written_on, "number": inv.number or "",
                                 "amount": Amount(from_minor(took, cur), cur),
                                 "before": Amount(from_minor(write_off.amount_minor, cur), cur),
                                 "why": why},
                         on=books.today(), invoice_id=inv.id)
        _put(write_off, amount_minor=took)
    _close_kept_plans(session, books, eras, ledger, by_invoice)
    session.flush()


def _put(row: object, **values: object) -> None:
    """Set what changed only: a replay leaves most of a customer's rows as they were, and
    each row set is one the flush must look at."""
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)


_ALLOCATION = (Allocation.payment_id, Allocation.write_off_id, Allocation.installment_id,
               Allocation.charge_id, Allocation.kind, Allocation.amount_minor, Allocation.on_day)
# An allocation as compared: payment, write-off, installment, charge, kind, amount, day.
_AllocationKey = tuple[int | None, int | None, int, int | None, str, int, date]


def _store_allocations(session: Session, ledger: Ledger, payment_ids: list[int],
                       write_off_ids: list[int]) -> None:
    """Make the stored allocations of these payments and write-offs what the replay applied,
    touching only the rows that differ: a new payment adds its own and moves few others."""
    wanted = Counter(
        (a.source_key if a.source == "payment" else None,
         a.source_key if a.source == "write_off" else None,
         a.installment, a.charge, a.kind, a.amount_minor, a.on_day) for a in ledger.applied)
    stale = []
    for source, ids in ((Allocation.payment_id, payment_ids),
                        (Allocation.write_off_id, write_off_ids)):
        if not ids:
            continue
        for row in session.execute(select(Allocation.id, *_ALLOCATION).where(
                source.in_(ids)).order_by(Allocation.id)):
            key = cast(_AllocationKey, tuple(row[1:]))
            if wanted[key] > 0:
                wanted[key] -= 1
            else:
                stale.append(row.id)
    if stale:
        session.execute(delete(Allocation).where(Allocation.id.in_(stale)))
    fresh = [dict(zip((c.key for c in _ALLOCATION), key, strict=True))
             for key, n in wanted.items() for _ in range(n)]
    if fresh:
        session.execute(insert(Allocation), fresh)


def _frozen_discount(session: Session, invoice_ids: list[int], live_payments: list[int]
                     ) -> dict[int, int]:
    """Discounts granted before a payment plan took over (kept as they were)."""
    if not invoice_ids:
        return {}
    rows = session.execute(
        select(Installment.invoice_id, func.sum(Allocation.amount_minor))
        .join(Installment, Installment.id == Allocation.installment_id)
        .where(Installment.invoice_id.in_(invoice_ids), Allocation.kind == "discount",
               Allocation.payment_id.not_in(live_payments))
        .group_by(Installment.invoice_id))
    return {invoice_id: int(total or 0) for invoice_id, total in rows}


def _log_charge(session: Session, books: Books, charge: Charge, before: int,
                invoices: dict[int, Invoice], why: Said) -> str:
    inst = session.get(Installment, charge.installment_id)
    assert inst is not None
    inv = invoices.get(inst.invoice_id) or session.get(Invoice, inst.invoice_id)
    assert inv is not None
    cur = inv.currency
    fee = charge.kind == "fee"
    if charge.amount_minor == 0:
        message = (N_("Reminder fee of {before} charged with the {stage} of {day} on {number} "
                      "reversed: it would not have arisen, as {why}") if fee else
                   N_("Interest of {before} charged with the {stage} of {day} on {number} "
                      "reversed: it would not have arisen, as {why}"))
    elif charge.amount_minor < before:
        message = (N_("Reminder fee of {before} charged with the {stage} of {day} on {number} "
                      "reduced to {amount}, recomputed on each day's balance, as {why}") if fee
                   else N_("Interest of {before} charged with the {stage} of {day} on {number} "
                           "reduced to {amount}, recomputed on each day's balance, as {why}"))
    else:
        message = (N_("Reminder fee of {before} charged with the {stage} of {day} on {number} "
                      "now {amount}: it stands for this invoice, as {why}") if fee else
                   N_("Interest of {before} charged with the {stage} of {day} on {number} "
                      "now {amount}: it stands for this invoice, as {why}"))
    stage = STAGE_WORDS.get(charge.stage, charge.stage.replace("_", " "))
    row = activity.log(session, books, customer_id=inv.customer_id, kind="credit",
                       message=message,
                       values={"before": Amount(from_minor(before, cur), cur),
                               "amount": Amount(from_minor(charge.amount_minor, cur), cur),
                               "stage": Word(stage), "day": charge.charged_on,
                               "number": inv.number or "", "why": why},
                       on=books.today(), invoice_id=inv.id)
    summary = row.summary
    audit(session, books, "charge.recomputed", "invoice", inv.id,
          {"charge_id": charge.id, "from_minor": before, "to_minor": charge.amount_minor})
    return summary


def _close_kept_plans(session: Session, books: Books, eras: dict[int, _Era], ledger: Ledger,
                      invoices: dict[int, Invoice]) -> None:
    """A plan whose installments and charges are all settled was kept: it is no longer
    active once it is paid."""
    for invoice_id, era in eras.items():
        plan = era.plan
        if plan is None or plan.status != "active":
            continue
        live = {i.id for i in era.installments}
        owed = sum(ledger.installments[k].open_minor for k in live) + sum(
            c.open_minor for c in ledger.charges.values() if c.installment in live)
        if owed <= 0:
            plan.status = "kept"
            inv = invoices[invoice_id]
            activity.log(session, books, customer_id=inv.customer_id, kind="plan",
                         message=N_("Payment plan for {number} kept: all of it is paid"),
                         values={"number": inv.number or ""},
                         on=books.today(), invoice_id=inv.id)


def overdue_minor(session: Session, customer_id: int, as_of: date) -> int:
    """What the customer owes that is past due: open installments and open charges."""
    late = Installment.due_date < as_of
    debt = session.execute(
        select(func.coalesce(func.sum(INSTALLMENT_OPEN_MINOR), 0))
        .join(Invoice, Invoice.id == Installment.invoice_id)
        .where(Invoice.customer_id == customer_id, Invoice.state == Lifecycle.ISSUED, late,
               Installment.replaced_by_plan_id.is_(None),
               Installment.amount_minor > Installment.paid_minor
               + Installment.written_off_minor)).scalar_one()
    charges = session.execute(
        select(func.coalesce(func.sum(CHARGE_OPEN_MINOR), 0))
        .join(Installment, Installment.id == Charge.installment_id)
        .join(Invoice, Invoice.id == Installment.invoice_id)
        .where(Invoice.customer_id == customer_id, Invoice.state == Lifecycle.ISSUED,
               Charge.replaced_by_plan_id.is_(None))).scalar_one()
    return int(debt) + int(charges)


def lift_credit_status(session: Session, books: Books, customer_ids: Iterable[int],
                       as_of: date) -> list[int]:
    """A customer on hold (or on cash only, when the user chose so) is back to good once
    nothing it owes is overdue: paying up lifts the hold without anyone remembering to."""
    rules = credit_release(session)
    lifted = []
    for customer_id in dict.fromkeys(customer_ids):
        customer = session.get(Customer, customer_id)
        if customer is None or rules.get(customer.credit_status) != "paid_up":
            continue
        if overdue_minor(session, customer_id, as_of) > 0:
            continue
        before = customer.credit_status
        customer.credit_status = "good"
        lifted.append(customer_id)
        activity.log(session, books, customer_id=customer_id, kind="credit",
                     message=N_("Back to good standing: nothing is overdue any more (was hold)")
                     if before == "hold" else
                     N_("Back to good standing: nothing is overdue any more (was cash only)"),
                     on=as_of)
        audit(session, books, "customer.credit_status", "customer", customer_id,
              {"from": before, "to": "good", "why": "paid up"})
    return lifted


def settled_by_payment(ledger: Ledger, payment_id: int) -> dict[str, int]:
    """What one payment did: debt, discount, charges, credit (minor units)."""
    parts: dict[str, int] = defaultdict(int)
    for a in ledger.applied:
        if a.source == "payment" and a.source_key == payment_id:
            key = a.kind if a.kind in ("payment", "discount") else "charges"
            parts[key] += a.amount_minor
    parts["credit"] = ledger.credit.get(payment_id, 0)
    return parts

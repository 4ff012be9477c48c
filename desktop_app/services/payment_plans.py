"""Payment plans: an overdue balance (with the fees and interest charged on
it) split into new installments that the customer signs for; the old ladder waits while they
are met, restarts when one is missed, and the plan is kept once all of it is paid."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app import documents as rendering  # renderers load on first use
from desktop_app import files
from desktop_app.documents import data as doc
from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.domain.money import from_minor
from desktop_app.domain.schedule import build_schedule
from desktop_app.domain.status import Lifecycle
from desktop_app.messages import N_, Amount
from desktop_app.services import activity
from desktop_app.services.books import Books, audit, require_customer, the_company
from desktop_app.services.changes import OpChanges, states
from desktop_app.services.documents import (
    company_doc,
    contact_doc,
    customer_doc,
    store_document,
)
from desktop_app.services.followup.policy_choice import policies_for
from desktop_app.services.followup.reached_stage import refresh_reached
from desktop_app.services.invoice_lookup import require_invoice
from desktop_app.storage.models import (
    Charge,
    FollowupRecord,
    Installment,
    Invoice,
    Payment,
    PaymentPlanRow,
    WriteOff,
)

DEFAULT_GRACE_DAYS = 5
PROPOSED_START_DAYS = 7  # the first payment of a plan a week after it is agreed


def proposed_start(as_of: date) -> date:
    """The first payment day a form proposes for a new plan."""
    return as_of + timedelta(days=PROPOSED_START_DAYS)
DEFAULT_SPACING_DAYS = 30


@dataclass(frozen=True)
class PlanInstallmentView:
    id: int
    label: str
    due_date: date
    amount: Decimal


@dataclass(frozen=True)
class PlanView:
    id: int
    invoice_id: int
    number: str
    status: str
    agreed_on: date
    total: Decimal
    currency: str
    installments: tuple[PlanInstallmentView, ...]
    agreement_document_id: int


def _carry_invoice_sent(session: Session, books: Books, inv: Invoice, new_ids: list[int]
                        ) -> None:
    """The new installments belong to an invoice that went out long ago: say so on them, so
    their friendly notes do not wait for it."""
    policy = policies_for(session, [inv.customer_id]).get(inv.customer_id)
    if policy is None or policy.on_issue is None:
        return
    sent = session.scalars(
        select(FollowupRecord).join(Installment, Installment.id == FollowupRecord.installment_id)
        .where(Installment.invoice_id == inv.id,
               FollowupRecord.stage == policy.on_issue.name)
        .order_by(FollowupRecord.recorded_on)).first()
    if sent is None:
        return
    for installment_id in new_ids:
        session.add(FollowupRecord(installment_id=installment_id, stage=sent.stage,
                                   outcome=sent.outcome, recorded_on=sent.recorded_on,
                                   at=books.clock(), actor=books.actor,
                                   channels=sent.channels))
    refresh_reached(session, new_ids)


def _open_charges(session: Session, inv: Invoice) -> list[Charge]:
    """Fees and interest charged on what the plan takes over and not yet paid."""
    taken = [i.id for i in inv.installments if i.open_minor > 0]
    if not taken:
        return []
    return [c for c in session.scalars(select(Charge).where(
        Charge.installment_id.in_(taken), Charge.replaced_by_plan_id.is_(None)))
        if c.amount_minor - c.settled_minor - c.written_off_minor > 0]


def _open_of(charge: Charge) -> int:
    return charge.amount_minor - charge.settled_minor - charge.written_off_minor


def _schedule(inv: Invoice, spec: str, start: date, every: int | None
              ) -> list[tuple[str, date, int]]:
    """Label, due date and amount of each new installment: what is open, split exactly."""
    open_minor = sum(i.open_minor for i in inv.installments)
    if inv.state != Lifecycle.ISSUED or open_minor <= 0:
        raise RuleViolation(N_("invoice {invoice} has nothing open to put on a plan"),
                            invoice=str(inv.number or inv.id))
    planned = build_schedule(open_minor, spec, start, 0, every or DEFAULT_SPACING_DAYS)
    n = len(planned)
    return [(f"Plan {k} of {n}", p.due_date, p.amount_minor)
            for k, p in enumerate(planned, start=1)]


def _with_charges(schedule: list[tuple[str, date, int]], charges_minor: int
                  ) -> list[tuple[str, date, int]]:
    """What each installment asks for: the last one also carries the fees and interest
    the plan took over, so they are collected with the plan and not left behind."""
    *head, (label, due, amount) = schedule
    return [*head, (label, due, amount + charges_minor)]


def preview_plan(books: Books, invoice_id: int, spec: str, start: date, *,
                 every: int | None = None) -> tuple[PlanInstallmentView, ...]:
    """The installments a plan would have, nothing stored (for the plan dialog)."""
    with books.db.read() as session:
        inv = require_invoice(session, invoice_id)
        charges = sum(_open_of(c) for c in _open_charges(session, inv))
        return tuple(PlanInstallmentView(0, label, due, from_minor(amount, inv.currency))
                     for label, due, amount in _with_charges(
                         _schedule(inv, spec, start, every), charges))


@states(OpChanges.INVOICES | OpChanges.FOLLOWUP | OpChanges.CUSTOMERS)
def create_plan(books: Books, invoice_id: int, spec: str, start: date, *,
                every: int | None = None, grace_days: int = DEFAULT_GRACE_DAYS) -> PlanView:
    """Turn what is open on the invoice (the debt and the fees and interest charged on it)
    into new installments from ``start``, agreed today (the books' day), with the agreement
    letter stored as sent."""
    if not 0 <= grace_days <= 60:
        raise ValidationError("grace-days", N_("must be between 0 and 60"))
    agreed_on = books.today()
    if start < agreed_on:
        raise ValidationError("start", N_("the first installment cannot fall due before the "
                                          "plan is agreed ({day})"), day=agreed_on)
    with books.db.write() as session:
        company = the_company(session)
        inv = require_invoice(session, invoice_id, lock=True)
        active = session.scalars(select(PaymentPlanRow).where(
            PaymentPlanRow.invoice_id == inv.id, PaymentPlanRow.status == "active")).first()
        if active is not None:
            raise RuleViolation(N_("invoice {number} already has an active payment plan"),
                                number=str(inv.number))
        planned = _schedule(inv, spec, start, every)
        old = [i for i in inv.installments if i.open_minor > 0]
        taken_over = [(i.due_date, i.open_minor) for i in old]
        open_minor = sum(minor for _, minor in taken_over)
        charges = _open_charges(session, inv)
        plan = PaymentPlanRow(
            invoice_id=inv.id, customer_id=inv.customer_id, agreed_on=agreed_on,
            grace_days=grace_days, schedule_spec=spec, status="active",
            # The money booked so far stays as it is; what comes later pays the plan.
            last_payment_id=session.scalar(select(func.max(Payment.id)).where(
                Payment.invoice_id == inv.id)),
            last_write_off_id=session.scalar(select(func.max(WriteOff.id)).where(
                WriteOff.invoice_id == inv.id)))
        session.add(plan)
        session.flush()
        for inst in old:
            inst.replaced_by_plan_id = plan.id
        taken_charges: dict[str, int] = {}
        for charge in charges:
            charge.replaced_by_plan_id = plan.id
            taken_charges[charge.kind] = taken_charges.get(charge.kind, 0) + _open_of(charge)
        position = max(i.position for i in inv.installments)
        new = [Installment(invoice_id=inv.id, position=position + k, label=label,
                           due_date=due, amount_minor=amount, plan_id=plan.id)
               for k, (label, due, amount) in enumerate(planned, start=1)]
        session.add_all(new)
        session.flush()
        last = new[-1]
        for kind, amount in taken_charges.items():
            # Fixed: part of what the customer signs for, whatever happens after.
            session.add(Charge(installment_id=last.id, kind=kind, stage="payment_plan",
                               charged_on=agreed_on, amount_minor=amount,
                               claimed_minor=amount, settled_minor=0, written_off_minor=0,
                               covers=json.dumps([last.id])))
        charges_minor = sum(taken_charges.values())
        asks = {i.id: i.amount_minor + (charges_minor if i is last else 0) for i in new}
        _carry_invoice_sent(session, books, inv, [i.id for i in new])
        customer = require_customer(session, inv.customer_id)
        assert inv.number is not None and inv.issue_date is not None
        letter = doc.Letter(
            stage=doc.Stage.PAYMENT_PLAN, company=company_doc(company),
            customer=customer_doc(customer),
            letter_date=agreed_on, currency=inv.currency, contact=contact_doc(company),
            items=tuple(doc.LetterItem(inv.number, inv.issue_date, due, minor)
                        for due, minor in taken_over),
            fee_minor=taken_charges.get("fee", 0),
            plan=doc.PaymentPlan(tuple(doc.Installment(i.label, i.due_date, asks[i.id])
                                       for i in new), grace_days=grace_days,
                                 interest_percent=inv.interest_annual_percent))
        stored = store_document(session, books, kind="agreement", customer_id=customer.id,
                                invoice_id=inv.id, on=agreed_on,
                                filename=files.file_name(f"payment-plan-{inv.number}", ".pdf"),
                                pdf=rendering.render_letter(letter), stage="payment_plan")
        last_due = max(i.due_date for i in new)
        total = open_minor + charges_minor
        cur = inv.currency
        activity.log(session, books, customer_id=customer.id, kind="plan",
                     message=N_("Payment plan agreed: {amount} (of which {charges} fees and "
                                "interest) in {count} installment(s) from {first} until "
                                "{last}; {grace} days' grace") if charges_minor else
                     N_("Payment plan agreed: {amount} in {count} installment(s) from {first} "
                        "until {last}; {grace} days' grace"),
                     values={"amount": Amount(from_minor(total, cur), cur),
                             "charges": Amount(from_minor(charges_minor, cur), cur),
                             "count": len(new), "first": start, "last": last_due,
                             "grace": grace_days},
                     on=agreed_on, invoice_id=inv.id, document_id=stored.id)
        audit(session, books, "plan.create", "invoice", inv.id,
              {"plan_id": plan.id, "spec": spec, "open_minor": open_minor,
               "charges_minor": charges_minor})
        return PlanView(plan.id, inv.id, inv.number, plan.status, agreed_on,
                        from_minor(total, cur), cur,
                        tuple(PlanInstallmentView(i.id, i.label, i.due_date,
                                                  from_minor(asks[i.id], cur)) for i in new),
                        stored.id)


"""Payment plans (seed 001/004): an overdue balance split into new installments that the
customer signs for; the old ladder waits while they are met and restarts when one is missed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app import documents as rendering  # renderers load on first use
from desktop_app import files
from desktop_app.documents import data as doc
from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.domain.money import from_minor
from desktop_app.domain.schedule import build_schedule
from desktop_app.services import activity
from desktop_app.services.books import Books, audit, the_company
from desktop_app.services.customers import require_customer
from desktop_app.services.documents import (
    company_doc,
    contact_doc,
    customer_doc,
    store_document,
)
from desktop_app.services.invoices import require_invoice
from desktop_app.services.policy_choice import policies_for
from desktop_app.storage.models import FollowupRecord, Installment, Invoice, PaymentPlanRow

DEFAULT_GRACE_DAYS = 5
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


def _schedule(inv: Invoice, spec: str, start: date, every: int | None
              ) -> list[tuple[str, date, int]]:
    """Label, due date and amount of each new installment: what is open, split exactly."""
    open_minor = sum(i.open_minor for i in inv.installments)
    if inv.state != "issued" or open_minor <= 0:
        raise RuleViolation(f"invoice {inv.number or inv.id} has nothing open to put on a plan")
    planned = build_schedule(open_minor, spec, start, 0, every or DEFAULT_SPACING_DAYS)
    n = len(planned)
    return [(f"Plan {k} of {n}", p.due_date, p.amount_minor)
            for k, p in enumerate(planned, start=1)]


def preview_plan(books: Books, invoice_id: int, spec: str, start: date, *,
                 every: int | None = None) -> tuple[PlanInstallmentView, ...]:
    """The installments a plan would have, nothing stored (for the plan dialog)."""
    with books.db.read() as session:
        inv = require_invoice(session, invoice_id)
        return tuple(PlanInstallmentView(0, label, due, from_minor(amount, inv.currency))
                     for label, due, amount in _schedule(inv, spec, start, every))


def create_plan(books: Books, invoice_id: int, spec: str, start: date, *,
                every: int | None = None, grace_days: int = DEFAULT_GRACE_DAYS) -> PlanView:
    """Turn what is open on the invoice into new installments from ``start``, with the
    agreement letter stored as sent."""
    if not 0 <= grace_days <= 60:
        raise ValidationError("grace-days", "must be between 0 and 60")
    with books.db.write() as session:
        company = the_company(session)
        inv = require_invoice(session, invoice_id, lock=True)
        active = session.scalars(select(PaymentPlanRow).where(
            PaymentPlanRow.invoice_id == inv.id, PaymentPlanRow.status == "active")).first()
        if active is not None:
            raise RuleViolation(f"invoice {inv.number} already has an active payment plan")
        planned = _schedule(inv, spec, start, every)
        old = [i for i in inv.installments if i.open_minor > 0]
        taken_over = [(i.due_date, i.open_minor) for i in old]
        open_minor = sum(minor for _, minor in taken_over)
        plan = PaymentPlanRow(invoice_id=inv.id, customer_id=inv.customer_id, agreed_on=start,
                              grace_days=grace_days, schedule_spec=spec, status="active")
        session.add(plan)
        session.flush()
        for inst in old:
            inst.replaced_by_plan_id = plan.id
        position = max(i.position for i in inv.installments)
        new = [Installment(invoice_id=inv.id, position=position + k, label=label,
                           due_date=due, amount_minor=amount, plan_id=plan.id)
               for k, (label, due, amount) in enumerate(planned, start=1)]
        session.add_all(new)
        session.flush()
        _carry_invoice_sent(session, books, inv, [i.id for i in new])
        customer = require_customer(session, inv.customer_id)
        assert inv.number is not None and inv.issue_date is not None
        letter = doc.Letter(
            stage=doc.Stage.PAYMENT_PLAN, company=company_doc(company),
            customer=customer_doc(customer),
            letter_date=start, currency=inv.currency, contact=contact_doc(company),
            items=tuple(doc.LetterItem(inv.number, inv.issue_date, due, minor)
                        for due, minor in taken_over),
            plan=doc.PaymentPlan(tuple(doc.Installment(i.label, i.due_date, i.amount_minor)
                                       for i in new), grace_days=grace_days,
                                 interest_percent=inv.interest_annual_percent))
        stored = store_document(session, books, kind="agreement", customer_id=customer.id,
                                invoice_id=inv.id, on=start,
                                filename=files.file_name(f"payment-plan-{inv.number}", ".pdf"),
                                pdf=rendering.render_letter(letter), stage="payment_plan")
        last_due = max(i.due_date for i in new)
        activity.log(session, books, customer_id=customer.id, kind="plan",
                     summary=f"Payment plan agreed: {from_minor(open_minor, inv.currency)} "
                             f"{inv.currency} in {len(new)} installment(s) until "
                             f"{last_due.isoformat()}; {grace_days} days' grace",
                     on=start, invoice_id=inv.id, document_id=stored.id)
        audit(session, books, "plan.create", "invoice", inv.id,
              {"plan_id": plan.id, "spec": spec, "open_minor": open_minor})
        return PlanView(plan.id, inv.id, inv.number, plan.status, start,
                        from_minor(open_minor, inv.currency), inv.currency,
                        tuple(PlanInstallmentView(i.id, i.label, i.due_date,
                                                  from_minor(i.amount_minor, inv.currency))
                              for i in new), stored.id)


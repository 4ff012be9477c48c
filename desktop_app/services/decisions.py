"""Decisions a person makes about the follow-up: take a step that waits because it costs
more than it can bring (the other answer is a write-off). Light
to import (no PDF or mail machinery), so the window's invoice actions load quickly."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from desktop_app.domain.errors import NotFound, RuleViolation
from desktop_app.domain.followup import plan_for
from desktop_app.messages import N_, Word
from desktop_app.services import activity
from desktop_app.services.books import Books, audit
from desktop_app.services.changes import OpChanges, states
from desktop_app.services.followup.plan import PlannedAction, planned_view
from desktop_app.services.followup.state import load
from desktop_app.storage.models import FollowupApproval, Invoice


@states(OpChanges.FOLLOWUP)
def approve_step(books: Books, invoice_id: int, as_of: date) -> list[PlannedAction]:
    """Take the steps of the invoice that wait for a decision today; they go out with the
    next run, and the log says who decided."""
    with books.db.write() as session:
        inv = session.get(Invoice, invoice_id)
        if inv is None:
            raise NotFound("invoice", N_("no invoice with id {id}"), id=str(invoice_id))
        state = load(session, as_of, inv.customer_id)
        waiting = [a for a in plan_for(state.items, state.policies, as_of)
                   if a.invoice_id == invoice_id and a.suggest_write_off]
        if not waiting:
            raise RuleViolation(N_("nothing of invoice {invoice} waits for a decision on "
                                   "{day}"), invoice=str(inv.number or inv.id), day=as_of)
        for action in waiting:
            session.add(FollowupApproval(installment_id=action.installment_id,
                                         stage=action.stage, approved_on=as_of,
                                         actor=books.actor))
        stages = ", ".join(dict.fromkeys(a.stage.replace("_", " ") for a in waiting))
        activity.log(session, books, customer_id=inv.customer_id, kind="note",
                     message=N_("Decided to go ahead with the {stages} for {number} although it "
                                "costs more than it can bring"),
                     values={"stages": Word(stages), "number": inv.number or ""}, on=as_of,
                     invoice_id=inv.id)
        audit(session, books, "followup.approve", "invoice", inv.id,
              {"stages": [a.stage for a in waiting]})
        session.flush()
        return [planned_view(state, replace(a, suggest_write_off=False)) for a in waiting]

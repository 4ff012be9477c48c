"""The day's follow-up: what is due (the plan, nothing done) and carrying it out exactly once.

``plan_day`` only reads. ``run_day`` does, in one transaction: it settles promises and payment
plans, plans again under the follow-up lock (so two people running at once never do a stage
twice), records every stage under its once-only key, and queues emails, stores letters and
puts calls on the list. Letters of the day go into one PDF for one print job. With ``send``,
the outbox goes out afterwards, outside the transaction.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from desktop_app import files
from desktop_app.documents.merge import merge_pdfs
from desktop_app.domain.errors import PaidUpError, RuleViolation, ValidationError, clause
from desktop_app.domain.followup import Action, batches, claim_fees, plan_for
from desktop_app.domain.status import Lifecycle
from desktop_app.mail.account import Account
from desktop_app.messages import N_, Said, english
from desktop_app.services import activity, outbox, quote_followup
from desktop_app.services.books import Books, audit, the_company
from desktop_app.services.changes import OpChanges, states
from desktop_app.services.followup.carry_out import (
    RunContext,
    apply_side_effects,
    carry_email,
    carry_letter,
    carry_task,
    compose_email,
    prepare_dossiers,
    record_action,
)
from desktop_app.services.followup.plan import (
    PlannedAction,
    check_channels,
    plan_day,
    planned_view,
    select_actions,
)
from desktop_app.services.followup.reached_stage import refresh_reached
from desktop_app.services.followup.state import BookState, load
from desktop_app.services.mail import NOT_SET_UP, load_account
from desktop_app.services.quote_followup import LadderDone
from desktop_app.services.settlement import lift_credit_status, settle
from desktop_app.services.user_templates import letter_templates, mail_templates
from desktop_app.storage.models import (
    Customer,
    Invoice,
    Payment,
    PaymentPlanRow,
    Promise,
    Retainer,
    RetainerInvoice,
    WriteOff,
)

__all__ = ["BatchPreview", "CarriedOut", "PlannedAction", "RunReport", "carry_out", "plan_day",
           "preview_batch", "run_day"]
FOLLOWUP_LOCK = 7_201_117  # pg_advisory_xact_lock key: one follow-up run at a time


@dataclass(frozen=True)
class RunReport:
    as_of: date
    actions: tuple[PlannedAction, ...]
    emails_queued: tuple[int, ...]
    letters: int
    letters_path: str | None
    tasks: tuple[int, ...]
    promises_kept: tuple[int, ...]
    promises_broken: tuple[int, ...]
    plans_broken: tuple[int, ...]
    customers_on_hold: tuple[int, ...]
    waiting: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()  # customers whose part could not be carried out, and why
    # Each of ``failed`` as a message the window says in its language.
    failed_said: tuple[Said, ...] = field(default=(), compare=False, metadata={"window": True})
    sent: outbox.SendReport | None = None
    print_job: bytes = field(default=b"", repr=False)
    quotes: tuple[LadderDone, ...] = ()  # the quote follow-up steps of a whole day's run


@dataclass(frozen=True)
class BatchPreview:
    """One row of Today as it would go out, before anything is recorded or sent: the email
    (recipients, words, attached PDFs) or the letter's PDF."""

    channel: str
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    subject: str = ""
    body: str = ""
    attachments: tuple[tuple[str, bytes], ...] = ()  # (file name, PDF)
    letter: bytes = b""


def preview_batch(books: Books, as_of: date, *, customer_id: int, channel: str,
                  installment_ids: Collection[int] | None = None) -> BatchPreview:
    """What Send (or Print) would do for one customer and channel; nothing is kept."""
    check_channels([channel])
    with books.db.read() as session:
        state = load(session, as_of, customer_id)
        actions = select_actions(plan_for(state.items, state.policies, as_of), [channel],
                                 installment_ids)
        found = [b for b in batches(actions, state.policies) if b.channel == channel]
        if not found:
            raise RuleViolation(N_("nothing goes out by {channel} for this customer today"),
                                channel=channel)
        ctx = RunContext(session, books, as_of, the_company(session), state,
                         load_account(session), mail_templates(session),
                         dict(letter_templates(session)), store=False)
        batch = found[0]
        if channel == "email":
            email = compose_email(ctx, batch)
            return BatchPreview(channel, email.to, email.cc, email.subject, email.body,
                                tuple((a.filename, a.pdf) for a in email.attachments))
        if channel == "letter":
            carry_letter(ctx, batch)
            return BatchPreview(channel, letter=_print_job(ctx.to_print))
        raise ValidationError("channel", N_("only emails and letters can be previewed"))


def _lock(session: Session) -> None:
    """SQLite's BEGIN IMMEDIATE already lets one writer in; PostgreSQL needs a lock."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": FOLLOWUP_LOCK})


def _close_moot_promises(session: Session, books: Books, state: BookState, as_of: date
                         ) -> list[int]:
    """Promises nobody needs to watch any more: the invoice was settled (kept, when paid),
    voided or written off (closed), or a newer promise replaced an older one. Returns the
    kept ones."""
    judged = {p.id for p in state.promises}
    kept = []
    open_promises = session.execute(
        select(Promise, Invoice.customer_id, Invoice.state, Invoice.total_minor,
               Invoice.paid_minor, Invoice.written_off_minor)
        .join(Invoice, Invoice.id == Promise.invoice_id)
        .where(Promise.status == "open").order_by(Promise.id.desc())).all()
    seen: set[tuple[int, int | None]] = set()
    for promise, customer_id, inv_state, total, paid, written_off in open_promises:
        key = (promise.invoice_id, promise.installment_id)
        if key in seen:
            promise.status, promise.resolved_on = "replaced", as_of
            continue
        seen.add(key)
        owing = inv_state == Lifecycle.ISSUED and total - paid - written_off > 0
        if promise.id in judged or owing:
            continue
        promise.status = "kept" if inv_state == Lifecycle.ISSUED and paid >= total else "closed"
        promise.resolved_on = as_of
        if promise.status == "kept":
            kept.append(promise.id)
            activity.log(session, books, customer_id=customer_id,
                         kind="promise", message=N_("Promise to pay by {day} kept"),
                         values={"day": promise.promised_for}, on=as_of,
                         invoice_id=promise.invoice_id)
    return kept


def _settle(session: Session, books: Books, state: BookState, as_of: date
            ) -> tuple[list[int], list[int], list[int]]:
    """Store what the day decided about promises and plans; a broken promise puts the
    customer on cash only (no more goods on credit to someone who broke their word), once."""
    kept, broken, plans_broken = [], [], []
    kept += _close_moot_promises(session, books, state, as_of)
    for p in state.promises:
        if p.stored_status != "open" or p.outcome == "open":
            continue
        row = session.get(Promise, p.id)
        assert row is not None
        row.status = p.outcome
        row.resolved_on = p.broken_on if p.outcome == "broken" else as_of
        if p.outcome == "kept":
            kept.append(p.id)
            activity.log(session, books, customer_id=p.customer_id, kind="promise",
                         message=N_("Promise to pay by {day} kept"),
                         values={"day": p.promised_for},
                         on=as_of, invoice_id=p.invoice_id)
            continue
        broken.append(p.id)
        customer = session.get(Customer, p.customer_id)
        assert customer is not None
        customer.credit_status = "cash_only"
        activity.log(session, books, customer_id=p.customer_id, kind="promise",
                     message=N_("Promise to pay by {day} broken: customer set to cash only"),
                     values={"day": p.promised_for}, on=as_of, invoice_id=p.invoice_id)
        audit(session, books, "promise.broken", "invoice", p.invoice_id, {"promise_id": p.id})
    for plan in state.plans:
        if plan.stored_status == "active" and plan.missed_on is not None:
            plan_row = session.get(PaymentPlanRow, plan.id)
            assert plan_row is not None
            plan_row.status = "broken"
            plans_broken.append(plan.id)
            activity.log(session, books, customer_id=plan.customer_id, kind="plan",
                         message=N_("Payment plan broken: an installment was missed; "
                                    "reminders resume"), on=as_of, invoice_id=plan.invoice_id)
    return kept, broken, plans_broken


@dataclass
class CarriedOut:
    """What one pass over the plan did, inside the caller's transaction."""

    state: BookState
    actions: list[Action]
    context: RunContext
    waiting: list[str]
    on_hold: list[int]
    failed: list[Said] = field(default_factory=list)


def _runnable(actions: list[Action], mail_ready: bool, waiting: list[str]) -> list[Action]:
    """What can be carried out now, each channel on its own: a missing mail account holds
    back the emails only, never the letters. A step that costs more than it can bring waits
    for a decision; an email waits for the mail account while its letter goes now."""
    held = sum(a.suggest_write_off for a in actions)
    if held:
        waiting.append(f"{held} step(s) wait for your decision: each costs more than it can "
                       "bring; write the balance off or approve the step "
                       "('paidup-cli followup approve --invoice ID')")
    runnable = [a for a in actions if not a.suggest_write_off]
    if mail_ready:
        return runnable
    emails = sum("email" in a.channels for a in runnable)
    if emails:
        waiting.append(f"{emails} email(s) wait: {NOT_SET_UP}")
    return [narrowed for a in runnable
            if (narrowed := a.only([c for c in a.channels if c != "email"])) is not None]


def carry_out(session: Session, books: Books, as_of: date, *, customer_id: int | None = None,
              channels: Collection[str] | None = None,
              installment_ids: Collection[int] | None = None,
              past_account: Account | None = None) -> CarriedOut:
    """Plan again under the follow-up lock and carry out the chosen part, once. Each
    customer's part is its own savepoint: one customer's failure (a template that does not
    fill, an address the mail library refuses) is reported and stops nobody else's.

    ``past_account``: a day gone by is being replayed (the demo's history); its emails are
    written from this account and filed as sent that day, so nothing waits to go out."""
    check_channels(channels)
    _lock(session)
    company = the_company(session)
    state = load(session, as_of, customer_id)
    planned = select_actions(plan_for(state.items, state.policies, as_of), channels,
                             installment_ids)
    account = past_account or load_account(session)
    waiting: list[str] = []
    if customer_id is None and installment_ids is None:
        planned = _leave_on_today(session, state, planned, waiting)
    actions = claim_fees(_runnable(planned, account is not None, waiting), state.by_id,
                         state.policies)
    ctx = RunContext(session, books, as_of, company, state, account,
                     mail_templates(session), dict(letter_templates(session)),
                     past=past_account is not None)
    done: list[Action] = []
    failed: list[Said] = []
    for group in _by_customer(actions):
        customer = state.customers[group[0].customer_id]
        if bad := customer.unusable():
            waiting.append(f"{customer.name}: no mail can go to {', '.join(bad)}; correct "
                           "the address in the customer's details")
        try:
            _carry_customer(ctx, group)
        except PaidUpError as refused:
            failed.append(Said(N_("{customer}: nothing was done today, because {why}"),
                               {"customer": customer.name, "why": clause(refused)}))
            continue
        done.extend(group)
    refresh_reached(session, ctx.recorded)
    _settle_late_charges(session, books, as_of, done)
    on_hold = apply_side_effects(ctx, done)
    lift_credit_status(session, books, _held_customers(session, customer_id), as_of)
    return CarriedOut(state, done, ctx, waiting, on_hold, failed)


def _leave_on_today(session: Session, state: BookState, actions: list[Action],
                    waiting: list[str]) -> list[Action]:
    """The invoice of a retainer delivered to Today waits there for a person to look at it
    and send it: the day's run for everyone leaves its invoice stage alone. Today's Send (or
    a run for that customer) carries it out; a reminder that falls due before anyone did
    still takes the invoice with it, as for any invoice that never went out."""
    def invoice_stage(action: Action) -> bool:
        stage = state.policies[action.customer_id].on_issue
        return stage is not None and action.stage == stage.name

    on_issue = {a.invoice_id for a in actions if invoice_stage(a)}
    if not on_issue:
        return actions
    held = set(session.scalars(
        select(RetainerInvoice.invoice_id)
        .join(Retainer, Retainer.id == RetainerInvoice.retainer_id)
        .where(Retainer.deliver == "today", RetainerInvoice.invoice_id.in_(on_issue))))
    kept = [a for a in actions if not (invoice_stage(a) and a.invoice_id in held)]
    if held:
        waiting.append(f"{len(held)} retainer invoice(s) wait on Today for you to look at "
                       "and send")
    return kept


def _by_customer(actions: list[Action]) -> list[list[Action]]:
    grouped: dict[int, list[Action]] = {}
    for action in actions:
        grouped.setdefault(action.customer_id, []).append(action)
    return list(grouped.values())


def _carry_customer(ctx: RunContext, actions: list[Action]) -> None:
    """One customer's part of the day, in a savepoint: if anything of it is refused (a
    document that cannot be made, a message that cannot be composed), none of it is kept
    and the other customers' parts go ahead. What PaidUp did not expect is not a refusal:
    it undoes the whole run."""
    kept = ctx.mark()
    savepoint = ctx.session.begin_nested()
    try:
        for action in actions:
            record_action(ctx, action)
        for batch in batches(actions, ctx.state.policies):
            if batch.channel == "letter":
                carry_letter(ctx, batch)
            elif batch.channel == "email":
                carry_email(ctx, batch)
            else:
                carry_task(ctx, batch)
        prepare_dossiers(ctx, actions)
    except PaidUpError:
        savepoint.rollback()
        ctx.back_to(kept)
        raise
    savepoint.commit()


def _settle_late_charges(session: Session, books: Books, as_of: date, actions: list[Action]
                         ) -> None:
    """Charges booked today come after the money already booked for today and before; a
    payment dated later (a day replayed after the fact) must see them: replay those."""
    charged = {a.customer_id for a in actions if a.fee_covers or a.interest_minor}
    for customer_id in charged:
        later = session.scalar(select(func.count()).select_from(Payment).where(
            Payment.customer_id == customer_id, Payment.paid_on > as_of)) or session.scalar(
            select(func.count()).select_from(WriteOff).join(Invoice,
                                                            Invoice.id == WriteOff.invoice_id)
            .where(Invoice.customer_id == customer_id, WriteOff.written_on > as_of))
        if later:
            settle(session, books, customer_id,
                   why=Said(N_("the reminders of {day} came after them"), {"day": as_of}))


def _held_customers(session: Session, customer_id: int | None) -> list[int]:
    query = select(Customer.id).where(Customer.credit_status.in_(("hold", "cash_only")))
    if customer_id is not None:
        query = query.where(Customer.id == customer_id)
    return list(session.scalars(query))


@states(OpChanges.FOLLOWUP | OpChanges.CUSTOMERS | OpChanges.OUTBOX)
def run_day(books: Books, as_of: date, *, customer_id: int | None = None,
            channels: Collection[str] | None = None,
            installment_ids: Collection[int] | None = None,
            letters_path: Path | None = None, send: bool = False,
            past_account: Account | None = None) -> RunReport:
    """Carry out what is due (or the part of it chosen) once; see the module's words and,
    for ``past_account``, ``carry_out``'s."""
    check_channels(channels)
    with books.db.write() as session:
        _lock(session)
        kept, broken, plans_broken = _settle(session, books, load(session, as_of, customer_id),
                                             as_of)
        done = carry_out(session, books, as_of, customer_id=customer_id, channels=channels,
                         installment_ids=installment_ids, past_account=past_account)
        ctx = done.context
        whole_day = customer_id is None and channels is None and installment_ids is None
        quote_steps = quote_followup.follow_up(session, books, as_of) if whole_day else []
        print_job = _print_job(ctx.to_print)
        if letters_path is not None and print_job:
            _write(letters_path, print_job)
        audit(session, books, "followup.run", "followup", None, {
            "as_of": as_of, "actions": len(done.actions), "emails": len(ctx.emails),
            "letters": len(ctx.to_print), "tasks": len(ctx.tasks),
            "quote_steps": len(quote_steps)})
        report = RunReport(
            as_of=as_of, actions=tuple(planned_view(done.state, a) for a in done.actions),
            emails_queued=tuple(ctx.emails), letters=len(ctx.to_print),
            letters_path=str(letters_path) if letters_path and print_job else None,
            tasks=tuple(ctx.tasks), promises_kept=tuple(kept), promises_broken=tuple(broken),
            plans_broken=tuple(plans_broken), customers_on_hold=tuple(done.on_hold),
            waiting=tuple(done.waiting), failed=tuple(english(f) for f in done.failed),
            failed_said=tuple(done.failed), print_job=print_job,
            quotes=tuple(quote_steps))
    if send:
        report = replace(report, sent=outbox.send_due(books))
    return report


def _print_job(pdfs: list[bytes]) -> bytes:
    if not pdfs:
        return b""
    return merge_pdfs(pdfs, title="Letters") if len(pdfs) > 1 else pdfs[0]


def _write(path: Path, pdf: bytes) -> None:
    """Inside the transaction: if the file cannot be written, nothing is recorded either."""
    try:
        files.write_bytes(path, pdf)
    except OSError as exc:
        raise ValidationError("letters", N_("cannot write {path}: {reason}"), path=str(path),
                              reason=str(exc.strerror)) from None

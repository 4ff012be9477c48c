"""Carrying out a day's batches: the letter printed, the email queued, the call put on the
list, each written to the customer's log with the exact document that went out."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app import files
from desktop_app.documents import data as doc
from desktop_app.documents.dossier import render_dossier
from desktop_app.documents.einvoice.formats import Format, xml_filename
from desktop_app.documents.i18n import Lang
from desktop_app.documents.letters import STAGE_TITLES, render_letter
from desktop_app.documents.payment import payment_instructions_text
from desktop_app.domain.followup import Action, Batch, ItemState, Policy, reminders_before
from desktop_app.domain.interest import as_rate, first_interest_day
from desktop_app.domain.late_payment import LateCharges
from desktop_app.domain.money import from_minor
from desktop_app.mail.account import Account
from desktop_app.mail.email_templates import (
    DueItem,
    MailContext,
    MailTemplate,
    render,
    template_for,
)
from desktop_app.mail.message import Attachment, Mailbox
from desktop_app.messages import N_, Value, Word
from desktop_app.services import activity, outbox
from desktop_app.services.books import Books
from desktop_app.services.documents import (
    FINAL_NOTICE_DAYS,
    company_doc,
    dossier_doc,
    interest_calc,
    invoice_copies,
    letter_doc,
    store_document,
)
from desktop_app.services.followup.state import BookState, CustomerInfo
from desktop_app.storage.models import (
    CallTask,
    Charge,
    Company,
    Customer,
    FollowupRecord,
    Installment,
    Invoice,
    StoredDocument,
)
from desktop_app.storage.tables import CHARGE_OPEN_MINOR


@dataclass
class RunContext:
    session: Session
    books: Books
    as_of: date
    company: Company
    state: BookState
    account: Account | None
    mail_templates: dict[tuple[str, str], MailTemplate]
    letter_templates: dict[tuple[str, str], str]
    store: bool = True  # False: a preview, nothing kept
    past: bool = False  # a day gone by replayed (the demo's history): emails filed as sent
    to_print: list[bytes] = field(default_factory=list)
    emails: list[int] = field(default_factory=list)
    tasks: list[int] = field(default_factory=list)
    letters: dict[tuple[int, tuple[int, ...]], StoredDocument] = field(default_factory=dict)
    recorded: set[int] = field(default_factory=set)  # installments given a stage record

    def policy(self, customer_id: int) -> Policy:
        return self.state.policies[customer_id]

    def mark(self) -> tuple[int, int, int, frozenset[tuple[int, tuple[int, ...]]]]:
        """How far the day's collections go, to step back to if a customer's part fails."""
        return len(self.to_print), len(self.emails), len(self.tasks), frozenset(self.letters)

    def back_to(self, mark: tuple[int, int, int, frozenset[tuple[int, tuple[int, ...]]]]
                ) -> None:
        printed, emails, tasks, letters = mark
        del self.to_print[printed:], self.emails[emails:], self.tasks[tasks:]
        for key in set(self.letters) - letters:
            del self.letters[key]

    def customer(self, customer_id: int) -> CustomerInfo:
        return self.state.customers[customer_id]


def record_action(ctx: RunContext, action: Action) -> None:
    """Stage records (the once-only keys) and the charges the stage brings. The invoice
    going out (or being passed over) is written on every installment of the invoice: each
    one's friendly notes wait for it."""
    at = ctx.books.clock()
    on_issue = ctx.policy(action.customer_id).on_issue
    issue_name = on_issue.name if on_issue else None
    siblings: list[int] = []
    if issue_name in (action.stage, *action.skipped) or action.with_invoice:
        siblings = list(ctx.session.scalars(select(Installment.id).where(
            Installment.invoice_id == action.invoice_id,
            Installment.id != action.installment_id,
            ~select(FollowupRecord.id).where(
                FollowupRecord.installment_id == Installment.id,
                FollowupRecord.stage == issue_name).exists())))
    ctx.recorded.update((action.installment_id, *siblings))
    for name in action.skipped:
        for target in (action.installment_id, *(siblings if name == issue_name else ())):
            ctx.session.add(FollowupRecord(installment_id=target, stage=name,
                                           outcome="skipped", recorded_on=ctx.as_of, at=at,
                                           actor=ctx.books.actor, channels=""))
    existing = ctx.session.scalars(select(FollowupRecord).where(
        FollowupRecord.installment_id == action.installment_id,
        FollowupRecord.stage == action.stage)).first()
    if existing is None:
        for target in (action.installment_id,
                       *(siblings if action.stage == issue_name else ())):
            ctx.session.add(FollowupRecord(installment_id=target, stage=action.stage,
                                           outcome="done", recorded_on=ctx.as_of, at=at,
                                           actor=ctx.books.actor,
                                           channels=",".join(action.channels)))
    else:
        existing.channels = ",".join((*filter(None, existing.channels.split(",")),
                                      *action.channels))
    if action.with_invoice and issue_name is not None:
        # The invoice went out with this first reminder (attached, or printed with it).
        for target in (action.installment_id, *siblings):
            ctx.session.add(FollowupRecord(installment_id=target, stage=issue_name,
                                           outcome="done", recorded_on=ctx.as_of, at=at,
                                           actor=ctx.books.actor,
                                           channels=",".join(action.channels)))
    if action.fee_covers:
        # A claim even when nothing is charged now (once per invoice, charged before): if
        # that earlier fee is reversed, this reminder's stands in its place.
        ctx.session.add(Charge(installment_id=action.installment_id, kind="fee",
                               stage=action.stage, charged_on=ctx.as_of,
                               amount_minor=action.fee_minor, claimed_minor=action.fee_minor,
                               settled_minor=0, written_off_minor=0,
                               covers=json.dumps(list(action.fee_covers))))
    if action.interest_minor > 0:
        ctx.session.add(Charge(installment_id=action.installment_id, kind="interest",
                               stage=action.stage, charged_on=ctx.as_of,
                               amount_minor=action.interest_minor,
                               claimed_minor=action.interest_minor, settled_minor=0,
                               written_off_minor=0, covers=json.dumps([action.installment_id])))
    ctx.session.flush()


def _open_charges(ctx: RunContext, installment_ids: list[int]) -> dict[tuple[int, str], int]:
    rows = ctx.session.execute(
        select(Charge.installment_id, Charge.kind,
               func.sum(CHARGE_OPEN_MINOR))
        .where(Charge.installment_id.in_(installment_ids),
               Charge.replaced_by_plan_id.is_(None))
        .group_by(Charge.installment_id, Charge.kind))
    return {(iid, kind): int(total or 0) for iid, kind, total in rows}


def _letter(ctx: RunContext, batch: Batch) -> StoredDocument:
    """The batch's letter, rendered and stored once however many channels carry it."""
    key = (batch.customer_id, tuple(a.installment_id for a in batch.actions))
    if key in ctx.letters:
        return ctx.letters[key]
    stage = ctx.policy(batch.customer_id).stage(batch.stage)
    customer = ctx.session.get(Customer, batch.customer_id)
    assert customer is not None
    charges = _open_charges(ctx, [a.installment_id for a in batch.actions])
    items = []
    fee = 0
    for action in batch.actions:
        info = ctx.state.info[action.installment_id]
        item = ctx.state.by_id[action.installment_id]
        interest = charges.get((action.installment_id, "interest"), 0)
        fee += charges.get((action.installment_id, "fee"), 0)
        principal = item.open_minor + sum(minor for _, minor in item.settlements)
        calc = interest_calc(item.interest_rate, principal, item.settlements,
                             first_interest_day(item.due_date, item.grace_days), ctx.as_of,
                             interest) if interest else None
        items.append(doc.LetterItem(
            invoice_number=info.number, issue_date=item.issue_date, due_date=action.due_date,
            open_minor=action.open_minor,
            installment_label="" if info.label == "Payment" else info.label, interest=calc))
    template = ctx.letter_templates.get((stage.template_name, customer.language))
    first = ctx.state.by_id[batch.actions[0].installment_id]
    letter = letter_doc(ctx.company, customer, stage.template_name, ctx.as_of, items,
                        ctx.state.info[batch.actions[0].installment_id].currency, fee,
                        template, late=_late_charges(ctx, first),
                        reminders=_reminders_sent(ctx, batch),
                        enclosures=_enclosures(ctx, batch, stage.template_name))
    pdf = render_letter(letter)
    numbers = "-".join(dict.fromkeys(ctx.state.info[a.installment_id].number
                                     for a in batch.actions))
    filename = files.file_name(f"{stage.template_name}-{numbers}", ".pdf")
    if not ctx.store:
        return StoredDocument(filename=filename, pdf=pdf)  # shown, never kept
    stored = store_document(ctx.session, ctx.books, kind="letter", customer_id=batch.customer_id,
                            invoice_id=batch.actions[0].invoice_id, on=ctx.as_of,
                            filename=filename, pdf=pdf, stage=batch.stage)
    ctx.letters[key] = stored
    return stored


def _enclosures(ctx: RunContext, batch: Batch, template: str) -> list[bytes]:
    """What goes in the letter's envelope: an invoice that never went out, as issued (its
    first delivery is the original, not a copy); with a first reminder, a marked copy of
    each other invoice it names."""
    new = _invoice_copies(ctx, batch, only_new=True)
    enclosed = [original.pdf for original in new]
    if template == "reminder_1":
        sent = {original.invoice_id for original in new}
        enclosed += invoice_copies(ctx.session, [a.invoice_id for a in batch.actions
                                                 if a.invoice_id not in sent])
    return enclosed


def _late_charges(ctx: RunContext, item: ItemState) -> LateCharges:
    """The fee, its rule, the law of statutory terms and the rate as the invoice states
    them, for the letter to repeat."""
    return LateCharges(item.late_fee_minor, item.fee_rule,
                       ctx.state.info[item.installment_id].late_law,
                       as_rate(item.interest_rate))


def _reminders_sent(ctx: RunContext, batch: Batch) -> list[doc.ReminderSent]:
    """The written reminders the customer actually received about these items before
    (stages passed over are not among them), oldest first."""
    records = []
    for action in batch.actions:
        item = ctx.state.by_id[action.installment_id]
        records += [(stage, day, item.channels_done.get(stage, ()))
                    for stage, day in item.sent_on.items()]
    return [doc.ReminderSent(stage, day) for stage, day in reminders_before(
        ctx.policy(batch.customer_id), batch.stage, records)]


def _invoice_copies(ctx: RunContext, batch: Batch, *, only_new: bool = False
                    ) -> list[StoredDocument]:
    """The invoices' stored PDFs (``only_new``: of the invoices going out for the first time
    with this reminder)."""
    invoice_ids = list(dict.fromkeys(a.invoice_id for a in batch.actions
                                     if a.with_invoice or not only_new))
    rows = ctx.session.scalars(select(StoredDocument).where(
        StoredDocument.invoice_id.in_(invoice_ids), StoredDocument.kind == "invoice")
        .order_by(StoredDocument.id)).all()
    first: dict[int, StoredDocument] = {}
    for row in rows:
        first.setdefault(row.invoice_id or 0, row)
    return [first[i] for i in invoice_ids if i in first]


def _einvoice_copies(ctx: RunContext, batch: Batch, *, only_new: bool = False
                     ) -> list[StoredDocument]:
    """The XML e-invoices (XRechnung, Peppol) kept at issue, which go with the invoice PDF;
    a hybrid PDF is the invoice copy itself (``only_new``: as ``_invoice_copies``)."""
    invoice_ids = list(dict.fromkeys(a.invoice_id for a in batch.actions
                                     if a.with_invoice or not only_new))
    numbers = {a.invoice_id: ctx.state.info[a.installment_id].number for a in batch.actions}
    rows = ctx.session.scalars(select(StoredDocument).where(
        StoredDocument.invoice_id.in_(invoice_ids), StoredDocument.kind == "einvoice")
        .order_by(StoredDocument.id)).all()
    first: dict[int, StoredDocument] = {}
    for row in rows:  # the invoice's own, not a later credit note's
        number = numbers.get(row.invoice_id or 0, "")
        if row.stage and row.filename == xml_filename(Format(row.stage), number):
            first.setdefault(row.invoice_id or 0, row)
    return [first[i] for i in invoice_ids if i in first]


def _log(ctx: RunContext, batch: Batch, kind: str, message: str, values: dict[str, Value],
         document: StoredDocument | None) -> int | None:
    if not ctx.store:  # a preview writes nothing
        return None
    ids = []
    for invoice_id in dict.fromkeys(a.invoice_id for a in batch.actions):
        row = activity.log(ctx.session, ctx.books, customer_id=batch.customer_id, kind=kind,
                           message=message, values=values, on=ctx.as_of,
                           invoice_id=invoice_id,
                           document_id=document.id if document else None)
        ids.append(row.id)
    return ids[0]


def _numbers(ctx: RunContext, batch: Batch) -> str:
    return ", ".join(dict.fromkeys(ctx.state.info[a.installment_id].number
                                   for a in batch.actions))


def carry_letter(ctx: RunContext, batch: Batch) -> None:
    stage = ctx.policy(batch.customer_id).stage(batch.stage)
    if stage.anchor == "issue":  # the invoice itself goes by post
        for copy in _invoice_copies(ctx, batch):
            ctx.to_print.append(copy.pdf)
            _log(ctx, batch, "letter", N_("Invoice {name} printed for posting"),
                 {"name": copy.filename.removesuffix(".pdf")}, copy)
        return
    letter = _letter(ctx, batch)
    ctx.to_print.append(letter.pdf)
    title = STAGE_TITLES[doc.Stage(stage.template_name)]
    _log(ctx, batch, "letter", N_("{title} printed: {numbers}"),
         {"title": Word(title), "numbers": _numbers(ctx, batch)}, letter)
    for original in _invoice_copies(ctx, batch, only_new=True):
        # The invoice never went out: it is enclosed with the reminder (_enclosures).
        _log(ctx, batch, "letter", N_("Invoice {name} printed with the reminder"),
             {"name": original.filename.removesuffix(".pdf")}, original)


@dataclass(frozen=True)
class ComposedEmail:
    """An email exactly as it would go out: to whom, what it says, which PDFs it carries."""

    to: tuple[str, ...]
    cc: tuple[str, ...]
    subject: str
    body: str
    attachments: tuple[StoredDocument, ...]
    language: str


def compose_email(ctx: RunContext, batch: Batch) -> ComposedEmail:
    """Recipients by contact role (the stages say who gets it and who is copied), the words
    of the firmest stage, and the PDFs the stage attaches."""
    policy = ctx.policy(batch.customer_id)
    stages = [policy.stage(a.stage) for a in batch.actions]
    top = policy.stage(batch.stage)
    customer = ctx.customer(batch.customer_id)
    to_roles = tuple(dict.fromkeys(r for s in stages for r in s.to_roles))
    cc_roles = tuple(dict.fromkeys(r for s in stages for r in s.cc_roles))
    to = customer.emails(to_roles)
    cc = tuple(e for e in customer.emails(cc_roles) if e not in to) if cc_roles else ()
    contact = customer.contact(to_roles)
    currency = ctx.state.info[batch.actions[0].installment_id].currency
    company = company_doc(ctx.company)
    t = Lang(customer.language if customer.language in doc.LANGUAGES else "en",
             customer.language)
    numbers = _numbers(ctx, batch)
    attached: list[StoredDocument] = []
    if "invoice" in top.attach:
        # The XML first: the log links the email to its last attachment, the invoice PDF.
        attached += _einvoice_copies(ctx, batch)
        attached += _invoice_copies(ctx, batch)
    else:  # an invoice that never went out goes with its first reminder
        attached += _einvoice_copies(ctx, batch, only_new=True)
        attached += _invoice_copies(ctx, batch, only_new=True)
    if "letter" in top.attach and top.anchor != "issue":
        attached.append(_letter(ctx, batch))
    context = MailContext(
        customer_name=customer.name, company_name=ctx.company.name,
        company_email=ctx.company.email, company_phone=ctx.company.phone,
        payment_instructions=payment_instructions_text(company, t, numbers),
        items=[DueItem(ctx.state.info[a.installment_id].number, a.due_date,
                       from_minor(a.open_minor, currency), currency) for a in batch.actions],
        as_of=ctx.as_of, contact_name=contact.name if contact else "",
        deadline=ctx.as_of + timedelta(days=FINAL_NOTICE_DAYS)
        if top.template_name in ("final_notice", "handover") else None,
        attachments=tuple(a.filename for a in attached),
        previous_reminder=max((r.sent_on for r in _reminders_sent(ctx, batch)), default=None),
    )
    mail = render(template_for(ctx.mail_templates, top.template_name, customer.language),
                  context)
    return ComposedEmail(to, cc, mail.subject, mail.body, tuple(attached), customer.language)


def carry_email(ctx: RunContext, batch: Batch) -> None:
    assert ctx.account is not None
    email = compose_email(ctx, batch)
    activity_id = _log(ctx, batch, "email", N_("Email to {to}: {subject}"),
                       {"to": ", ".join(email.to), "subject": email.subject},
                       email.attachments[-1] if email.attachments else None)
    row = outbox.queue(
        ctx.session, ctx.books, account=ctx.account, customer_id=batch.customer_id,
        to=[Mailbox(address) for address in email.to],
        cc=[Mailbox(address) for address in email.cc], subject=email.subject,
        body=email.body, attachments=[Attachment(a.filename, a.pdf) for a in email.attachments],
        language=email.language, activity_id=activity_id,
        installment_ids=[a.installment_id for a in batch.actions],
        read_receipt=_asks_read_receipt(ctx, batch), filed_as_sent=ctx.past)
    ctx.emails.append(row.id)


def _asks_read_receipt(ctx: RunContext, batch: Batch) -> bool:
    """An email that carries the invoice for the first time asks for a read receipt when
    the customer's setting says so, or, without one, the mail account's (seed 003)."""
    assert ctx.account is not None
    policy = ctx.policy(batch.customer_id)
    carries_invoice = policy.stage(batch.stage).anchor == "issue" or any(
        a.with_invoice for a in batch.actions)
    wanted = ctx.customer(batch.customer_id).read_receipt
    return carries_invoice and (ctx.account.read_receipt if wanted is None else wanted)


def carry_task(ctx: RunContext, batch: Batch) -> None:
    """A call or another task goes on the list once and stays until its outcome is logged."""
    stage = ctx.policy(batch.customer_id).stage(batch.stage)
    customer = ctx.customer(batch.customer_id)
    for action in batch.actions:
        task = CallTask(installment_id=action.installment_id, customer_id=batch.customer_id,
                        stage=action.stage, channel=batch.channel, created_on=ctx.as_of,
                        note="", next_step="")
        ctx.session.add(task)
        ctx.session.flush()
        ctx.tasks.append(task.id)
        number = ctx.state.info[action.installment_id].number
        if batch.channel == "call":
            contact = customer.contact(stage.to_roles)
            who = " ".join(x for x in (contact.name, contact.phone) if x) if contact \
                else customer.phone or customer.name
            values: dict[str, Value] = {"who": who}
            message = N_("Call {who} about invoice {number}")
        else:
            message = N_("{stage}: invoice {number}")
            values = {"stage": Word(stage.name.replace("_", " ").capitalize())}
        activity.log(ctx.session, ctx.books, customer_id=batch.customer_id,
                     kind="call" if batch.channel == "call" else "task", message=message,
                     values={**values, "number": number}, on=ctx.as_of,
                     invoice_id=action.invoice_id)


def apply_side_effects(ctx: RunContext, actions: list[Action]) -> list[int]:
    """Stages that put the customer on hold do so once (never lifting cash only)."""
    held = []
    by_customer: dict[int, list[Action]] = defaultdict(list)
    for action in actions:
        by_customer[action.customer_id].append(action)
    for customer_id, group in by_customer.items():
        policy = ctx.policy(customer_id)
        if not any(policy.stage(a.stage).hold_customer for a in group):
            continue
        customer = ctx.session.get(Customer, customer_id)
        if customer is not None and customer.credit_status == "good":
            customer.credit_status = "hold"
            held.append(customer_id)
            activity.log(ctx.session, ctx.books, customer_id=customer_id, kind="credit",
                         message=N_("Put on hold: no further deliveries on credit until paid"),
                         on=ctx.as_of, invoice_id=group[0].invoice_id)
    return held


def prepare_dossiers(ctx: RunContext, actions: list[Action]) -> None:
    """A handover stage puts the whole file together once per invoice, for the lawyer or
    agency: every document sent, the log and a statement."""
    for invoice_id, stage in dict.fromkeys((a.invoice_id, a.stage) for a in actions
                                           if ctx.policy(a.customer_id).stage(a.stage).dossier):
        exists = ctx.session.scalars(select(StoredDocument.id).where(
            StoredDocument.invoice_id == invoice_id, StoredDocument.kind == "dossier",
            StoredDocument.stage == stage)).first()
        if exists is not None:
            continue
        inv = ctx.session.get(Invoice, invoice_id)
        assert inv is not None
        pdf = render_dossier(dossier_doc(ctx.session, ctx.company, inv, ctx.as_of))
        stored = store_document(ctx.session, ctx.books, kind="dossier",
                                customer_id=inv.customer_id, invoice_id=inv.id, on=ctx.as_of,
                                filename=files.file_name(f"dossier-{inv.number}", ".pdf"),
                                pdf=pdf, stage=stage)
        activity.log(ctx.session, ctx.books, customer_id=inv.customer_id, kind="document",
                     message=N_("Dossier for the handover of invoice {number} prepared"),
                     values={"number": inv.number or ""},
                     on=ctx.as_of, invoice_id=inv.id, document_id=stored.id)

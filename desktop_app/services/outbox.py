"""The outbox: messages stored before any network traffic, sent later, never twice unasked.

A message is queued in the same transaction as the follow-up action that made it. Sending is
three steps, so that only the first and the last touch the books, each as a short
transaction: ``claim_next`` takes one due message (one conditional UPDATE to ``sending``, so
two senders, even two PaidUps on the same books, never take the same message) and hands back
everything the network needs; ``deliver_claim`` talks to the server with no books at all (the
window runs it beside the books' thread); ``record`` commits the outcome. A sender that dies
in between leaves ``sending``; once its lease has run out, or its process is gone from this
computer, the next sender finds it and, since SMTP cannot say whether it arrived, marks it
``unknown`` for a person to decide. A resend keeps the Message-ID, so the customer's mail
program can recognise a duplicate.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, and_, func, or_, select, update
from sqlalchemy.orm import Session

from desktop_app.domain.errors import NotFound, PaidUpError, RuleViolation
from desktop_app.mail.account import Account
from desktop_app.mail.credentials import PasswordProvider
from desktop_app.mail.delivery import CONNECTION_PROBLEM, DeliveryResult, deliver
from desktop_app.mail.message import (
    Attachment,
    Mailbox,
    build_message,
    envelope_recipients,
    message_bytes,
)
from desktop_app.mail.outbox import (
    OutboxEntry,
    OutboxState,
    confirm_arrived,
    confirm_resend,
    record_outcome,
    recover_after_crash,
    state_word,
)
from desktop_app.mail.sent_folder import ImapSettings, file_in_sent
from desktop_app.messages import N_
from desktop_app.services import activity
from desktop_app.services.books import Books, audit
from desktop_app.services.changes import OpChanges, states
from desktop_app.services.mail import load_sent_folder, require_account, secret_provider
from desktop_app.storage.models import (
    Installment,
    Invoice,
    InvoiceHold,
    OutboxMessage,
)
from desktop_app.storage.tables import OPEN_INSTALLMENT

log = logging.getLogger(__name__)
# A sender that has not finished within this time is taken for dead, wherever it ran.
LEASE = timedelta(minutes=15)
DUE_STATES = (OutboxState.QUEUED.value, OutboxState.RETRYING.value)


@dataclass(frozen=True)
class OutboxView:
    id: int
    message_id: str
    state: str
    subject: str
    recipients: tuple[str, ...]
    customer_id: int | None
    created_at: datetime
    attempts: int
    last_error: str
    sent_at: datetime | None
    next_attempt_at: datetime | None


@dataclass
class SendReport:
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    unknown: list[int] = field(default_factory=list)
    recovered: list[int] = field(default_factory=list)
    error: str = ""  # why nothing could be sent at all (no account, no keyring ...)
    not_filed: list[str] = field(default_factory=list)  # Sent-folder copies that failed
    dropped: list[int] = field(default_factory=list)  # no longer wanted: paid, held, void


def queue(session: Session, books: Books, *, account: Account, customer_id: int | None,
          to: Sequence[Mailbox], cc: Sequence[Mailbox], subject: str, body: str,
          attachments: Sequence[Attachment], language: str,
          activity_id: int | None, installment_ids: Sequence[int] = (),
          read_receipt: bool = False, filed_as_sent: bool = False) -> OutboxMessage:
    """Build the exact bytes and store them, in the caller's transaction. ``filed_as_sent``:
    a message of days gone by (the demo's history) is kept as sent then, so that no sender
    ever takes it."""
    msg = build_message(account=account, to=to, cc=cc, subject=subject, body=body,
                        sent_at=books.clock(), attachments=attachments, language=language,
                        read_receipt=read_receipt)
    state = OutboxState.SENT if filed_as_sent else OutboxState.QUEUED
    row = OutboxMessage(
        message_id=msg["Message-ID"], customer_id=customer_id, state=state.value,
        subject=subject, envelope_from=account.from_address,
        recipients=json.dumps(envelope_recipients(msg)), raw=message_bytes(msg),
        created_at=books.clock(), attempts=0, last_error="", activity_id=activity_id,
        installments=json.dumps(list(installment_ids)),
        sent_at=books.clock() if filed_as_sent else None,
    )
    session.add(row)
    session.flush()
    return row


def _claim_token() -> str:
    """Who holds a claim: this computer and process (so that a dead sender on this computer is
    seen at once) and a nonce (so that two senders in one process never share a claim)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def _sender_is_gone(sending_by: str | None) -> bool:
    """True when the sender ran on this computer and its process no longer exists."""
    host, _, rest = (sending_by or "").partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _entry(row: OutboxMessage) -> OutboxEntry:
    return OutboxEntry(row.message_id, OutboxState(row.state), row.attempts,
                       row.next_attempt_at, row.last_error)


@states(OpChanges.OUTBOX)
def recover_interrupted(books: Books) -> list[int]:
    """Messages whose sender died mid-send become ``unknown``: a person decides."""
    now = books.clock()
    recovered = []
    with books.db.write() as session:
        rows = session.scalars(select(OutboxMessage).where(
            OutboxMessage.state == OutboxState.SENDING.value))
        for row in rows:
            lease_over = row.next_attempt_at is not None and _aware(row.next_attempt_at) < now
            if not (lease_over or _sender_is_gone(row.sending_by)):
                continue
            entry = recover_after_crash(_entry(row))
            row.state, row.last_error, row.sending_by = entry.state.value, entry.last_error, None
            row.next_attempt_at = None
            recovered.append(row.id)
            audit(session, books, "outbox.unknown", "outbox", row.id,
                  {"message_id": row.message_id})
    return recovered


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _due_ids(session: Session, now: datetime, limit: int | None) -> list[int]:
    stmt = (select(OutboxMessage.id).where(or_(
        OutboxMessage.state == OutboxState.QUEUED.value,
        and_(OutboxMessage.state == OutboxState.RETRYING.value,
             or_(OutboxMessage.next_attempt_at.is_(None),
                 OutboxMessage.next_attempt_at <= now))))
        .order_by(OutboxMessage.id))
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def _drop_if_moot(books: Books, message_id: int) -> bool:
    """A reminder that waited (offline, retrying) while everything it asks for was paid,
    written off, disputed, paused or voided is not sent after all; the log says so."""
    with books.db.write() as session:
        row = session.get(OutboxMessage, message_id)
        if row is None or row.state not in DUE_STATES:
            return False
        installment_ids = json.loads(row.installments or "[]")
        if not installment_ids:
            return False
        still_open = session.scalars(
            select(Installment.id).join(Invoice, Invoice.id == Installment.invoice_id)
            .where(Installment.id.in_(installment_ids), OPEN_INSTALLMENT,
                   ~select(InvoiceHold.id).where(InvoiceHold.invoice_id == Invoice.id,
                                                 InvoiceHold.released_on.is_(None)).exists())
        ).first()
        if still_open is not None:
            return False
        if row.customer_id is not None:
            activity.log(session, books, customer_id=row.customer_id, kind="email",
                         message=N_("Not sent, no longer needed: {subject}"),
                         values={"subject": row.subject},
                         on=books.clock().date())
        audit(session, books, "outbox.dropped", "outbox", row.id,
              {"message_id": row.message_id, "subject": row.subject})
        session.delete(row)
        return True


@dataclass(frozen=True)
class Claim:
    """One message taken for sending, with all that the network step needs: plain values,
    no session, no books, so that it can travel to another thread."""

    id: int
    message_id: str
    subject: str
    raw: bytes
    envelope_from: str
    recipients: tuple[str, ...]
    token: str  # the claim's holder, as stored in ``sending_by``
    was: OutboxState  # queued or retrying: where a claim never tried goes back to
    was_next_attempt: datetime | None
    account: Account
    provider: PasswordProvider
    sent_folder: ImapSettings | None
    clock: Callable[[], datetime]


@dataclass(frozen=True)
class Delivery:
    """What the network step heard: the server's answer, and why the Sent-folder copy (if
    one was asked for) could not be filed."""

    result: DeliveryResult
    not_filed: str = ""


@states(OpChanges.OUTBOX)
def begin_round(books: Books) -> SendReport:
    """Start a round of sending: what a dead sender left becomes ``unknown``; a round without
    a usable account says why in ``error`` and sends nothing."""
    report = SendReport(recovered=recover_interrupted(books))
    with books.db.read() as session:
        try:
            secret_provider(session, require_account(session))
        except PaidUpError as exc:
            report.error = str(exc)
    return report


@states(OpChanges.OUTBOX)
def claim_next(books: Books, report: SendReport) -> Claim | None:
    """Take the oldest due message for this sender, or None when nothing is due.

    Reminders no longer needed are dropped on the way (noted in ``report``); a message
    another sender took first is passed over.
    """
    passed: set[int] = set()
    while True:
        with books.db.read() as session:
            account = require_account(session)
            provider = secret_provider(session, account)
            sent_folder = load_sent_folder(session)
            ids = [i for i in _due_ids(session, books.clock(), len(passed) + 20)
                   if i not in passed]
        if not ids:
            return None
        for message_id in ids:
            if _drop_if_moot(books, message_id):
                report.dropped.append(message_id)
                continue
            claim = _take(books, message_id, account, provider, sent_folder)
            if claim is not None:
                return claim
            passed.add(message_id)


def _take(books: Books, message_id: int, account: Account, provider: PasswordProvider,
          sent_folder: ImapSettings | None) -> Claim | None:
    """Mark one message ``sending`` if nobody else has: the UPDATE's WHERE decides, in one
    write transaction with the read of what was claimed."""
    token = _claim_token()
    with books.db.write() as session:
        before = session.execute(
            select(OutboxMessage.state, OutboxMessage.next_attempt_at)
            .where(OutboxMessage.id == message_id)).first()
        taken = cast("CursorResult[Any]", session.execute(  # an UPDATE's result has rowcount
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.state.in_(DUE_STATES))
            .values(state=OutboxState.SENDING.value, attempts=OutboxMessage.attempts + 1,
                    next_attempt_at=books.clock() + LEASE, sending_by=token)
        )).rowcount
        if taken != 1 or before is None:
            return None
        row = session.get(OutboxMessage, message_id)
        assert row is not None
        return Claim(row.id, row.message_id, row.subject, row.raw, row.envelope_from,
                     tuple(json.loads(row.recipients)), token, OutboxState(before.state),
                     before.next_attempt_at, account, provider, sent_folder, books.clock)


def deliver_claim(claim: Claim) -> Delivery:
    """The network step: one SMTP transaction, then the Sent-folder copy if it went out.
    Touches no books, so it may run on any thread."""
    try:
        result = deliver(claim.raw, claim.envelope_from, claim.recipients, claim.account,
                         claim.provider)
    except PaidUpError as exc:  # stored so that it cannot go out (an address, say)
        result = DeliveryResult(OutboxState.FAILED, str(exc))
    if result.outcome is not OutboxState.SENT or claim.sent_folder is None:
        return Delivery(result)
    try:
        file_in_sent(claim.raw, claim.message_id, claim.clock(), claim.sent_folder,
                     claim.provider)
    except PaidUpError as exc:
        log.warning("sent-folder copy of message %s not filed: %s", claim.id, exc)
        return Delivery(result, f"{claim.subject}: {exc}")
    return Delivery(result)


@states(OpChanges.OUTBOX)
def record(books: Books, claim: Claim, delivery: Delivery | None,
           report: SendReport) -> OutboxState:
    """Commit what the network step heard, and note it in ``report``. ``delivery`` None: the
    network step never ran (the window closed first), so the claim is given back."""
    with books.db.write() as session:
        row = session.get(OutboxMessage, claim.id)
        if delivery is None:
            return _give_back(row, claim)
        if row is None or row.state != OutboxState.SENDING.value or \
                row.sending_by != claim.token:
            return _record_late(session, books, row, claim, delivery.result, report)
        entry = record_outcome(_entry(row), delivery.result.outcome, delivery.result.reason,
                               books.clock())
        row.state, row.last_error = entry.state.value, entry.last_error
        row.next_attempt_at, row.sending_by = entry.next_attempt, None
        if entry.state is OutboxState.SENT:
            row.sent_at = books.clock()
        audit(session, books, f"outbox.{entry.state.value}", "outbox", row.id,
              {"message_id": row.message_id, "reason": entry.last_error})
    getattr(report, entry.state.value).append(claim.id)
    if delivery.not_filed:
        report.not_filed.append(delivery.not_filed)
    return entry.state


def _give_back(row: OutboxMessage | None, claim: Claim) -> OutboxState:
    """A claim whose message never left goes back to waiting as it was."""
    if row is None or row.sending_by != claim.token:
        return OutboxState(row.state) if row is not None else claim.was
    row.state, row.next_attempt_at = claim.was.value, claim.was_next_attempt
    row.attempts, row.sending_by = row.attempts - 1, None
    return claim.was


def _record_late(session: Session, books: Books, row: OutboxMessage | None, claim: Claim,
                 result: DeliveryResult, report: SendReport) -> OutboxState:
    """The claim ran out before the server answered, and the message was marked ``unknown``
    meanwhile (or a person decided already). A delivery heard now still answers the
    question ``unknown`` asks; anything else is left as the person or the other sender made
    it."""
    log.warning("message %s: the answer came after its claim had run out", claim.id)
    if row is None:
        return claim.was
    if row.state == OutboxState.UNKNOWN.value and result.outcome is OutboxState.SENT:
        entry = confirm_arrived(_entry(row))
        row.state, row.last_error, row.sent_at = entry.state.value, "", books.clock()
        audit(session, books, "outbox.sent", "outbox", row.id,
              {"message_id": row.message_id, "reason": result.reason})
        report.sent.append(row.id)
    return OutboxState(row.state)


@states(OpChanges.OUTBOX)
def send_due(books: Books, *, limit: int | None = None,
             progress: Callable[[int, int], None] | None = None,
             cancelled: Callable[[], bool] | None = None) -> SendReport:
    """Send what is due, oldest first, here and now (the command line). Safe to call from
    two processes at once."""
    report = begin_round(books)
    if report.error:
        return report
    with books.db.read() as session:
        total = len(_due_ids(session, books.clock(), limit))
    done = 0
    while limit is None or done < limit:
        if cancelled is not None and cancelled():
            break
        claim = claim_next(books, report)
        if claim is None:
            break
        record(books, claim, deliver_claim(claim), report)
        done += 1
        if progress is not None:
            progress(done, max(total, done))
    return report


def _require(session: Session, outbox_id: int) -> OutboxMessage:
    row = session.get(OutboxMessage, outbox_id)
    if row is None:
        raise NotFound("message", N_("no message with id {id} in the outbox"),
                       id=str(outbox_id))
    return row


@states(OpChanges.OUTBOX)
def resend(books: Books, outbox_id: int) -> OutboxView:
    """A person asks to send an ``unknown`` or ``failed`` message again (same Message-ID)."""
    with books.db.write() as session:
        row = _require(session, outbox_id)
        entry = confirm_resend(_entry(row))
        row.state, row.attempts, row.next_attempt_at = entry.state.value, 0, None
        audit(session, books, "outbox.resend", "outbox", row.id, {"message_id": row.message_id})
        return _view(row)


@states(OpChanges.OUTBOX)
def mark_arrived(books: Books, outbox_id: int) -> OutboxView:
    """A person checked that an ``unknown`` message did arrive."""
    with books.db.write() as session:
        row = _require(session, outbox_id)
        entry = confirm_arrived(_entry(row))
        row.state, row.last_error, row.sent_at = entry.state.value, "", books.clock()
        audit(session, books, "outbox.arrived", "outbox", row.id,
              {"message_id": row.message_id})
        return _view(row)


@states(OpChanges.OUTBOX)
def discard(books: Books, outbox_id: int) -> None:
    """Drop a message that has not gone out (queued, failed, unknown): a person decided."""
    with books.db.write() as session:
        row = _require(session, outbox_id)
        if row.state in (OutboxState.SENDING.value, OutboxState.SENT.value):
            raise RuleViolation(N_("message {id} is {state}; it cannot be discarded"),
                                id=str(outbox_id), state=state_word(row.state))
        audit(session, books, "outbox.discard", "outbox", row.id,
              {"message_id": row.message_id, "state": row.state})
        session.delete(row)


def list_outbox(books: Books, states: Sequence[str] | None = None, limit: int = 500
                ) -> list[OutboxView]:
    with books.db.read() as session:
        stmt = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
        if states:
            stmt = stmt.where(OutboxMessage.state.in_(list(states)))
        return [_view(row) for row in session.scalars(stmt)]


def message_bytes_of(books: Books, outbox_id: int) -> bytes:
    """The stored message exactly as it goes out (for a preview)."""
    with books.db.read() as session:
        return _require(session, outbox_id).raw


@dataclass(frozen=True)
class OutboxStatus:
    """The status line's words: how many wait, how many need a person, and whether the last
    attempt could not reach the server at all."""

    queued: int
    retrying: int
    failed: int
    unknown: int
    offline: bool
    last_error: str


def status(books: Books) -> OutboxStatus:
    found = counts(books)
    with books.db.read() as session:
        last = session.scalars(
            select(OutboxMessage.last_error).where(
                OutboxMessage.state == OutboxState.RETRYING.value)
            .order_by(OutboxMessage.next_attempt_at.desc()).limit(1)).first()
    return OutboxStatus(found["queued"], found["retrying"], found["failed"], found["unknown"],
                        offline=bool(last and last.startswith(CONNECTION_PROBLEM)),
                        last_error=last or "")


def counts(books: Books) -> dict[str, int]:
    """How many messages are in each state: the status line's figures."""
    with books.db.read() as session:
        rows = session.execute(select(OutboxMessage.state, func.count())
                               .group_by(OutboxMessage.state))
        found = {state: int(n) for state, n in rows}
    return {state.value: found.get(state.value, 0) for state in OutboxState}


def _view(row: OutboxMessage) -> OutboxView:
    return OutboxView(row.id, row.message_id, row.state, row.subject,
                      tuple(json.loads(row.recipients)), row.customer_id, row.created_at,
                      row.attempts, row.last_error, row.sent_at, row.next_attempt_at)

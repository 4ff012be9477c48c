"""The outbox: messages stored before any network traffic, sent later, never twice unasked.

A message is queued in the same transaction as the follow-up action that made it. Sending
takes it (one conditional UPDATE, so two senders never take the same message), commits
``sending``, talks to the server, and commits the outcome. A process that dies in between
leaves ``sending``; the next sender finds it and, since SMTP cannot say whether it arrived,
marks it ``unknown`` for a person to decide. A resend keeps the Message-ID, so the customer's
mail program can recognise a duplicate.
"""

from __future__ import annotations

import json
import logging
import os
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from desktop_app.domain.errors import NotFound, PaidUpError, RuleViolation
from desktop_app.mail.account import Account
from desktop_app.mail.credentials import PasswordProvider
from desktop_app.mail.delivery import CONNECTION_PROBLEM, deliver
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
)
from desktop_app.mail.sent_folder import ImapSettings, file_in_sent
from desktop_app.services import activity
from desktop_app.services.books import Books, audit
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
          read_receipt: bool = False) -> OutboxMessage:
    """Build the exact bytes and store them, in the caller's transaction."""
    msg = build_message(account=account, to=to, cc=cc, subject=subject, body=body,
                        sent_at=books.clock(), attachments=attachments, language=language,
                        read_receipt=read_receipt)
    row = OutboxMessage(
        message_id=msg["Message-ID"], customer_id=customer_id, state=OutboxState.QUEUED.value,
        subject=subject, envelope_from=account.from_address,
        recipients=json.dumps(envelope_recipients(msg)), raw=message_bytes(msg),
        created_at=books.clock(), attempts=0, last_error="", activity_id=activity_id,
        installments=json.dumps(list(installment_ids)),
    )
    session.add(row)
    session.flush()
    return row


def _me() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _sender_is_gone(sending_by: str | None) -> bool:
    """True when the sender ran on this computer and its process no longer exists."""
    host, _, pid = (sending_by or "").rpartition(":")
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
                         summary=f"Not sent, no longer needed: {row.subject}",
                         on=books.clock().date())
        audit(session, books, "outbox.dropped", "outbox", row.id,
              {"message_id": row.message_id, "subject": row.subject})
        session.delete(row)
        return True


def _take(books: Books, message_id: int, now: datetime) -> OutboxMessage | None:
    """Mark one message ``sending`` if nobody else has: the UPDATE's WHERE decides."""
    with books.db.write() as session:
        taken = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.state.in_(DUE_STATES))
            .values(state=OutboxState.SENDING.value, attempts=OutboxMessage.attempts + 1,
                    next_attempt_at=now + LEASE, sending_by=_me())
        ).rowcount
        if taken != 1:
            return None
        row = session.get(OutboxMessage, message_id)
        assert row is not None
        session.expunge(row)
        return row


def send_due(books: Books, *, limit: int | None = None,
             progress: Callable[[int, int], None] | None = None,
             cancelled: Callable[[], bool] | None = None) -> SendReport:
    """Send what is due, oldest first. Safe to call from two processes at once."""
    report = SendReport(recovered=recover_interrupted(books))
    with books.db.read() as session:
        try:
            account = require_account(session)
            provider = secret_provider(session, account)
        except PaidUpError as exc:
            report.error = str(exc)
            return report
        sent_folder = load_sent_folder(session)
        ids = _due_ids(session, books.clock(), limit)
    for done, message_id in enumerate(ids, start=1):
        if cancelled is not None and cancelled():
            break
        if _drop_if_moot(books, message_id):
            report.dropped.append(message_id)
            continue
        row = _take(books, message_id, books.clock())
        if row is None:
            continue
        result = deliver(row.raw, row.envelope_from, json.loads(row.recipients), account,
                         provider)
        final = _record(books, row, result.outcome, result.reason)
        getattr(report, final.value).append(row.id)
        if final is OutboxState.SENT and sent_folder is not None:
            _file_copy(row, sent_folder, provider, books.clock(), report)
        if progress is not None:
            progress(done, len(ids))
    return report


def _file_copy(row: OutboxMessage, settings: ImapSettings, provider: PasswordProvider,
               now: datetime, report: SendReport) -> None:
    """A copy for the user's own mail program; the message itself went out either way."""
    try:
        file_in_sent(row.raw, row.message_id, now, settings, provider)
    except PaidUpError as exc:
        log.warning("sent-folder copy of message %s not filed: %s", row.id, exc)
        report.not_filed.append(f"{row.subject}: {exc}")


def _record(books: Books, taken: OutboxMessage, outcome: OutboxState, reason: str
            ) -> OutboxState:
    now = books.clock()
    with books.db.write() as session:
        row = session.get(OutboxMessage, taken.id)
        assert row is not None
        entry = record_outcome(_entry(row), outcome, reason, now)
        row.state, row.last_error = entry.state.value, entry.last_error
        row.next_attempt_at, row.sending_by = entry.next_attempt, None
        if entry.state is OutboxState.SENT:
            row.sent_at = now
        audit(session, books, f"outbox.{entry.state.value}", "outbox", row.id,
              {"message_id": row.message_id, "reason": entry.last_error})
        return entry.state


def _require(session: Session, outbox_id: int) -> OutboxMessage:
    row = session.get(OutboxMessage, outbox_id)
    if row is None:
        raise NotFound("message", f"no message with id {outbox_id} in the outbox")
    return row


def resend(books: Books, outbox_id: int) -> OutboxView:
    """A person asks to send an ``unknown`` or ``failed`` message again (same Message-ID)."""
    with books.db.write() as session:
        row = _require(session, outbox_id)
        entry = confirm_resend(_entry(row))
        row.state, row.attempts, row.next_attempt_at = entry.state.value, 0, None
        audit(session, books, "outbox.resend", "outbox", row.id, {"message_id": row.message_id})
        return _view(row)


def mark_arrived(books: Books, outbox_id: int) -> OutboxView:
    """A person checked that an ``unknown`` message did arrive."""
    with books.db.write() as session:
        row = _require(session, outbox_id)
        entry = confirm_arrived(_entry(row))
        row.state, row.last_error, row.sent_at = entry.state.value, "", books.clock()
        audit(session, books, "outbox.arrived", "outbox", row.id,
              {"message_id": row.message_id})
        return _view(row)


def discard(books: Books, outbox_id: int) -> None:
    """Drop a message that has not gone out (queued, failed, unknown): a person decided."""
    with books.db.write() as session:
        row = _require(session, outbox_id)
        if row.state in (OutboxState.SENDING.value, OutboxState.SENT.value):
            raise RuleViolation(f"message {outbox_id} is {row.state}; it cannot be discarded")
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
                        offline=bool(last) and last.startswith(CONNECTION_PROBLEM),
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

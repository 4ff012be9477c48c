"""The demo tells one story: every follow-up step it says was done has its log entry and the
document that went out, nothing waits in the outbox, and its numbers are gapless. It speaks
the language it was asked for, and one stopped halfway leaves nothing behind."""

from __future__ import annotations

import json
import secrets
from collections import defaultdict
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import func, select

from desktop_app.services import activity, demo_data, demo_story, outbox, quotes, retainers
from desktop_app.services.books import Books, open_books, the_company
from desktop_app.services.demo import DemoCounts, fill_demo
from desktop_app.services.documents import dossier_doc
from desktop_app.services.followup.calls import open_tasks
from desktop_app.storage.models import (
    Activity,
    AuditEntry,
    CallTask,
    Company,
    Contact,
    CreditNote,
    Customer,
    FollowupRecord,
    Installment,
    Invoice,
    InvoiceLine,
    OutboxMessage,
    PaymentTermsRow,
    Quote,
    QuoteStep,
    StoredDocument,
)
from desktop_app.window_words import catalogue
from tests.support import postgres
from tests.support.books import fixed_clock, fixed_day

AS_OF = date(2026, 11, 23)
RUSSIAN = catalogue("ru").gettext  # the demo's words, in a script no English word shares


@pytest.fixture(scope="module", params=[
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
])
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[tuple[Books, DemoCounts]]:
    """One demo per database for the module (the tests only read it; living its months
    through the services takes most of a minute on PostgreSQL)."""
    base = tmp_path_factory.mktemp("demo")
    server = name = ""
    with pytest.MonkeyPatch.context() as patch:  # as _isolated_app_folders does per test
        for folder in ("DATA", "CONFIG", "LOG"):
            patch.setenv(f"PAIDUP_{folder}_DIR", str(base / folder.lower()))
        if request.param == "sqlite":
            url = str(base / "books.sqlite3")
        else:
            server = request.getfixturevalue("pg_server_url")
            name = f"paidup_demo_{secrets.token_hex(4)}"
            url = postgres.create_database(server, name)
        books = open_books(url, actor="tester", clock=fixed_clock, today=fixed_day)
        try:
            yield books, fill_demo(books, as_of=AS_OF, invoices=60, words=RUSSIAN)
        finally:
            books.close()
            if server:
                postgres.drop_database(server, name)


def _gapless(numbers: list[str]) -> bool:
    by_year: dict[str, list[int]] = defaultdict(list)
    for number in numbers:
        *_, year, seq = number.split("-")
        by_year[year].append(int(seq))
    return all(sorted(s) == list(range(1, len(s) + 1)) for s in by_year.values())


def test_every_step_the_demo_recorded_was_done_and_kept(demo):
    books, counts = demo
    assert counts.by_status["paid"] and counts.by_status["issued"] and counts.by_status["void"]
    with books.db.read() as session:
        records = session.execute(
            select(FollowupRecord, Installment.invoice_id)
            .join(Installment, Installment.id == FollowupRecord.installment_id)
            .where(FollowupRecord.outcome == "done")).all()
        logged: dict[tuple[int, date, str], list[Activity]] = defaultdict(list)
        for entry in session.scalars(select(Activity).where(Activity.invoice_id.is_not(None))):
            logged[(entry.invoice_id, entry.happened_on, entry.kind)].append(entry)
        invoice_of = dict(session.execute(select(Installment.id, Installment.invoice_id)).all())
        mailed: dict[int, list[OutboxMessage]] = defaultdict(list)  # by invoice
        for message in session.scalars(select(OutboxMessage)):
            for installment_id in json.loads(message.installments):
                mailed[invoice_of[installment_id]].append(message)
        documents = {d.id: d for d in session.scalars(select(StoredDocument))}
        calls_made = {(t.installment_id, t.stage): t for t in session.scalars(select(CallTask))}
        assert len(records) > 100  # months of follow-up
        stages = {r.stage for r, _ in records}
        assert {"invoice", "reminder_1", "call", "reminder_2", "final_notice"} <= stages
        for record, invoice_id in records:
            assert record.recorded_on < AS_OF  # the day itself is left to the user
            for channel in record.channels.split(","):
                entries = logged[(invoice_id, record.recorded_on, channel)]
                assert entries, (record.stage, channel, invoice_id, record.recorded_on)
                if channel == "letter":
                    assert any(e.document_id in documents for e in entries), record.stage
                elif channel == "email":
                    mails = [m for m in mailed[invoice_id]
                             if m.sent_at and m.sent_at.date() == record.recorded_on]
                    assert mails and all(m.state == "sent" for m in mails), record.stage
                elif channel == "call":
                    task = calls_made[(record.installment_id, record.stage)]
                    assert task.outcome in ("reached", "no_answer")
        # Nothing the demo made waits to go out, and no call of the past is left open.
        waiting = outbox.counts(books)
        assert waiting["queued"] == waiting["retrying"] == waiting["sending"] == 0
        assert waiting["sent"] > 50
        assert all(task.created_on >= AS_OF for task in open_tasks(books))
        numbers = list(session.scalars(select(Invoice.number).where(Invoice.number.is_not(None))))
        assert _gapless(numbers)
        assert _gapless(list(session.scalars(select(CreditNote.number))))
        assert _gapless(list(session.scalars(select(Quote.number))))


def test_a_second_reminder_is_in_the_invoices_dossier_and_log(demo):
    books, _counts = demo
    with books.db.read() as session:
        invoice_id, day = session.execute(
            select(Installment.invoice_id, FollowupRecord.recorded_on)
            .join(FollowupRecord, FollowupRecord.installment_id == Installment.id)
            .where(FollowupRecord.stage == "reminder_2", FollowupRecord.outcome == "done")
            .order_by(FollowupRecord.id)).first()
        inv = session.get(Invoice, invoice_id)
        number, customer_id = inv.number, inv.customer_id
        dossier = dossier_doc(session, the_company(session), inv, AS_OF)
    letters = [c for c in dossier.copies if c.kind == "letter" and c.stage == "reminder_2"]
    assert letters and letters[0].sent_on == day and number in letters[0].reference
    assert any(e.on == day and e.kind == "letter" for e in dossier.activity)
    assert any(e.on == day and e.kind == "email" for e in dossier.activity)
    timeline = activity.timeline(books, customer_id)
    assert any(e.invoice_id == invoice_id and e.happened_on == day for e in timeline)


def test_the_demo_has_quotes_and_a_retainer(demo):
    books, _counts = demo
    status = {q.status for q in quotes.list_quotes(books, AS_OF)}
    assert {"accepted", "expired"} <= status and status & {"open", "sent"}
    [retainer] = retainers.list_retainers(books)
    assert len(retainer.invoiced) >= 2


def test_the_demo_speaks_the_language_it_was_asked_for(demo):
    books, _counts = demo
    russian = {RUSSIAN(m): m for m in (
        *(t.name for t in demo_data.TERMS), demo_data.INSTRUCTIONS,
        *(row[0] for row in demo_data.CATALOG), *(row[1] for row in demo_data.OTHER_CONTACTS),
        *(text for call in demo_story.CALLS for text in call[1:]), *demo_story.QUOTE_NOTES,
        demo_story.CANCELLED, demo_story.HANDED_ON)}
    assert all(said != english for said, english in russian.items())  # all translated
    with books.db.read() as session:
        written = [
            *session.scalars(select(PaymentTermsRow.name)),
            *session.scalars(select(PaymentTermsRow.instructions)),
            *session.scalars(select(InvoiceLine.description)),
            *session.scalars(select(Contact.name).where(Contact.role != "billing")),
            *session.scalars(select(CallTask.note).where(CallTask.note != "")),
            *session.scalars(select(CallTask.next_step).where(CallTask.next_step != "")),
            *session.scalars(select(QuoteStep.note).where(QuoteStep.note != "")),
            *session.scalars(select(CreditNote.reason)),
        ]
    assert len(written) > 100 and not [w for w in written if w not in russian]
    assert set(russian) <= set(written)  # every word of the demo was used


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # and on PostgreSQL:
def test_a_demo_stopped_halfway_leaves_nothing_behind(books):     # test_one_transaction
    class Stopped(Exception):
        pass

    def progress(day: int, days: int) -> None:
        if day == 30:  # invoices issued, paid and reminded
            raise Stopped

    with pytest.raises(Stopped):
        fill_demo(books, as_of=AS_OF, invoices=60, progress=progress)
    with books.db.read() as session:
        for table in (Company, PaymentTermsRow, Customer, Invoice, Quote, Activity,
                      StoredDocument, OutboxMessage, FollowupRecord, AuditEntry):
            assert session.scalar(select(func.count()).select_from(table)) == 0, table

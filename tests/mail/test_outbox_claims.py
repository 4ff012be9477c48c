"""Claims on the outbox: two senders on the same books send each message once; a sender that
dies between its claim and its result leaves the message for a person to decide (never lost,
never sent again unasked); a claim that never reached the network is given back."""

from __future__ import annotations

import email
import subprocess
import sys
import threading
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from email import policy
from pathlib import Path

import pytest

from desktop_app.mail.outbox import OutboxState
from desktop_app.services import company, customers, invoices, mail, outbox, terms
from desktop_app.services.books import Books, open_books
from desktop_app.services.followup import run as followup

from .servers import PASSWORD, USER, Server

ROOT = Path(__file__).resolve().parents[2]
D0 = date(2026, 1, 5)
LATE = D0 + timedelta(days=35)
NOW = datetime(2026, 2, 9, 8, 0, tzinfo=UTC)


def books_owing(books: Books, count: int, port: int, ca_file: Path) -> list[int]:
    """A company, its mail account and ``count`` customers each owed a reminder, queued."""
    company.set_company(books, name="Lindenhof GmbH", currency="EUR", email=USER,
                        iban="DE89 3704 0044 0532 0130 00", address="Lindenstr. 1\nBerlin")
    terms.add_terms(books, "Net 30", net_days=30, make_default=True)
    mail.set_account(books, host="127.0.0.1", port=port, security="starttls", user=USER,
                     from_address=USER, ca_file=str(ca_file), password=PASSWORD)
    for n in range(1, count + 1):
        customer = customers.add_customer(books, credit_granted=True, name=f"Customer {n}",
                                          email=f"ap{n}@customer{n}.example")
        draft = invoices.create_draft(books, invoices.DraftInput(
            customer.id, [f"Work {n}|1|{100 + n}.00|19"])).id
        invoices.issue_invoice(books, draft, D0)
    queued = list(followup.run_day(books, LATE, channels=("email",)).emails_queued)
    assert len(queued) == count
    return queued


def arrived(server: Server) -> Counter[str]:
    return Counter(
        email.message_from_bytes(e.original_content, policy=policy.default)["Message-ID"]
        for e in server.handler.envelopes)


def rows_by_id(books: Books) -> dict[int, outbox.OutboxView]:
    return {row.id: row for row in outbox.list_outbox(books)}


@pytest.fixture
def clocked(db_url):
    """Books whose clock the test moves, and a second opening of the same books: another
    PaidUp on the same file or database."""
    now = [NOW]
    first = open_books(db_url, actor="first", clock=lambda: now[0])
    second = open_books(db_url, actor="second", clock=lambda: now[0])
    yield first, second, now
    second.close()
    first.close()


def test_two_senders_on_the_same_books_send_each_message_once(
        clocked, memory_keyring, server_tls, ca_file):
    first, second, _ = clocked
    with Server(server_tls) as server:
        queued = books_owing(first, 12, server.port, ca_file)
        start = threading.Barrier(2)
        reports: dict[str, outbox.SendReport] = {}

        def sender(name: str, books: Books) -> None:
            start.wait()
            reports[name] = outbox.send_due(books)

        threads = [threading.Thread(target=sender, args=(name, books))
                   for name, books in (("first", first), ("second", second))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        got = arrived(server)
    sent_first, sent_second = reports["first"].sent, reports["second"].sent
    assert not set(sent_first) & set(sent_second)
    assert sorted(sent_first + sent_second) == queued
    rows = rows_by_id(first)
    assert {rows[i].state for i in queued} == {"sent"}
    assert {rows[i].attempts for i in queued} == {1}
    assert got == Counter({rows[i].message_id: 1 for i in queued})


def test_a_claimed_message_is_not_claimed_again(clocked, memory_keyring, ca_file):
    first, second, _ = clocked
    queued = books_owing(first, 2, 25, ca_file)
    one = outbox.claim_next(first, outbox.SendReport())
    other = outbox.claim_next(second, outbox.SendReport())
    assert one is not None and other is not None
    assert (one.id, other.id) == tuple(queued)
    assert outbox.claim_next(first, outbox.SendReport()) is None
    assert outbox.claim_next(second, outbox.SendReport()) is None
    assert {row.state for row in outbox.list_outbox(first)} == {"sending"}


CLAIM_AND_DIE = """
import os, sys
from datetime import datetime
from desktop_app.services import outbox
from desktop_app.services.books import open_books
books = open_books(sys.argv[1], actor="doomed", clock=lambda: datetime.fromisoformat(sys.argv[2]))
claim = outbox.claim_next(books, outbox.SendReport())
print(claim.id, flush=True)
os._exit(0)  # dies holding the claim: no result, no clean-up
"""


def test_a_sender_that_dies_holding_a_claim_leaves_the_message_for_a_person(
        clocked, memory_keyring, server_tls, ca_file):
    books, _, _ = clocked
    with Server(server_tls) as server:
        queued = books_owing(books, 2, server.port, ca_file)
        died = subprocess.run([sys.executable, "-c", CLAIM_AND_DIE, books.db.url.render_as_string(
            hide_password=False), NOW.isoformat()], cwd=ROOT, capture_output=True, text=True,
            timeout=120, check=True)
        claimed = int(died.stdout.split()[-1])
        assert claimed == queued[0]
        before = rows_by_id(books)[claimed]
        assert before.state == "sending"

        # The next round: the dead sender's message waits for a person; the other goes out.
        report = outbox.send_due(books)
        assert report.recovered == [claimed] and report.sent == [queued[1]]
        row = rows_by_id(books)[claimed]
        assert row.state == "unknown" and "stopped while sending" in row.last_error
        assert row.message_id == before.message_id
        assert outbox.send_due(books).sent == []  # unknown is never resent unasked
        assert arrived(server)[row.message_id] == 0

        # A person asks for it again: it goes out once, under the same Message-ID.
        outbox.resend(books, claimed)
        assert outbox.send_due(books).sent == [claimed]
        got = arrived(server)
    assert got[before.message_id] == 1 and sum(got.values()) == 2
    assert rows_by_id(books)[claimed].state == "sent"


def test_a_claim_whose_lease_ran_out_is_decided_and_a_late_answer_still_counts(
        clocked, memory_keyring, server_tls, ca_file):
    """A sender on another computer cannot be asked whether it still lives: its claim holds
    for the lease, then the message is ``unknown``. If its answer comes after all and says
    the server took the message, that settles the question."""
    slow, other, now = clocked
    with Server(server_tls) as server:
        (queued,) = books_owing(slow, 1, server.port, ca_file)
        claim = outbox.claim_next(slow, outbox.SendReport())
        assert claim is not None
        assert outbox.begin_round(other).recovered == []  # within the lease: still held
        now[0] += outbox.LEASE + timedelta(minutes=1)
        assert outbox.begin_round(other).recovered == [queued]
        assert rows_by_id(other)[queued].state == "unknown"

        late = outbox.SendReport()
        assert outbox.record(slow, claim, outbox.deliver_claim(claim), late) is OutboxState.SENT
        assert late.sent == [queued]
        assert sum(arrived(server).values()) == 1
    row = rows_by_id(other)[queued]
    assert (row.state, row.last_error) == ("sent", "")


def test_a_claim_that_never_reached_the_network_goes_back_as_it_was(
        clocked, memory_keyring, server_tls, ca_file):
    books, _, _ = clocked
    with Server(server_tls) as server:
        (queued,) = books_owing(books, 1, server.port, ca_file)
        claim = outbox.claim_next(books, outbox.SendReport())
        assert claim is not None
        assert outbox.record(books, claim, None, outbox.SendReport()) is OutboxState.QUEUED
        row = rows_by_id(books)[queued]
        assert (row.state, row.attempts) == ("queued", 0)
        assert outbox.send_due(books).sent == [queued]
        assert sum(arrived(server).values()) == 1


def test_a_message_that_cannot_go_out_as_stored_fails_with_the_reason(
        clocked, memory_keyring, ca_file):
    """Refused before any connection (an address the check no longer accepts): recorded as
    failed with the reason, not left 'sending' with its claim held."""
    books, _, _ = clocked
    (queued,) = books_owing(books, 1, 25, ca_file)
    claim = outbox.claim_next(books, outbox.SendReport())
    assert claim is not None
    broken = replace(claim, recipients=("accounts at example",))
    report = outbox.SendReport()
    assert outbox.record(books, claim, outbox.deliver_claim(broken), report) \
        is OutboxState.FAILED
    row = rows_by_id(books)[queued]
    assert row.state == "failed" and "recipients" in row.last_error
    assert report.failed == [queued]

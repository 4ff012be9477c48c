"""paidup-cli as whole processes with the real Secret Service: a sender killed mid-batch, and
the password looked for in every file the app wrote."""

from __future__ import annotations

import asyncio
import base64
import email
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date, timedelta
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session

from desktop_app.services import company, customers, invoices, mail, outbox, terms
from desktop_app.services.books import open_books

from .servers import PASSWORD, USER, Handler, Server

pytestmark = pytest.mark.keyring
ROOT = Path(__file__).resolve().parents[2]
D0 = date(2026, 1, 5)
DAY5 = D0 + timedelta(days=35)


class SlowHandler(Handler):
    """Takes its time over each message, so a batch is still going when the sender dies."""

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        await asyncio.sleep(0.2)
        return await super().handle_DATA(server, session, envelope)


def cli_process(db: Path, *args: str, stdin: str = "") -> subprocess.Popen:
    """paidup-cli in its own process; the environment (app folders, D-Bus session with the
    keyring) is the test's."""
    return subprocess.Popen([sys.executable, "-m", "desktop_app.cli", "--db", str(db), *args],
                            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def run_cli(db: Path, *args: str, stdin: str = "") -> tuple[str, str]:
    proc = cli_process(db, *args)
    out, err = proc.communicate(stdin, timeout=300)
    assert proc.returncode == 0, err
    return out, err


def books_owing(db: Path, customers_count: int, port: int, ca_file: Path) -> None:
    """A company, its mail account (password to the keyring) and one overdue invoice for
    each customer, built through the services."""
    books = open_books(db)
    try:
        company.set_company(books, name="Lindenhof GmbH", currency="EUR", email=USER,
                            address="Lindenstr. 1\n10969 Berlin",
                            iban="DE89 3704 0044 0532 0130 00")
        terms.add_terms(books, "Net 30", net_days=30, make_default=True)
        mail.set_account(books, host="127.0.0.1", port=port, security="starttls", user=USER,
                         from_address=USER, ca_file=str(ca_file), password=PASSWORD)
        for n in range(1, customers_count + 1):
            customer = customers.add_customer(books, credit_granted=True, name=f"Customer {n}",
                                              email=f"ap{n}@customer{n}.example")
            inv = invoices.create_draft(books, invoices.DraftInput(
                customer.id, [f"Work {n}|1|{100 + n}.00|19"])).id
            invoices.issue_invoice(books, inv, D0)
    finally:
        books.close()


def test_a_sender_killed_mid_batch_delivers_each_reminder_once_or_leaves_it_unknown(
        tmp_path, server_tls, ca_file):
    db = tmp_path / "books.sqlite3"
    with Server(server_tls, handler=SlowHandler()) as server:
        books_owing(db, 30, server.port, ca_file)
        run_cli(db, "--as-of", DAY5.isoformat(), "followup", "run", "--channel", "email")
        sender = cli_process(db, "outbox", "--retry")
        deadline = time.monotonic() + 120
        while len(server.handler.envelopes) < 8 and time.monotonic() < deadline:
            time.sleep(0.05)
        sender.send_signal(signal.SIGKILL)
        sender.communicate(timeout=30)
        assert sender.returncode == -signal.SIGKILL
        before_restart = len(server.handler.envelopes)
        assert 8 <= before_restart < 30
        # The next start: whatever was in flight waits as unknown; the rest goes out.
        run_cli(db, "outbox", "--retry")
        time.sleep(0.5)  # let the server finish a message the killed sender had handed over
        arrived = Counter(
            email.message_from_bytes(e.original_content, policy=policy.default)["Message-ID"]
            for e in server.handler.envelopes)
    books = open_books(db)
    try:
        rows = outbox.list_outbox(books)
    finally:
        books.close()
    assert len(rows) == 30
    states = Counter(r.state for r in rows)
    assert set(states) <= {"sent", "unknown"} and states["unknown"] <= 1
    assert max(arrived.values()) == 1  # nothing was sent twice
    assert set(arrived) <= {r.message_id for r in rows}  # nor under a new Message-ID
    for row in rows:
        if row.state == "sent":
            assert arrived[row.message_id] == 1
        else:
            assert arrived[row.message_id] <= 1 and "stopped while sending" in row.last_error


def test_the_password_is_in_no_file_the_app_wrote(tmp_path, server_tls, ca_file):
    db = tmp_path / "books.sqlite3"
    with Server(server_tls) as server:
        books_owing(db, 2, server.port, ca_file)
        outputs = [run_cli(db, "mail", "set", "--host", "127.0.0.1", "--port",
                           str(server.port), "--security", "starttls", "--user", USER,
                           "--from", USER, "--ca-file", str(ca_file), "--password-stdin",
                           stdin=PASSWORD + "\n")]
        outputs.append(run_cli(db, "mail", "test"))
        outputs.append(run_cli(db, "--as-of", DAY5.isoformat(), "followup", "run", "--send",
                               "--letters", str(tmp_path / "letters.pdf")))
        outputs.append(run_cli(db, "--json", "outbox"))
        outputs.append(run_cli(db, "backup"))
        assert len(server.handler.envelopes) == 2
        wrong = cli_process(db, "mail", "set", "--host", "127.0.0.1", "--port",
                            str(server.port), "--security", "starttls", "--user",
                            "nobody@example.com", "--from", USER, "--password-stdin")
        outputs.append(wrong.communicate("not-the-password\n", timeout=60))
        outputs.append(cli_process(db, "mail", "test").communicate(timeout=60))
    forms = [PASSWORD.encode(), base64.b64encode(PASSWORD.encode()),
             base64.b64encode(f"\0{USER}\0{PASSWORD}".encode())]
    folders = [tmp_path, *(Path(os.environ[name]) for name in
                           ("PAIDUP_DATA_DIR", "PAIDUP_CONFIG_DIR", "PAIDUP_LOG_DIR"))]
    files = {p for folder in folders if folder.exists() for p in folder.rglob("*")
             if p.is_file()}
    assert any(p.name.startswith("books.sqlite3") for p in files)
    assert any(p.suffix == ".log" for p in files) and any("backups" in p.parts for p in files)
    for path in files:
        data = path.read_bytes()
        for form in forms:
            assert form not in data, f"the password is in {path}"
    for out, err in outputs:
        assert PASSWORD not in out and PASSWORD not in err

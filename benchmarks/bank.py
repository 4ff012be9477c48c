"""A month's statement against the big book: 10,000 transfers read, matched and booked.

The statement is written from the book's own open invoices, as customers pay: most quote the
invoice's creditor reference or number with the amount open (booked on import), some pay
part of it, some come from an account the books know without a reference, some from no one
the books know. Each run imports into a fresh copy of the book, so each books the same.
"""

from __future__ import annotations

import random
import shutil
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from benchmarks.report import Figure, seconds
from tests.support.statements import Transfer, camt

TRANSFERS = 10_000
BUDGET = 5.0


def statement(book: Path, as_of: date, count: int = TRANSFERS) -> tuple[bytes, dict[str, int]]:
    """camt.053 of ``count`` transfers from the book's open invoices, and its mix."""
    from desktop_app.services.books import open_books
    from desktop_app.storage import tables

    books = open_books(book)
    inv, f, i = tables.invoices, tables.followup_records, tables.installments
    handed = select(i.c.invoice_id).join(f, f.c.installment_id == i.c.id).where(
        f.c.stage == "handover")
    try:
        with books.db.read_rows() as conn:
            rows = list(conn.execute(select(
                inv.c.number, inv.c.payment_reference, inv.c.customer_name,
                inv.c.total_minor - inv.c.paid_minor - inv.c.written_off_minor,
                inv.c.issue_date, inv.c.id.in_(handed).label("handed"))
                .where(inv.c.state == "issued",
                       inv.c.total_minor > inv.c.paid_minor + inv.c.written_off_minor)
                .order_by(inv.c.id)))
    finally:
        books.close()
    pick = random.Random(19)
    pick.shuffle(rows)
    # Customers pay what is still theirs to pay; an invoice handed to an agency is paid
    # there, so those come last (and wait, if the file reaches them).
    rows.sort(key=lambda r: r.handed)
    mix = {"reference": 0, "number": 0, "partial": 0, "unknown": 0}
    transfers = []
    for k in range(count):
        number, reference, name, open_minor, issued, _handed = rows[k % len(rows)]
        day = max(as_of - timedelta(days=k % 28), issued)  # paid after it was issued
        amount = Decimal(open_minor).scaleb(-2)
        kind = pick.choices(list(mix), weights=(60, 20, 10, 10))[0]
        if k >= len(rows):  # an invoice paid twice in the file: the second waits
            kind = "partial"
        mix[kind] += 1
        iban = f"DE{k % 97:02d}{k:018d}"
        if kind == "reference" and reference:
            transfers.append(Transfer(f"{amount}", day, name=name, iban=iban, ref=reference))
        elif kind in ("reference", "number"):
            transfers.append(Transfer(f"{amount}", day, name=name, iban=iban,
                                      text=f"Rechnung {number}"))
        elif kind == "partial":
            transfers.append(Transfer(f"{(amount / 2).quantize(Decimal('0.01'))}", day,
                                      name=name, iban=iban, text=f"Teilzahlung {number}"))
        else:
            transfers.append(Transfer("123.45", day, name="Unbekannt", iban=iban,
                                      text="Sammelueberweisung"))
    return camt(transfers), mix


def figure(book: Path, as_of: date, work: Path, runs: int) -> Figure:
    from desktop_app.services import bank
    from desktop_app.services.books import open_books

    data, mix = statement(book, as_of)
    times, cpu, results = [], [], []
    for k in range(runs):
        copy = work / f"bank-{k}.sqlite3"
        shutil.copy(book, copy)
        books = open_books(copy)
        books.today = lambda: as_of
        try:
            start, used = time.perf_counter(), time.process_time()
            results.append(bank.import_statement(books, data, "month.xml"))
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - used)  # what a busy machine does not inflate
        finally:
            books.close()
            for old in work.glob(f"{copy.name}*"):
                old.unlink()
    took = statistics.median(times)
    last = results[-1]
    return Figure(f"bank import of {TRANSFERS:,} transfers (camt.053, "
                  f"{len(data) / 1e6:.1f} MB): read, matched, {last.booked:,} booked, "
                  f"{last.waiting:,} waiting", seconds(took),
                  f"mix: {', '.join(f'{n:,} {k}' for k, n in mix.items())}; CPU in the "
                  f"process: {seconds(statistics.median(cpu))}",
                  f"{took / BUDGET:.2f} x budget", "under 5 s", took < BUDGET)

"""The figures that need no window: the demo load, the day's plan, the aging report, letters
and an invoice as PDF. Each returns a ``Figure`` with its budget verdict."""

from __future__ import annotations

import statistics
import time
from datetime import date
from pathlib import Path

from benchmarks.report import Figure, seconds
from benchmarks.timing import median_process_time, median_times, process_time, side_by_side


def cli(bin_dir: Path, book: Path, as_of: date, *args: str) -> list[str | Path]:
    return [bin_dir / "paidup-cli", "--db", book, "--as-of", as_of.isoformat(), *args]


def demo(bin_dir: Path, work: Path, as_of: date, invoices: int, runs: int) -> tuple[Path,
                                                                                   Figure]:
    """``demo --invoices N`` as a whole process; the first run's book is the one measured."""
    times = []
    book = work / "book.sqlite3"
    for k in range(runs):
        target = book if k == 0 else work / f"scratch-{k}.sqlite3"
        for old in work.glob(f"{target.name}*"):
            old.unlink()
        times.append(process_time(cli(bin_dir, target, as_of, "demo", "--invoices",
                                      str(invoices))))
        if k:
            for old in work.glob(f"{target.name}*"):
                old.unlink()
    took = statistics.median(times)
    return book, Figure(f"`demo --invoices {invoices}`", seconds(took), "—",
                        f"{took / 60:.2f} x budget", "under 60 s", took < 60)


def plan_in_process(book: Path, as_of: date, runs: int) -> Figure:
    from desktop_app.services.books import open_books
    from desktop_app.services.followup.plan import plan_day

    books = open_books(book)
    try:
        plan_day(books, as_of)  # first use: mappers configured, pages cached
        took, cpu = median_times(lambda: plan_day(books, as_of), runs)
    finally:
        books.close()
    return Figure("the day's plan, in the process", seconds(took), f"CPU time: {seconds(cpu)}",
                  f"{took / 0.2:.2f} x budget", "under 200 ms", took < 0.2)


def plan_process(bin_dir: Path, book: Path, as_of: date, runs: int) -> Figure:
    took = median_process_time(cli(bin_dir, book, as_of, "followup", "plan"), runs)
    return Figure("`paidup-cli followup plan`, whole process", seconds(took), "—",
                  f"{took / 1.5:.2f} x budget", "under 1.5 s", took < 1.5)


def aging_process(bin_dir: Path, book: Path, as_of: date, runs: int) -> Figure:
    took = median_process_time(cli(bin_dir, book, as_of, "report", "aging"), runs)
    return Figure("`paidup-cli report aging`, whole process", seconds(took), "—",
                  f"{took / 1.0:.2f} x budget", "under 1 s", took < 1.0)


def letters(book: Path, as_of: date, count: int, runs: int) -> Figure:
    """PaidUp's letters beside the same letters from HTML by WeasyPrint, in turns."""
    from benchmarks.documents import overdue_letters
    from benchmarks.html_letters import render_letters_html
    from desktop_app.documents.letters import render_letters
    from desktop_app.services.books import open_books

    books = open_books(book)
    try:
        batch = overdue_letters(books, as_of, count)
    finally:
        books.close()
    render_letters(batch[:1])  # both sides load their fonts before the clock runs
    render_letters_html(batch[:1])
    ours, peer = side_by_side(lambda: render_letters(batch), lambda: render_letters_html(batch),
                              runs)
    return Figure(f"{count} reminder letters into one PDF", seconds(ours),
                  f"WeasyPrint from HTML: {seconds(peer)}", f"{peer / ours:.1f} x faster",
                  "at least 10 x faster", peer / ours >= 10)


def invoice(book: Path, as_of: date, runs: int) -> Figure:
    from benchmarks.documents import sample_invoice
    from desktop_app.documents.invoice import render_invoice
    from desktop_app.services.books import open_books

    books = open_books(book)
    try:
        data = sample_invoice(books, as_of)
    finally:
        books.close()
    start = time.perf_counter()
    render_invoice(data)  # the first one in a process also loads the fonts, once
    first = time.perf_counter() - start
    took, cpu = median_times(lambda: render_invoice(data), runs)
    return Figure("one invoice PDF", seconds(took),
                  f"CPU time: {seconds(cpu)}; first in a process: {seconds(first)}",
                  f"{took / 0.02:.2f} x budget", "under 20 ms", took < 0.02)


def letters_run(bin_dir: Path, book: Path, as_of: date, work: Path, count: int,
                runs: int) -> Figure:
    """``followup run --channel letter --letters FILE`` for ``count`` customers as a whole
    process (each letter rendered, stored with its hash and recorded, then the print job
    written), beside the floor measured in turns: one plain ReportLab document of as many
    one-page letters in one embedded font."""
    from pypdf import PdfReader

    from benchmarks.documents import plain_letters

    template = _letters_book(book, as_of, work, count)
    plain_letters(1)  # the floor's fonts load before its clock runs
    ours, floor, cpu = [], [], []
    for k in range(runs):
        scratch, job = work / f"letters-{k}.sqlite3", work / "letters.pdf"
        _copy_book(template, scratch)
        used = _children_cpu()
        ours.append(process_time(cli(bin_dir, scratch, as_of, "followup", "run", "--channel",
                                     "letter", "--letters", str(job))))
        cpu.append(_children_cpu() - used)
        pages = len(PdfReader(job).pages)
        for old in work.glob(f"{scratch.name}*"):
            old.unlink()
        if pages < count * 0.9:  # a customer's letter may wait (no address): not many
            raise RuntimeError(f"the print job has {pages} pages for {count} customers")
        start = time.perf_counter()
        plain_letters(count)
        floor.append(time.perf_counter() - start)
    took, least = statistics.median(ours), statistics.median(floor)
    return Figure(f"the day's letters: `followup run --channel letter --letters FILE`, "
                  f"{count} customers, whole process", seconds(took),
                  f"one plain ReportLab document of {count} letters: {seconds(least)}; "
                  f"CPU time of the run: {seconds(statistics.median(cpu))}",
                  f"{took / least:.1f} x the floor", "under 5 x the floor", took < 5 * least)


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _copy_book(source: Path, target: Path) -> None:
    import sqlite3
    from contextlib import closing

    for old in target.parent.glob(f"{target.name}*"):
        old.unlink()
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def _letters_book(book: Path, as_of: date, work: Path, count: int) -> Path:
    """A copy of the book in which the day's letters go to ``count`` customers: the others'
    invoices with letters due are held, as a user would while they are in dispute."""
    from desktop_app.services.books import open_books
    from desktop_app.services.disputes import hold
    from desktop_app.services.followup.plan import plan_day

    template = work / "letters-book.sqlite3"
    _copy_book(book, template)
    books = open_books(template)
    try:
        planned = plan_day(books, as_of, channels=("letter",))
        customers = list(dict.fromkeys(row.customer_id for row in planned))
        if len(customers) < count:
            raise RuntimeError(f"the book has letters for only {len(customers)} customers")
        left_out = set(customers[count:])
        for invoice_id in dict.fromkeys(r.invoice_id for r in planned
                                        if r.customer_id in left_out):
            hold(books, invoice_id, "not in this print job", as_of)
    finally:
        books.close()
    return template

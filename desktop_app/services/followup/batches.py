"""Send all, Print all and the daily run: the day's follow-up carried out a part at a time.

Each part (a customer's emails or letters as Today shows them, or the whole day) is its own
``run_day``, so a cancelled batch keeps what it finished and leaves the rest on Today, and the
window can show how far it got. The parts' reports come back as one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Protocol

from desktop_app import files
from desktop_app.domain.errors import ValidationError
from desktop_app.messages import N_
from desktop_app.services import documents
from desktop_app.services.books import Books
from desktop_app.services.followup import run as followup
from desktop_app.services.followup.run import RunReport
from desktop_app.services.followup.today import TodayRow
from desktop_app.services.mail import NOT_SET_UP
from desktop_app.services.outbox import SendReport


class BatchProgress(Protocol):
    """How far a batch got, and whether the user asked it to stop."""

    @property
    def cancelled(self) -> bool: ...

    def tell(self, done: int, total: int, text: str = "") -> None: ...


@dataclass(frozen=True)
class BatchItem:
    """One part of a batch: a customer's chosen installments on some channels, or (with no
    customer) everyone's."""

    customer_id: int | None = None
    channels: tuple[str, ...] | None = None
    installment_ids: tuple[int, ...] | None = None
    name: str = ""  # who it is for, as the progress line names it


def items_of(rows: Iterable[TodayRow]) -> list[BatchItem]:
    """Today's email or letter rows as a batch: each row goes out as its button sends it."""
    return [BatchItem(row.customer_id, (row.channel,), row.installment_ids, row.customer_name)
            for row in rows]


@dataclass(frozen=True)
class BatchResult:
    report: RunReport  # what every finished part did, as one report
    total: int
    done: int
    cancelled: bool = False

    @property
    def mail_waits(self) -> bool:
        return mail_waits(self.report)


def mail_waits(report: RunReport) -> bool:
    """Emails waited because no mail account is set up."""
    return any(NOT_SET_UP in line for line in report.waiting)


def run_batches(books: Books, as_of: date, items: Sequence[BatchItem],
                progress: BatchProgress | None = None, *, send: bool = False,
                letters_path: Path | None = None) -> BatchResult:
    """Carry out ``items`` one after the other; ``send`` sends each part's emails right after
    it. A cancel is heard between parts: the part under way finishes, the rest stays.

    ``letters_path`` receives all the letters as one PDF. A batch of one part writes it inside
    that part's transaction (if it cannot be written nothing is recorded); a longer batch
    writes it at the end, its letters being stored with each customer either way."""
    reports: list[RunReport] = []
    cancelled = False
    one = len(items) == 1
    for done, item in enumerate(items):
        if progress is not None:
            if progress.cancelled:
                cancelled = True
                break
            progress.tell(done, len(items),
                          f"{item.name} ({done + 1} of {len(items)})" if item.name else "")
        reports.append(followup.run_day(
            books, as_of, customer_id=item.customer_id, channels=item.channels,
            installment_ids=item.installment_ids, send=send,
            letters_path=letters_path if one else None))
    report = merged_report(as_of, reports)
    if letters_path is not None and not one and report.print_job:
        try:
            files.write_bytes(letters_path, report.print_job)
        except OSError as exc:
            raise ValidationError("letters", N_("cannot write {path}: {reason}"),
                                  path=str(letters_path), reason=str(exc.strerror)) from None
        report = replace(report, letters_path=str(letters_path))
    return BatchResult(report, len(items), len(reports), cancelled)


def merged_report(as_of: date, reports: Sequence[RunReport]) -> RunReport:
    """Several parts' reports as one: everything each did, the letters as one print job."""
    if len(reports) == 1:
        return reports[0]
    sent = [r.sent for r in reports if r.sent is not None]
    jobs = [r.print_job for r in reports if r.print_job]
    return RunReport(
        as_of=as_of,
        actions=tuple(a for r in reports for a in r.actions),
        emails_queued=tuple(i for r in reports for i in r.emails_queued),
        letters=sum(r.letters for r in reports),
        letters_path=next((r.letters_path for r in reports if r.letters_path), None),
        tasks=tuple(i for r in reports for i in r.tasks),
        promises_kept=tuple(i for r in reports for i in r.promises_kept),
        promises_broken=tuple(i for r in reports for i in r.promises_broken),
        plans_broken=tuple(i for r in reports for i in r.plans_broken),
        customers_on_hold=tuple(i for r in reports for i in r.customers_on_hold),
        waiting=tuple(line for r in reports for line in r.waiting),
        failed=tuple(line for r in reports for line in r.failed),
        failed_said=tuple(said for r in reports for said in r.failed_said),
        sent=merged_sends(sent) if sent else None,
        print_job=documents.one_print_job(jobs) if jobs else b"",
    )


def merged_sends(reports: Sequence[SendReport]) -> SendReport:
    """Several rounds of sending as one."""
    return SendReport(
        sent=[i for r in reports for i in r.sent],
        retrying=[i for r in reports for i in r.retrying],
        failed=[i for r in reports for i in r.failed],
        unknown=[i for r in reports for i in r.unknown],
        recovered=[i for r in reports for i in r.recovered],
        error=next((r.error for r in reports if r.error), ""),
        not_filed=[line for r in reports for line in r.not_filed],
        dropped=[i for r in reports for i in r.dropped],
    )

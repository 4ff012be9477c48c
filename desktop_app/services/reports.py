"""Reports for the owner: who owes what and for how long (aging), what cash to expect, how
long money takes to come in (DSO), and who keeps their promises. All sums in SQL, read as
plain rows from the tables (no ORM to load: ``paidup-cli report`` starts faster)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from sqlalchemy import case, func, literal, select
from sqlalchemy.sql.elements import Case

from desktop_app.domain.aging import AGING_BUCKETS
from desktop_app.domain.collation import name_key
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.money import from_minor
from desktop_app.domain.status import Lifecycle
from desktop_app.messages import N_
from desktop_app.services.books import Books, books_currency
from desktop_app.storage.tables import (
    INSTALLMENT_OPEN_MINOR,
    INVOICE_OPEN_MINOR,
    OPEN_INSTALLMENT,
    OPEN_INVOICE,
    customers,
    installments,
    invoices,
    promises,
)

CASH_WEEKS = 13  # a quarter ahead
DSO_DAYS = 90

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


@dataclass(frozen=True)
class AgingRow:
    customer_id: int
    customer_name: str
    buckets: dict[str, Decimal]
    total: Decimal


@dataclass(frozen=True)
class AgingReport:
    as_of: date
    currency: str
    buckets: tuple[str, ...]
    rows: tuple[AgingRow, ...]
    totals: dict[str, Decimal]
    total: Decimal


def _bucket(as_of: date) -> Case[str]:
    """DOMAIN's buckets by days past due, as date comparisons that every database runs."""
    due = installments.c.due_date
    return case(
        (due >= as_of, literal(AGING_BUCKETS[0])),
        (due >= as_of - timedelta(days=30), literal(AGING_BUCKETS[1])),
        (due >= as_of - timedelta(days=60), literal(AGING_BUCKETS[2])),
        (due >= as_of - timedelta(days=90), literal(AGING_BUCKETS[3])),
        else_=literal(AGING_BUCKETS[4]),
    )


def aging(books: Books, as_of: date) -> AgingReport:
    """Open receivables by customer and bucket; the largest debtors first, those owing alike
    by name as people look names up (collation.name_key)."""
    bucket = _bucket(as_of).label("bucket")
    with books.db.read_rows() as conn:
        currency = books_currency(conn)
        rows = conn.execute(
            select(invoices.c.customer_id, customers.c.name, bucket,
                   func.sum(INSTALLMENT_OPEN_MINOR))
            .select_from(installments)
            .join(invoices, invoices.c.id == installments.c.invoice_id)
            .join(customers, customers.c.id == invoices.c.customer_id)
            .where(OPEN_INSTALLMENT, invoices.c.issue_date <= as_of)
            .group_by(invoices.c.customer_id, customers.c.name, bucket)).all()
    per_customer: dict[tuple[int, str], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(AGING_BUCKETS, 0))
    for customer_id, name, label, minor in rows:
        per_customer[customer_id, name][label] += int(minor)
    totals = dict.fromkeys(AGING_BUCKETS, 0)
    out = []
    for (customer_id, name), sums in per_customer.items():
        for label, minor in sums.items():
            totals[label] += minor
        out.append(AgingRow(customer_id, name,
                            {k: from_minor(v, currency) for k, v in sums.items()},
                            from_minor(sum(sums.values()), currency)))
    out.sort(key=lambda r: (-r.total, name_key(r.customer_name)))
    return AgingReport(as_of, currency, AGING_BUCKETS, tuple(out),
                       {k: from_minor(v, currency) for k, v in totals.items()},
                       from_minor(sum(totals.values()), currency))


@dataclass(frozen=True)
class CashWeek:
    week_start: date
    expected: Decimal
    from_schedules: Decimal
    from_promises: Decimal


@dataclass(frozen=True)
class CashReport:
    as_of: date
    currency: str
    overdue: Decimal  # late and not promised: it may come, nobody said when
    weeks: tuple[CashWeek, ...]


def cash_forecast(books: Books, as_of: date, weeks: int = CASH_WEEKS) -> CashReport:
    """Expected cash in by week from installment due dates and open promises; a promise
    stands in for the schedule of what it covers."""
    if not 1 <= weeks <= 104:
        raise ValidationError("weeks", N_("must be between 1 and 104"))
    start = as_of - timedelta(days=as_of.weekday())
    end = start + timedelta(weeks=weeks)
    with books.db.read_rows() as conn:
        currency = books_currency(conn)
        promised = conn.execute(
            select(promises.c.invoice_id, promises.c.promised_for, promises.c.amount_minor)
            .join(invoices, invoices.c.id == promises.c.invoice_id)
            .where(promises.c.status == "open", OPEN_INVOICE)).all()
        promised_invoices = {p.invoice_id for p in promised}
        rows = conn.execute(
            select(installments.c.invoice_id, installments.c.due_date, INSTALLMENT_OPEN_MINOR)
            .join(invoices, invoices.c.id == installments.c.invoice_id)
            .where(OPEN_INSTALLMENT, installments.c.due_date < end)).all()
    schedule = [0] * weeks
    from_promises = [0] * weeks
    overdue = 0
    open_by_invoice: dict[int, int] = defaultdict(int)
    for invoice_id, due, minor in rows:
        open_by_invoice[invoice_id] += int(minor)
        if invoice_id in promised_invoices:
            continue
        if due < as_of:
            overdue += int(minor)
        elif due >= start:
            schedule[(due - start).days // 7] += int(minor)
    for invoice_id, when, amount in promised:
        if start <= when < end:
            from_promises[(when - start).days // 7] += (
                amount if amount is not None else open_by_invoice.get(invoice_id, 0))
    return CashReport(as_of, currency, from_minor(overdue, currency), tuple(
        CashWeek(start + timedelta(weeks=k),
                 from_minor(schedule[k] + from_promises[k], currency),
                 from_minor(schedule[k], currency), from_minor(from_promises[k], currency))
        for k in range(weeks)))


@dataclass(frozen=True)
class DsoReport:
    as_of: date
    days: int
    receivables: Decimal
    credit_sales: Decimal
    dso: Decimal | None  # days; None when nothing was sold in the period


def days_sales_outstanding(books: Books, as_of: date, days: int = DSO_DAYS) -> DsoReport:
    """Receivables / credit sales of the last ``days`` days x ``days``."""
    if not 7 <= days <= 730:
        raise ValidationError("days", N_("must be between 7 and 730"))
    inv = invoices.c
    with books.db.read_rows() as conn:
        currency = books_currency(conn)
        receivables = conn.execute(
            select(func.coalesce(func.sum(INVOICE_OPEN_MINOR), 0))
            .where(inv.state == Lifecycle.ISSUED, inv.issue_date <= as_of)).scalar_one()
        sales = conn.execute(
            select(func.coalesce(func.sum(inv.total_minor), 0))
            .where(inv.state.in_((Lifecycle.ISSUED, Lifecycle.VOID)),
                   inv.issue_date > as_of - timedelta(days=days),
                   inv.issue_date <= as_of)).scalar_one()
    dso = None
    if sales:
        dso = (Decimal(int(receivables)) / Decimal(int(sales)) * days).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP)
    return DsoReport(as_of, days, from_minor(int(receivables), currency),
                     from_minor(int(sales), currency), dso)


@dataclass(frozen=True)
class PromiseRecord:
    customer_id: int
    customer_name: str
    kept: int
    broken: int
    open: int


def promises_by_customer(books: Books) -> list[PromiseRecord]:
    """Who keeps their word: the worst record first, like records by name as people look
    names up (collation.name_key)."""
    with books.db.read_rows() as conn:
        rows = conn.execute(
            select(customers.c.id, customers.c.name, promises.c.status, func.count())
            .select_from(promises)
            .join(invoices, invoices.c.id == promises.c.invoice_id)
            .join(customers, customers.c.id == invoices.c.customer_id)
            .where(promises.c.status.in_(("kept", "broken", "open")))  # not replaced or closed
            .group_by(customers.c.id, customers.c.name, promises.c.status)).all()
    counts: dict[tuple[int, str], dict[str, int]] = defaultdict(
        lambda: {"kept": 0, "broken": 0, "open": 0})
    for customer_id, name, status, n in rows:
        counts[customer_id, name][status] += int(n)
    out = [PromiseRecord(cid, name, c["kept"], c["broken"], c["open"])
           for (cid, name), c in counts.items()]
    return sorted(out, key=lambda r: (-r.broken, r.kept, name_key(r.customer_name)))


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A text cell a spreadsheet would run as a formula (a customer named
    ``=HYPERLINK(...)``) is kept as text by a leading apostrophe, as OWASP advises; numbers,
    negative amounts included, stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _writer(out: io.StringIO) -> Callable[[Iterable[object]], object]:
    writer = csv.writer(out)
    return lambda cells: writer.writerow([csv_cell(cell) for cell in cells])


def aging_csv(report: AgingReport) -> str:
    """The aging table as CSV (amounts as exact decimal text)."""
    out = io.StringIO()
    write = _writer(out)
    write(["customer", *report.buckets, "total"])
    for row in report.rows:
        write([row.customer_name, *(row.buckets[b] for b in report.buckets), row.total])
    write(["total", *(report.totals[b] for b in report.buckets), report.total])
    return out.getvalue()


def rows_csv(rows: Sequence[DataclassInstance]) -> str:
    """Any list of report dataclasses as CSV, one column per field."""
    out = io.StringIO()
    if rows:
        names = [f.name for f in fields(rows[0])]
        write = _writer(out)
        write(names)
        for row in rows:
            write([getattr(row, name) for name in names])
    return out.getvalue()


SOON_WEEKS = 4  # "expected soon": the next month, week by week


@dataclass(frozen=True)
class Headline:
    """The figures an owner reads first."""

    currency: str
    owed: Decimal  # all that is open
    debtors: int
    overdue: Decimal  # open and past its due date
    overdue_percent: int | None  # of what is open, in whole percent; None when nothing is
    soon: Decimal  # expected in the next ``soon_weeks`` weeks, from due dates and promises
    soon_weeks: int


def headline(aging: AgingReport, cash: CashReport, soon_weeks: int = SOON_WEEKS) -> Headline:
    overdue = aging.total - aging.totals.get(AGING_BUCKETS[0], Decimal(0))
    percent = (int((overdue * 100 / aging.total).quantize(Decimal(1), ROUND_HALF_UP))
               if aging.total else None)
    soon = sum((w.expected for w in cash.weeks[:soon_weeks]), Decimal(0))
    return Headline(aging.currency, aging.total, len(aging.rows), overdue, percent, soon,
                    soon_weeks)


def largest_debtors(aging: AgingReport, count: int) -> tuple[tuple[AgingRow, ...],
                                                             AgingRow | None]:
    """The ``count`` largest debtors, and all the others summed in one row (customer id 0,
    no name) or None when there are no others."""
    top, rest = aging.rows[:count], aging.rows[count:]
    if not rest:
        return top, None
    sums = {b: sum((r.buckets[b] for r in rest), Decimal(0)) for b in aging.buckets}
    return top, AgingRow(0, "", sums, sum((r.total for r in rest), Decimal(0)))

"""Reports and the dossier."""

from __future__ import annotations

import argparse
from typing import Any

from desktop_app.cli.common import (
    Registry,
    lazy_services,
    positive_int,
    today,
    write_file,
    write_pdf,
)
from desktop_app.domain.errors import ValidationError
from desktop_app.services.books import Books

documents, reports = lazy_services("documents", "reports")


def _csv(path: str | None, text: str, result: Any) -> Any:
    if path is None:
        return result
    try:
        write_file(path, text)
    except ValidationError as exc:
        raise exc.renamed("csv") from None
    return {"path": path}


def cmd_aging(books: Books, args: argparse.Namespace) -> Any:
    report = reports.aging(books, today(args))
    return _csv(args.csv, reports.aging_csv(report) if args.csv else "", report)


def cmd_cash(books: Books, args: argparse.Namespace) -> Any:
    report = reports.cash_forecast(books, today(args), args.weeks)
    return _csv(args.csv, reports.rows_csv(report.weeks) if args.csv else "", report)


def cmd_dso(books: Books, args: argparse.Namespace) -> Any:
    return reports.days_sales_outstanding(books, today(args), args.days)


def cmd_promises(books: Books, args: argparse.Namespace) -> Any:
    rows = reports.promises_by_customer(books)
    return _csv(args.csv, reports.rows_csv(rows) if args.csv else "", rows)


def cmd_dossier(books: Books, args: argparse.Namespace) -> Any:
    return write_pdf(args.output, documents.dossier_pdf(books, args.invoice_id, today(args)))


def register(reg: Registry) -> None:
    g = reg.group("report", "reports")
    p = reg.command("aging", cmd_aging, "open receivables by customer and age", g)
    p.add_argument("--csv", metavar="FILE")
    p = reg.command("cash", cmd_cash, "expected cash in by week", g)
    p.add_argument("--weeks", type=positive_int, default=reports.CASH_WEEKS)
    p.add_argument("--csv", metavar="FILE")
    p = reg.command("dso", cmd_dso, "days sales outstanding", g)
    p.add_argument("--days", type=positive_int, default=reports.DSO_DAYS)
    p = reg.command("promises", cmd_promises, "promises kept and broken per customer", g)
    p.add_argument("--csv", metavar="FILE")

    p = reg.command("dossier", cmd_dossier, "all documents, the log and a statement as one PDF")
    p.add_argument("invoice_id", type=positive_int, metavar="INVOICE_ID")
    p.add_argument("-o", "--output", required=True, metavar="FILE")

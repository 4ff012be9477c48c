"""Commands that write PDFs: invoices, letters and statements."""

from __future__ import annotations

import argparse
from typing import Any

from desktop_app.cli.common import Registry, lazy_services, positive_int, today, write_pdf
from desktop_app.documents.data import LETTER_STAGES
from desktop_app.services.books import Books

(documents,) = lazy_services("documents")

def cmd_invoice_pdf(books: Books, args: argparse.Namespace) -> Any:
    return write_pdf(args.output, documents.invoice_pdf(books, args.id, today(args)))


def cmd_letter(books: Books, args: argparse.Namespace) -> Any:
    return write_pdf(args.output, documents.letter_pdf(books, args.id, args.stage, today(args)))


def cmd_statement(books: Books, args: argparse.Namespace) -> Any:
    return write_pdf(args.output, documents.statement_pdf(books, args.id, today(args)))


def register(reg: Registry) -> None:
    invoice = reg.subgroup("invoice")
    p = reg.command("pdf", cmd_invoice_pdf, "write the invoice PDF", invoice)
    p.add_argument("id", type=positive_int)
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p = reg.command("letter", cmd_letter, "write one follow-up letter for an invoice")
    p.add_argument("id", type=positive_int)
    p.add_argument("--stage", required=True, choices=LETTER_STAGES)
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p = reg.command("statement", cmd_statement, "write a customer's statement of account")
    p.add_argument("id", type=positive_int, metavar="CUSTOMER_ID")
    p.add_argument("-o", "--output", required=True, metavar="FILE")

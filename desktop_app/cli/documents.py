"""Commands that write PDFs: invoices, letters and statements."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop_app import files
from desktop_app.cli.common import (
    Registry,
    iso_date,
    lazy_services,
    positive_int,
    today,
    write_pdf,
)
from desktop_app.domain.errors import ValidationError
from desktop_app.services.books import Books
from desktop_app.services.document_kinds import FORMATS, LETTER_STAGES

documents, einvoices = lazy_services("documents", "einvoices")

def cmd_invoice_pdf(books: Books, args: argparse.Namespace) -> Any:
    if args.credit_note:
        return write_pdf(args.output, documents.credit_note_pdf(books, args.id))
    return write_pdf(args.output, documents.invoice_pdf(books, args.id, today(args)))


def cmd_invoice_einvoice(books: Books, args: argparse.Namespace) -> Any:
    if args.credit_note:
        if args.format:
            raise ValidationError("format", "a credit note's e-invoice is kept in the format "
                                  "its invoice went out in; leave out --format")
        made = einvoices.credit_note_einvoice_file(books, args.id)
    else:
        made = einvoices.invoice_einvoice(books, args.id, args.format)
    path = Path(args.output)
    try:
        files.write_bytes(path, made.content)
    except OSError as exc:
        raise ValidationError("out", f"cannot write {path}: {exc.strerror}") from None
    return {"path": str(path), "format": made.format}


def cmd_letter(books: Books, args: argparse.Namespace) -> Any:
    if args.kind == "deposit_request":
        return write_pdf(args.output, documents.deposit_request_pdf(books, args.id,
                                                                    today(args)))
    if not args.stage:
        raise ValidationError("stage", f"say which letter: --stage {'|'.join(LETTER_STAGES)} "
                              "or --kind deposit_request")
    return write_pdf(args.output, documents.letter_pdf(books, args.id, args.stage, today(args)))


def cmd_statement(books: Books, args: argparse.Namespace) -> Any:
    return write_pdf(args.output, documents.statement_pdf(books, args.id, today(args),
                                                          args.period_from))



def register(reg: Registry) -> None:
    invoice = reg.subgroup("invoice")
    p = reg.command("pdf", cmd_invoice_pdf, "write the invoice PDF", invoice)
    p.add_argument("id", type=positive_int)
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.add_argument("--credit-note", action="store_true",
                   help="ID is a credit note's (as 'invoice void' printed it)")
    p = reg.command("einvoice", cmd_invoice_einvoice,
                    "write the e-invoice (hybrid PDF or XML) of an issued invoice", invoice)
    p.add_argument("id", type=positive_int)
    p.add_argument("--format", choices=FORMATS[1:],
                   help="default: the format the customer receives")
    p.add_argument("--credit-note", action="store_true",
                   help="ID is a credit note's: its e-invoice as kept when it was made")
    p.add_argument("-o", "--out", "--output", dest="output", required=True, metavar="FILE")
    p = reg.command("letter", cmd_letter, "write one follow-up letter for an invoice")
    p.add_argument("id", type=positive_int)
    p.add_argument("--stage", choices=LETTER_STAGES)
    p.add_argument("--kind", choices=("reminder", "deposit_request"), default="reminder")
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p = reg.command("statement", cmd_statement, "write a customer's statement of account")
    p.add_argument("id", type=positive_int, metavar="CUSTOMER_ID")
    p.add_argument("--from", dest="period_from", type=iso_date,
                   help="first day of the period (default: 1 January of the as-of year)")
    p.add_argument("-o", "--output", required=True, metavar="FILE")


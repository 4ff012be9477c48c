"""Commands for confirming that invoices arrived: record the customer's word, and how a
customer is asked (a read receipt on the invoice's email, a call instead of an email)."""

from __future__ import annotations

import argparse
from typing import Any

from desktop_app.cli.common import Registry, iso_date, lazy_services, positive_int
from desktop_app.services.books import Books

(receipts,) = lazy_services("receipts")

ASKING = {"account": None, "on": True, "off": False}


def cmd_invoice_receipt(books: Books, args: argparse.Namespace) -> Any:
    return receipts.record_receipt(books, args.id, by=args.by, via=args.via, on=args.date)


def cmd_customer_receipt(books: Books, args: argparse.Namespace) -> Any:
    return receipts.set_asking(books, args.id, read_receipt=ASKING[args.read_receipt],
                               by_call=args.ask == "call")


def register(reg: Registry) -> None:
    p = reg.command("receipt", cmd_invoice_receipt,
                    "record that the customer confirmed the invoice arrived",
                    reg.subgroup("invoice"))
    p.add_argument("id", type=positive_int)
    p.add_argument("--by", required=True, metavar="NAME", help="who confirmed it")
    p.add_argument("--via", required=True, choices=("email", "phone", "letter"),
                   help="how they confirmed it")
    p.add_argument("--date", type=iso_date, help="when (default: today)")
    p = reg.command("receipt", cmd_customer_receipt,
                    "how this customer is asked whether an invoice arrived",
                    reg.subgroup("customer"))
    p.add_argument("id", type=positive_int)
    p.add_argument("--read-receipt", choices=tuple(ASKING), default="account",
                   help="ask for a read receipt on invoice emails (account: as the mail "
                        "account says)")
    p.add_argument("--ask", choices=("email", "call"), default="email",
                   help="ask by email, or put a call on the list")

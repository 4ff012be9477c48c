"""paidup-cli: the headless face of PaidUp. Parses, calls services, prints; no rules here."""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from desktop_app import __version__, paths
from desktop_app.domain.errors import PaidUpError, ValidationError
from desktop_app.services import backups, company, customers, demo, invoices, payments, promises
from desktop_app.services import terms as terms_service
from desktop_app.services.books import Books, open_books

log = logging.getLogger("paidup.cli")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) <= 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a positive whole number")
    return int(text)


def _plain(value: Any) -> Any:
    """JSON form: money and rates as exact strings, dates ISO, dataclasses as objects."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _text(value: Any, indent: str = "") -> str:
    plain = _plain(value)
    if isinstance(plain, dict):
        out = []
        for key, item in plain.items():
            if isinstance(item, dict | list) and item:
                out.append(f"{indent}{key}:\n{_text(item, indent + '  ')}")
            else:
                out.append(f"{indent}{key}: {'' if item is None else item}")
        return "\n".join(out)
    if isinstance(plain, list):
        return "\n".join(
            _text(item, indent + "  ") if isinstance(item, dict) else f"{indent}- {item}"
            for item in plain
        ) if plain else f"{indent}(none)"
    return f"{indent}{plain}"


def _today(args: argparse.Namespace) -> date:
    return getattr(args, "as_of", None) or getattr(args, "date", None) or date.today()


# --- command handlers: each takes (books, args) and returns what to print -----------------

def cmd_init(books: Books, args: argparse.Namespace) -> Any:
    from desktop_app.storage.database import current_revision

    return {"db": books.location, "schema": current_revision(books.db)}


def cmd_demo(books: Books, args: argparse.Namespace) -> Any:
    return demo.fill_demo(books, as_of=args.as_of or date.today(), invoices=args.invoices,
                          customers=args.customers)


def cmd_company_set(books: Books, args: argparse.Namespace) -> Any:
    return company.set_company(
        books, name=args.name, address=args.address, email=args.email, phone=args.phone,
        tax_id=args.tax_id, iban=args.iban, bic=args.bic, currency=args.currency,
        paper=args.paper, number_format=args.number_format, logo=args.logo,
    )


def cmd_company_show(books: Books, args: argparse.Namespace) -> Any:
    return company.get_company(books)


def cmd_terms_add(books: Books, args: argparse.Namespace) -> Any:
    view = terms_service.add_terms(
        books, args.name, net_days=args.net_days, discount_percent=args.discount_percent,
        discount_days=args.discount_days, late_fee=args.late_fee,
        interest_annual_percent=args.interest_annual, grace_days=args.grace_days,
        instructions=args.instructions, make_default=args.default,
    )
    return {"id": view.id, "name": view.name} if args.json else view


def cmd_terms_list(books: Books, args: argparse.Namespace) -> Any:
    return terms_service.list_terms(books)


def cmd_customer_add(books: Books, args: argparse.Namespace) -> Any:
    view = customers.add_customer(
        books, name=args.name, email=args.email, address=args.address, phone=args.phone,
        language=args.language, terms=args.terms, credit_limit=args.credit_limit,
        contacts=args.contact, notes=args.notes,
    )
    return {"id": view.id} if args.json else view


def cmd_customer_show(books: Books, args: argparse.Namespace) -> Any:
    return customers.show_customer(books, args.id)


def cmd_customer_list(books: Books, args: argparse.Namespace) -> Any:
    return customers.list_customers(books, args.search)


def cmd_invoice_add(books: Books, args: argparse.Namespace) -> Any:
    view = invoices.create_draft(books, invoices.DraftInput(
        customer_id=args.customer, lines=args.line, terms=args.terms, schedule=args.schedule,
        every=args.every, issue_date=args.date,
    ))
    return {"id": view.id} if args.json else view


def cmd_invoice_issue(books: Books, args: argparse.Namespace) -> Any:
    return invoices.issue_invoice(books, args.id, args.date or date.today())


def cmd_invoice_show(books: Books, args: argparse.Namespace) -> Any:
    return invoices.show_invoice(books, args.id)


def cmd_invoice_list(books: Books, args: argparse.Namespace) -> Any:
    query = invoices.InvoiceQuery(status=args.status, customer_id=args.customer,
                                  search=args.search,
                                  overdue_on=(args.as_of or date.today()) if args.overdue else None)
    return invoices.list_invoices(books, query, limit=args.limit)


def cmd_invoice_void(books: Books, args: argparse.Namespace) -> Any:
    return invoices.void_invoice(books, args.id, args.reason, args.date or date.today())


def cmd_payment_add(books: Books, args: argparse.Namespace) -> Any:
    result = payments.record_payment(books, payments.PaymentInput(
        invoice_id=args.invoice, amount=args.amount, paid_on=args.date or date.today(),
        method=args.method, reference=args.reference,
    ))
    return result.invoice if args.json else result


def cmd_promise_add(books: Books, args: argparse.Namespace) -> Any:
    view = promises.add_promise(books, promises.PromiseInput(
        invoice_id=args.invoice, promised_for=args.date, made_on=args.as_of or date.today(),
        amount=args.amount, excuse=args.excuse, note=args.note, promised_by=args.by,
    ))
    return {"id": view.id} if args.json else view


def cmd_backup(books: Books, args: argparse.Namespace) -> Any:
    return {"path": backups.backup_now(books, Path(args.to) if args.to else None)}


def cmd_restore(books: Books, args: argparse.Namespace) -> Any:
    safety = backups.restore(books, Path(args.file))
    return {"path": str(Path(args.file)), "previous_copy": safety}


# --- the parser -----------------------------------------------------------------------------

Handler = Callable[[Books, argparse.Namespace], Any]


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS,
                        help="database file or PostgreSQL URL (default: $PAIDUP_DB or the "
                             "per-user data folder)")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="print one JSON document")
    common.add_argument("--as-of", type=_date, default=argparse.SUPPRESS,
                        help="treat this day as today (YYYY-MM-DD)")

    parser = argparse.ArgumentParser(prog="paidup-cli", parents=[common],
                                     description="PaidUp on the command line.")
    parser.add_argument("--version", action="version", version=f"PaidUp {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def group(name: str, help_: str) -> argparse._SubParsersAction:
        p = sub.add_parser(name, help=help_, description=help_, parents=[common])
        return p.add_subparsers(dest="action", required=True, metavar="ACTION")

    def leaf(where: argparse._SubParsersAction, name: str, handler: Handler, help_: str
             ) -> argparse.ArgumentParser:
        p = where.add_parser(name, help=help_, description=help_, parents=[common])
        p.set_defaults(handler=handler)
        return p

    leaf(sub, "init", cmd_init, "create or migrate the database")
    p = leaf(sub, "demo", cmd_demo, "fill a realistic demo data set")
    p.add_argument("--invoices", type=_positive_int, default=60)
    p.add_argument("--customers", type=_positive_int)

    g = group("company", "your own business")
    p = leaf(g, "set", cmd_company_set, "set your company's details")
    for opt in ("name", "address", "email", "phone", "tax-id", "iban", "bic", "currency",
                "number-format", "logo"):
        p.add_argument(f"--{opt}")
    p.add_argument("--paper", choices=("a4", "letter"))
    leaf(g, "show", cmd_company_show, "show your company's details")

    g = group("terms", "payment terms")
    p = leaf(g, "add", cmd_terms_add, "add named payment terms")
    p.add_argument("name")
    p.add_argument("--net-days", required=True)
    p.add_argument("--discount-percent", default="0")
    p.add_argument("--discount-days", default="0")
    p.add_argument("--late-fee", default="0")
    p.add_argument("--interest-annual", default="0")
    p.add_argument("--grace-days", default="0")
    p.add_argument("--instructions", default="")
    p.add_argument("--default", action="store_true", help="make these the company's default")
    leaf(g, "list", cmd_terms_list, "list payment terms")

    g = group("customer", "customers")
    p = leaf(g, "add", cmd_customer_add, "add a customer")
    p.add_argument("--name", required=True)
    p.add_argument("--email", default="")
    p.add_argument("--address", default="")
    p.add_argument("--phone", default="")
    p.add_argument("--language", default="en")
    p.add_argument("--terms")
    p.add_argument("--credit-limit")
    p.add_argument("--notes", default="")
    p.add_argument("--contact", action="append", default=[], metavar="ROLE:NAME:EMAIL")
    p = leaf(g, "show", cmd_customer_show, "show one customer")
    p.add_argument("id", type=_positive_int)
    p = leaf(g, "list", cmd_customer_list, "list customers")
    p.add_argument("--search", default="")

    g = group("invoice", "invoices")
    p = leaf(g, "add", cmd_invoice_add, "create a draft invoice")
    p.add_argument("--customer", type=_positive_int, required=True)
    p.add_argument("--line", action="append", default=[],
                   metavar="DESC|QTY|UNIT_PRICE[|TAX_PERCENT]")
    p.add_argument("--terms")
    p.add_argument("--schedule", metavar="SPEC")
    p.add_argument("--every", type=_positive_int, help="days between schedule shares")
    p.add_argument("--date", type=_date, help="planned issue date")
    p = leaf(g, "issue", cmd_invoice_issue, "issue a draft: number and freeze it")
    p.add_argument("id", type=_positive_int)
    p.add_argument("--date", type=_date)
    p = leaf(g, "show", cmd_invoice_show, "show one invoice")
    p.add_argument("id", type=_positive_int)
    p = leaf(g, "list", cmd_invoice_list, "list invoices")
    p.add_argument("--status", choices=invoices.STATUSES)
    p.add_argument("--customer", type=_positive_int)
    p.add_argument("--search", default="")
    p.add_argument("--overdue", action="store_true")
    p.add_argument("--limit", type=_positive_int)
    p = leaf(g, "void", cmd_invoice_void, "void an issued invoice with a credit note")
    p.add_argument("id", type=_positive_int)
    p.add_argument("--reason", required=True)
    p.add_argument("--date", type=_date)

    g = group("payment", "payments received")
    p = leaf(g, "add", cmd_payment_add, "record a payment and allocate it")
    p.add_argument("--invoice", type=_positive_int, required=True)
    p.add_argument("--amount", required=True)
    p.add_argument("--date", type=_date)
    p.add_argument("--method", default="bank_transfer", choices=payments.METHODS)
    p.add_argument("--reference", default="")

    g = group("promise", "promises to pay")
    p = leaf(g, "add", cmd_promise_add, "record a promise to pay")
    p.add_argument("--invoice", type=_positive_int, required=True)
    p.add_argument("--date", type=_date, required=True)
    p.add_argument("--amount")
    p.add_argument("--excuse", default="other")
    p.add_argument("--note", default="")
    p.add_argument("--by", default="", help="who promised")

    p = leaf(sub, "backup", cmd_backup, "make a consistent copy of the database")
    p.add_argument("--to", metavar="FILE")
    p = leaf(sub, "restore", cmd_restore, "replace the database with a checked backup")
    p.add_argument("file")
    return parser


def _setup_logging() -> Path:
    log_file = paths.log_dir() / "paidup-cli.log"
    logging.basicConfig(filename=log_file, level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return log_file


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    for name, default in (("db", None), ("json", False), ("as_of", None)):
        if not hasattr(args, name):
            setattr(args, name, default)
    log_file = _setup_logging()
    target = args.db or os.environ.get("PAIDUP_DB") or None
    books: Books | None = None
    try:
        books = open_books(target)
        result = args.handler(books, args)
    except ValidationError as exc:
        print(f"paidup-cli: {exc.field}: {exc.message}", file=sys.stderr)
        return 1
    except PaidUpError as exc:
        print(f"paidup-cli: {exc}", file=sys.stderr)
        return 1
    except Exception:
        log.exception("unexpected error in %s", args.command)
        print(f"paidup-cli: something went wrong that PaidUp did not expect; nothing was "
              f"changed. Details are in {log_file}", file=sys.stderr)
        return 1
    finally:
        if books is not None:
            books.close()
    if args.json:
        json.dump(_plain(result), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(_text(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Commands for credit applications: references called, documents kept, the decision."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop_app.cli.common import Registry, iso_date, lazy_services, positive_int, today
from desktop_app.domain.credit_application import (
    DOCUMENT_KINDS,
    MAX_DOCUMENT_BYTES,
    NEW_CUSTOMER_RULES,
)
from desktop_app.domain.errors import ValidationError
from desktop_app.services.books import Books

(credit,) = lazy_services("credit_applications")


def cmd_apply(books: Books, args: argparse.Namespace) -> Any:
    return credit.apply(books, args.customer, on=today(args), note=args.note)


def cmd_reference_add(books: Books, args: argparse.Namespace) -> Any:
    return credit.add_reference(books, args.customer, company=args.company,
                                person=args.person, phone=args.phone, said=args.said,
                                called_on=args.date or today(args))


def _read(path: Path) -> bytes:
    """The file's bytes; one too big for the books is refused before it is read."""
    try:
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            raise ValidationError("file", f"{path.name} is larger than "
                                  f"{MAX_DOCUMENT_BYTES // 1024 // 1024} MB, the most the "
                                  "books keep")
        return path.read_bytes()
    except OSError as exc:
        raise ValidationError("file", f"cannot read {path}: {exc.strerror}") from None


def cmd_document_add(books: Books, args: argparse.Namespace) -> Any:
    path = Path(args.file)
    return credit.add_document(books, args.customer, filename=path.name, content=_read(path),
                               kind=args.kind, on=today(args))


def cmd_decide(books: Books, args: argparse.Namespace) -> Any:
    return credit.decide(books, args.customer, limit=args.limit, terms=args.terms, by=args.by,
                         review=args.review, refuse=args.refuse, note=args.note,
                         on=today(args))


def cmd_show(books: Books, args: argparse.Namespace) -> Any:
    return credit.show(books, args.customer)


def cmd_reviews(books: Books, args: argparse.Namespace) -> Any:
    return credit.review_tasks(books, today(args))


def cmd_new_customers(books: Books, args: argparse.Namespace) -> Any:
    if args.rule is None and args.deposit_percent is None:
        return credit.get_new_customer_rule(books)
    return credit.set_new_customer_rule(books, args.rule, args.deposit_percent)


def _subgroup(reg: Registry, group: argparse._SubParsersAction, name: str, help_: str
              ) -> argparse._SubParsersAction:
    """A word with actions of its own (credit reference add)."""
    parser = group.add_parser(name, help=help_, description=help_, parents=[reg.common])
    return parser.add_subparsers(dest=f"{name}_action", required=True, metavar="ACTION")


def register(reg: Registry) -> None:
    g = reg.group("credit", "credit applications: references, documents and the decision "
                  "before a new customer is invoiced on terms")
    p = reg.command("apply", cmd_apply, "open a credit application (a new customer's, or the "
                    "yearly review)", g)
    p.add_argument("customer", type=positive_int)
    p.add_argument("--note", default="")

    refs_sub = _subgroup(reg, g, "reference", "credit references called")
    p = reg.command("add", cmd_reference_add, "record a credit reference called and what "
                    "they said", refs_sub)
    p.add_argument("customer", type=positive_int)
    p.add_argument("--company", required=True, help="the company giving the reference")
    p.add_argument("--person", default="", help="who was spoken to")
    p.add_argument("--phone", default="")
    p.add_argument("--said", default="", help="what they said of the customer")
    p.add_argument("--date", type=iso_date, help="when you called (default: today)")

    docs_sub = _subgroup(reg, g, "document", "documents kept with the application")
    p = reg.command("add", cmd_document_add, "keep a financial statement or credit report "
                    f"(PDF, PNG or JPEG, up to {MAX_DOCUMENT_BYTES // 1024 // 1024} MB) in "
                    "the books", docs_sub)
    p.add_argument("customer", type=positive_int)
    p.add_argument("file")
    p.add_argument("--kind", choices=DOCUMENT_KINDS, required=True)

    p = reg.command("decide", cmd_decide, "decide the open application: approve with a "
                    "credit limit and terms, or refuse", g)
    p.add_argument("customer", type=positive_int)
    p.add_argument("--limit", help="the credit limit (to approve)")
    p.add_argument("--terms", help="payment terms by name (to approve)")
    p.add_argument("--refuse", action="store_true",
                   help="refuse credit: the customer goes on paying as new customers do")
    p.add_argument("--by", help="who decided (default: the user of this computer)")
    p.add_argument("--review", type=iso_date,
                   help="when the decision is looked at again (default: a year on, whether "
                        "approved or refused)")
    p.add_argument("--note", default="")

    p = reg.command("show", cmd_show, "a customer's credit: standing, application, "
                    "references, documents, decision", g)
    p.add_argument("customer", type=positive_int)

    reg.command("reviews", cmd_reviews, "customers whose credit decision is due for review "
                "(as on Today)", g)

    p = reg.command("new-customers", cmd_new_customers,
                    "how customers without credit are invoiced: cash only (the default) or "
                    "a deposit on issue", g)
    p.add_argument("--rule", choices=NEW_CUSTOMER_RULES)
    p.add_argument("--deposit-percent", help="the least deposit due on issue (default 30)")

"""Bank statements: import, review what import could not decide, CSV profiles."""

from __future__ import annotations

import argparse
from typing import Any

from desktop_app.cli.common import Registry, lazy_services, positive_int
from desktop_app.domain.errors import ValidationError
from desktop_app.services.books import Books

(bank,) = lazy_services("bank")

STATUSES = ("booked", "waiting", "ignored", "outgoing", "returned")


def cmd_import(books: Books, args: argparse.Namespace) -> Any:
    result = bank.import_file(books, args.file, args.profile)
    return {"imported": result.imported, "duplicates": result.duplicates,
            "booked": result.booked, "waiting": result.waiting, "format": result.format,
            "import": result.import_id}


def cmd_list(books: Books, args: argparse.Namespace) -> Any:
    return bank.list_transactions(books, waiting=args.waiting, status=args.status,
                                  limit=args.limit)


def cmd_show(books: Books, args: argparse.Namespace) -> Any:
    return bank.show_transaction(books, args.tx)


def _parts(args: argparse.Namespace) -> list[Any]:
    if len(args.amount) > len(args.invoice):
        raise ValidationError("amount", "give an --amount after each --invoice it is for")
    amounts = args.amount + [None] * (len(args.invoice) - len(args.amount))
    return [bank.Part(i, a) for i, a in zip(args.invoice, amounts, strict=True)]


def cmd_match(books: Books, args: argparse.Namespace) -> Any:
    if args.customer is not None:
        if args.invoice:
            raise ValidationError("customer", "give --invoice or --customer, not both")
        return bank.assign_to_customer(books, args.tx, args.customer)
    return bank.match_transaction(books, args.tx, _parts(args))


def cmd_accept(books: Books, args: argparse.Namespace) -> Any:
    if args.tx is not None:
        return bank.match_transaction(books, args.tx)
    result = bank.accept_sure(books)
    return {"accepted": result.accepted,
            "failed": [{"id": tx, "reason": str(why)} for tx, why in result.failed]}


def cmd_ignore(books: Books, args: argparse.Namespace) -> Any:
    return bank.ignore_transaction(books, args.tx, args.note)


def cmd_reverse(books: Books, args: argparse.Namespace) -> Any:
    return bank.reverse_transaction(books, args.tx, args.reason)


def cmd_payment_reverse(books: Books, args: argparse.Namespace) -> Any:
    return bank.reverse_payment(books, args.id, args.reason)


PROFILE_FIELDS = ("date", "amount", "date_format", "decimal", "delimiter", "encoding", "sign",
                  "value_date", "credit", "debit", "indicator", "currency", "counterparty",
                  "counterparty_account", "reference")


def cmd_profile_add(books: Books, args: argparse.Namespace) -> Any:
    body: dict[str, Any] = {"name": args.name}
    for name in PROFILE_FIELDS:
        value = getattr(args, name)
        if value is not None:
            body[name] = "\t" if name == "delimiter" and value == "tab" else value
    if args.remittance:
        body["remittance"] = args.remittance
    if args.credit_mark:
        body["credit_marks"] = args.credit_mark
    return bank.save_profile(books, bank.profile_from(body)).to_dict()


def cmd_profile_list(books: Books, args: argparse.Namespace) -> Any:
    return [{**p.to_dict(), "builtin": p.builtin} for p in bank.list_profiles(books)]


def register(reg: Registry) -> None:
    g = reg.group("bank", "bank statements: import and match payments")
    p = reg.command("import", cmd_import, "read a camt.052/053/054 (XML or ZIP), MT940, OFX or "
                    "CSV statement; book the sure matches", g)
    p.add_argument("file")
    p.add_argument("--profile", help="the bank's CSV profile (see 'bank profile list')")
    p = reg.command("list", cmd_list, "transactions read from statements, newest first", g)
    p.add_argument("--waiting", action="store_true", help="only what waits for a decision")
    p.add_argument("--status", choices=STATUSES)
    p.add_argument("--limit", type=positive_int)
    p = reg.command("show", cmd_show, "one transaction with its reason and proposal", g)
    p.add_argument("tx", type=positive_int)
    p = reg.command("match", cmd_match, "book a waiting transaction on invoices (split with "
                    "an --amount per --invoice) or on a customer's oldest open invoices", g)
    p.add_argument("tx", type=positive_int)
    p.add_argument("--invoice", type=positive_int, action="append", default=[])
    p.add_argument("--amount", action="append", default=[])
    p.add_argument("--customer", type=positive_int)
    p = reg.command("accept", cmd_accept, "book a transaction as proposed, or every sure "
                    "proposal when no TX is given", g)
    p.add_argument("tx", type=positive_int, nargs="?")
    p = reg.command("ignore", cmd_ignore, "mark as not a customer payment (rent, refunds)", g)
    p.add_argument("tx", type=positive_int)
    p.add_argument("--note", default="")
    p = reg.command("reverse", cmd_reverse, "undo the payments booked from a transaction; it "
                    "waits for a decision again", g)
    p.add_argument("tx", type=positive_int)
    p.add_argument("--reason", default="")

    profiles = reg.subgroup("bank").add_parser(
        "profile", help="CSV profiles per bank", description="CSV profiles per bank",
        parents=[reg.common]).add_subparsers(dest="profile_action", required=True,
                                             metavar="ACTION")
    p = reg.command("add", cmd_profile_add, "save how a bank writes its CSV export", profiles)
    p.add_argument("name")
    p.add_argument("--date", required=True, help="column of the booking day")
    p.add_argument("--amount", help="column of the amount")
    p.add_argument("--date-format", help="as strftime writes it, e.g. %%d.%%m.%%Y")
    p.add_argument("--decimal", choices=(",", "."))
    p.add_argument("--delimiter", choices=(";", ",", "tab", "|"))
    p.add_argument("--encoding", help="e.g. cp1252, utf-8")
    p.add_argument("--sign", choices=("signed", "inverted", "split", "indicator"))
    p.add_argument("--value-date", help="column of the value date")
    p.add_argument("--credit", help="column of money in (sign split)")
    p.add_argument("--debit", help="column of money out (sign split)")
    p.add_argument("--indicator", help="column of the debit/credit mark (sign indicator)")
    p.add_argument("--credit-mark", action="append", default=[],
                   help="a mark that means money in (sign indicator), e.g. H")
    p.add_argument("--currency", help="column of the currency")
    p.add_argument("--counterparty", help="column of the payer's name")
    p.add_argument("--counterparty-account", help="column of the payer's IBAN")
    p.add_argument("--remittance", action="append", default=[],
                   help="column of the remittance text (repeat to join several)")
    p.add_argument("--reference", help="column of the bank's own id of a movement")
    reg.command("list", cmd_profile_list, "the built-in and saved CSV profiles", profiles)

    p = reg.command("reverse", cmd_payment_reverse, "undo a payment (one booked from a bank "
                    "transfer goes back with the transfer's other payments)",
                    reg.subgroup("payment"))
    p.add_argument("id", type=positive_int)
    p.add_argument("--reason", default="")

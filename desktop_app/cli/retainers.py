"""Commands for retainers: the same invoice every month, quarter or year."""

from __future__ import annotations

import argparse
from typing import Any

from desktop_app.cli.common import Registry, iso_date, lazy_services, positive_int, today
from desktop_app.domain.retainers import DELIVERY, EVERY
from desktop_app.services.books import Books

(retainers,) = lazy_services("retainers")


def cmd_add(books: Books, args: argparse.Namespace) -> Any:
    return retainers.add_retainer(books, retainers.RetainerInput(
        customer_id=args.customer, lines=args.line, every=args.every, day=args.day,
        start=args.start, end=args.end, count=args.count, terms=args.terms,
        deliver=args.deliver, title=args.title))


def cmd_list(books: Books, args: argparse.Namespace) -> Any:
    return retainers.list_retainers(books, customer_id=args.customer)


def cmd_show(books: Books, args: argparse.Namespace) -> Any:
    return retainers.show_retainer(books, args.id)


def cmd_price(books: Books, args: argparse.Namespace) -> Any:
    return retainers.set_price(books, args.id, args.line, args.from_day)


def cmd_pause(books: Books, args: argparse.Namespace) -> Any:
    return retainers.pause_retainer(books, args.id, args.date or today(args))


def cmd_resume(books: Books, args: argparse.Namespace) -> Any:
    return retainers.resume_retainer(books, args.id, args.date or today(args))


def cmd_end(books: Books, args: argparse.Namespace) -> Any:
    return retainers.end_retainer(books, args.id, args.date or today(args))


LINE_HELP = "DESC|QTY|UNIT_PRICE[|TAX_PERCENT[|UNIT[|CATEGORY]]], as for invoice add"


def register(reg: Registry) -> None:
    g = reg.group("recurring", "retainers: invoices issued by the daily run once per period")
    p = reg.command("add", cmd_add, "a retainer for a customer; whole calendar periods "
                    "from the start, each invoiced on its day by 'followup run'", g)
    p.add_argument("--customer", type=positive_int, required=True)
    p.add_argument("--line", action="append", required=True, help=LINE_HELP)
    p.add_argument("--every", choices=EVERY, required=True)
    p.add_argument("--day", type=positive_int, default=1,
                   help="the day of the period's first month the invoice is issued "
                        "(default 1; the last day of a shorter month)")
    p.add_argument("--start", type=iso_date, help="first day (default: today); a period "
                   "begun before it is not billed")
    ends = p.add_mutually_exclusive_group()
    ends.add_argument("--end", type=iso_date, help="the last period billed is the one "
                      "starting on or before this day")
    ends.add_argument("--count", type=positive_int, help="how many periods in all")
    p.add_argument("--terms", help="payment terms by name (default: the customer's)")
    p.add_argument("--deliver", choices=DELIVERY, default="mail",
                   help="mail: the invoice email is queued when issued; today: it waits on "
                        "Today to be looked at and sent")
    p.add_argument("--title", default="", help="a name for it (default: the first line)")

    p = reg.command("list", cmd_list, "retainers, each with what it invoiced and what is "
                    "coming", g)
    p.add_argument("--customer", type=positive_int)
    p = reg.command("show", cmd_show, "one retainer", g)
    p.add_argument("id", type=positive_int)
    p = reg.command("price", cmd_price, "new lines for the periods starting on or after a "
                    "day (invoices issued keep theirs)", g)
    p.add_argument("id", type=positive_int)
    p.add_argument("--from", dest="from_day", type=iso_date, required=True)
    p.add_argument("--line", action="append", required=True, help=LINE_HELP)
    for name, handler, help_ in (
            ("pause", cmd_pause, "no invoice for periods whose day falls in the pause"),
            ("resume", cmd_resume, "invoice again from the next period due"),
            ("end", cmd_end, "the last period billed is the one holding the day")):
        p = reg.command(name, handler, help_, g)
        p.add_argument("id", type=positive_int)
        p.add_argument("--date", type=iso_date, help="default: today")

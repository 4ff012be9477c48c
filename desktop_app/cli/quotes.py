"""Quotes: add, list, show, pdf, send, accept, decline, log a call, settings, report."""

from __future__ import annotations

import argparse
import json
from typing import Any

from desktop_app.cli.common import (
    Registry,
    iso_date,
    lazy_services,
    positive_int,
    whole_number,
    write_file,
    write_pdf,
)
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.quotes import QuoteStatus
from desktop_app.services.books import Books

quotes, quote_followup = lazy_services("quotes", "quote_followup")

STATUSES = tuple(s.value for s in QuoteStatus)

LINE_HELP = ("DESC|QTY|UNIT_PRICE[|TAX_PERCENT[|UNIT[|CATEGORY[|AVAILABILITY]]]], e.g. "
             "\"Pump P-40|2|450|19|||limited stock\"")


def cmd_add(books: Books, args: argparse.Namespace) -> Any:
    if not args.line:
        raise ValidationError("line", "a quote needs at least one --line")
    return quotes.add_quote(books, quotes.QuoteInput(
        customer_id=args.customer, lines=args.line, valid_days=args.valid_days,
        schedule=args.schedule, note=args.note))


def cmd_list(books: Books, args: argparse.Namespace) -> Any:
    return quotes.list_quotes(books, books.today(), status=args.status,
                              customer_id=args.customer)


def cmd_show(books: Books, args: argparse.Namespace) -> Any:
    return quotes.show_quote(books, args.id, books.today())


def cmd_pdf(books: Books, args: argparse.Namespace) -> Any:
    return write_pdf(args.output, quotes.quote_pdf(books, args.id))


def cmd_send(books: Books, args: argparse.Namespace) -> Any:
    return quotes.send_quote(books, args.id, by=args.by)


def cmd_accept(books: Books, args: argparse.Namespace) -> Any:
    accepted = quotes.accept_quote(books, args.id)
    result: dict[str, Any] = {"quote": accepted.quote, "invoice_id": accepted.invoice_id,
                              "deposit_letter_id": accepted.deposit_letter_id}
    if accepted.warning:  # the draft cannot be issued as it is: say so, and what to do
        result["warning"] = accepted.warning
    if args.letter:
        if not accepted.letter:
            result["letter"] = None  # no deposit asked: nothing to write
        else:
            result["letter"] = str(write_file(args.letter, accepted.letter))
    return result


def cmd_decline(books: Books, args: argparse.Namespace) -> Any:
    return quotes.decline_quote(books, args.id, args.reason)


def cmd_log(books: Books, args: argparse.Namespace) -> Any:
    return quote_followup.log_step(books, args.id, args.note, args.step)


def cmd_tasks(books: Books, args: argparse.Namespace) -> Any:
    return quote_followup.open_tasks(books)


def cmd_run(books: Books, args: argparse.Namespace) -> Any:
    return quote_followup.run_ladder(books, books.today())


def cmd_report(books: Books, args: argparse.Namespace) -> Any:
    return quotes.report(books, books.today(), args.period_from, args.period_to)


def cmd_settings(books: Books, args: argparse.Namespace) -> Any:
    ladder = None
    if args.ladder is not None:
        try:
            ladder = json.loads(args.ladder)
        except json.JSONDecodeError as exc:
            raise ValidationError("ladder", f"is not JSON ({exc.msg})") from None
        if not isinstance(ladder, list):
            raise ValidationError("ladder", "must be a JSON list of steps")
    if all(v is None for v in (args.valid_days, args.schedule, args.number_format, ladder)):
        settings = quotes.get_settings(books)
    else:
        settings = quotes.set_settings(books, validity_days=args.valid_days,
                                       schedule=args.schedule,
                                       number_format=args.number_format, ladder=ladder)
    return {"validity_days": settings.validity_days, "schedule": settings.schedule,
            "number_format": settings.number_format,
            "ladder": [{"name": s.name, "anchor": s.anchor, "days": s.days,
                        "channel": s.channel} for s in settings.ladder]}


def register(reg: Registry) -> None:
    g = reg.group("quote", "written quotes with a short validity, followed up until decided")
    p = reg.command("add", cmd_add, "a quote, numbered and dated today", g)
    p.add_argument("--customer", type=positive_int, required=True)
    p.add_argument("--line", action="append", default=[], help=LINE_HELP)
    p.add_argument("--valid-days", type=positive_int,
                   help="days the quote holds (default: the setting, 7)")
    p.add_argument("--schedule", help="what is asked on acceptance: 30/30/40 (a 30 %% "
                   "deposit), 50/50, deposit:P,monthly:N, or single for no deposit "
                   "(default: the setting)")
    p.add_argument("--note", default="", help="a sentence printed under the lines")
    p = reg.command("list", cmd_list, "quotes, newest first", g)
    p.add_argument("--status", choices=STATUSES)
    p.add_argument("--customer", type=positive_int)
    p = reg.command("show", cmd_show, "one quote with its lines and follow-up", g)
    p.add_argument("id", type=positive_int)
    p = reg.command("pdf", cmd_pdf, "the quote PDF (as sent, once sent)", g)
    p.add_argument("id", type=positive_int)
    p.add_argument("-o", "--output", required=True)
    p = reg.command("send", cmd_send, "send the quote: by email with its PDF, or record that "
                    "you handed it over; its follow-up starts", g)
    p.add_argument("id", type=positive_int)
    p.add_argument("--by", choices=("email", "hand"), default="email")
    p = reg.command("accept", cmd_accept, "the customer accepted: a draft invoice with the "
                    "schedule and the deposit request letter", g)
    p.add_argument("id", type=positive_int)
    p.add_argument("--letter", help="write the deposit request letter to this PDF file")
    p = reg.command("decline", cmd_decline, "the customer declined; keep the reason", g)
    p.add_argument("id", type=positive_int)
    p.add_argument("--reason", required=True)
    p = reg.command("log", cmd_log, "log the call (or task) a quote's follow-up asked for", g)
    p.add_argument("id", type=positive_int)
    p.add_argument("--note", required=True, help="what the customer said")
    p.add_argument("--step", help="which step (default: the oldest waiting)")
    reg.command("tasks", cmd_tasks, "calls and tasks of quotes waiting on the day's list", g)
    reg.command("run", cmd_run, "carry out the quote follow-up due today (followup run "
                "does this too)", g)
    p = reg.command("report", cmd_report, "quotes open, won, lost and expired, with their "
                    "value", g)
    p.add_argument("--from", dest="period_from", type=iso_date)
    p.add_argument("--to", dest="period_to", type=iso_date)
    p = reg.command("settings", cmd_settings, "validity, deposit schedule, number format "
                    "and follow-up ladder of new quotes", g)
    p.add_argument("--valid-days", type=whole_number)
    p.add_argument("--schedule")
    p.add_argument("--number-format")
    p.add_argument("--ladder", help='JSON list, e.g. [{"name": "check", "anchor": "sent", '
                   '"days": 2, "channel": "email"}, ...]')

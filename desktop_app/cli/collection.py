"""Commands for collecting: disputes and pauses, payment plans, write-offs, calls, promises,
follow-up policies and templates."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from desktop_app.cli.common import (
    Registry,
    iso_date,
    lazy_services,
    positive_int,
    today,
    whole_number,
    write_pdf,
)
from desktop_app.domain.credit import RELEASES
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.parties import CREDIT_STATUSES, EXCUSES
from desktop_app.services.books import Books

(calls, customers, disputes, documents, payment_plans, payments, policies, promises,
 user_templates, writeoffs) = lazy_services("followup.calls", "customers", "disputes", "documents",
                                       "payment_plans", "payments", "followup.policies", "promises",
                                       "user_templates", "writeoffs")


def _read(path: str, field: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ValidationError(field, f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ValidationError(field, f"{path} is not UTF-8 text") from None


def cmd_dispute_open(books: Books, args: argparse.Namespace) -> Any:
    return disputes.hold(books, args.invoice_id, args.reason, today(args), "dispute")


def cmd_pause(books: Books, args: argparse.Namespace) -> Any:
    return disputes.hold(books, args.invoice_id, args.reason, today(args), "pause")


def cmd_release(books: Books, args: argparse.Namespace) -> Any:
    return disputes.release(books, args.invoice_id, today(args), args.resolution)


def cmd_plan_create(books: Books, args: argparse.Namespace) -> Any:
    return payment_plans.create_plan(books, args.invoice, args.schedule,
                                     args.start or today(args), every=args.every,
                                     grace_days=args.grace_days)


def cmd_plan_agreement(books: Books, args: argparse.Namespace) -> Any:
    return write_pdf(args.output, documents.agreement_pdf(books, args.id))


def cmd_writeoff(books: Books, args: argparse.Namespace) -> Any:
    return writeoffs.write_off(books, args.invoice, args.reason, args.date or today(args),
                               args.amount)


def cmd_call_log(books: Books, args: argparse.Namespace) -> Any:
    return calls.log_call(books, calls.CallInput(
        invoice_id=args.invoice, outcome=args.outcome, on=today(args), note=args.note,
        next_step=args.next_step, promise_date=args.promise_date,
        promise_amount=args.promise_amount, excuse=args.excuse, promised_by=args.by))


def cmd_call_list(books: Books, args: argparse.Namespace) -> Any:
    return calls.open_tasks(books, args.customer)


def cmd_promise_review(books: Books, args: argparse.Namespace) -> Any:
    promises.review_broken_promise(books, args.id, today(args),
                                   lift_cash_only=args.lift_cash_only)
    return {"id": args.id, "reviewed_on": today(args), "cash_only_lifted": args.lift_cash_only}


def cmd_policy_list(books: Books, args: argparse.Namespace) -> Any:
    return policies.list_policies(books)


def cmd_policy_save(books: Books, args: argparse.Namespace) -> Any:
    try:
        body = json.loads(_read(args.file, "file"))
    except json.JSONDecodeError as exc:
        raise ValidationError("file", f"{args.file} is not JSON ({exc.msg}, line "
                              f"{exc.lineno})") from None
    return policies.save_policy(books, body, make_default=args.default)


def cmd_customer_policy(books: Books, args: argparse.Namespace) -> Any:
    policies.set_customer_policy(books, args.id, policy=args.policy, exempt=args.exempt)
    return {"id": args.id, "policy": args.policy, "exempt": args.exempt}


def cmd_credit_status(books: Books, args: argparse.Namespace) -> Any:
    return customers.set_credit_status(books, args.id, args.status, args.note)


def cmd_credit_release(books: Books, args: argparse.Namespace) -> Any:
    if args.hold is None and args.cash_only is None:
        return customers.get_credit_release(books)
    return customers.set_credit_release(books, hold=args.hold, cash_only=args.cash_only)


def cmd_template_show(books: Books, args: argparse.Namespace) -> Any:
    return user_templates.get_template(books, args.kind, args.stage, args.language)


def cmd_template_save(books: Books, args: argparse.Namespace) -> Any:
    return user_templates.save_template(books, args.kind, args.stage, args.language,
                                   _read(args.file, "file"))


def cmd_payment_order(books: Books, args: argparse.Namespace) -> Any:
    return {"order": payments.set_payment_order(books, args.order)}


def register(reg: Registry) -> None:
    g = reg.group("dispute", "disputed invoices: no reminders until resolved")
    p = reg.command("open", cmd_dispute_open, "hold an invoice because it is disputed", g)
    p.add_argument("invoice_id", type=positive_int, metavar="INVOICE_ID")
    p.add_argument("--reason", required=True)
    p = reg.command("resolve", cmd_release, "release a disputed invoice", g)
    p.add_argument("invoice_id", type=positive_int, metavar="INVOICE_ID")
    p.add_argument("--resolution", default="")

    g = reg.group("pause", "pause the follow-up of one invoice")
    p = reg.command("add", cmd_pause, "pause reminders for an invoice", g)
    p.add_argument("invoice_id", type=positive_int, metavar="INVOICE_ID")
    p.add_argument("--reason", required=True)
    p = reg.command("release", cmd_release, "resume reminders for an invoice", g)
    p.add_argument("invoice_id", type=positive_int, metavar="INVOICE_ID")
    p.add_argument("--resolution", default="")

    g = reg.group("plan", "payment plans")
    p = reg.command("create", cmd_plan_create, "split an open balance into new installments", g)
    p.add_argument("--invoice", type=positive_int, required=True)
    p.add_argument("--schedule", required=True, metavar="SPEC")
    p.add_argument("--start", type=iso_date, help="first installment (default: today)")
    p.add_argument("--every", type=positive_int, help="days between installments")
    p.add_argument("--grace-days", type=whole_number, default=payment_plans.DEFAULT_GRACE_DAYS)
    p = reg.command("agreement", cmd_plan_agreement, "write a payment plan's agreement", g)
    p.add_argument("id", type=positive_int, metavar="PLAN_ID")
    p.add_argument("-o", "--out", "--output", dest="output", required=True, metavar="FILE")

    p = reg.command("writeoff", cmd_writeoff, "write off what cannot be collected")
    p.add_argument("--invoice", type=positive_int, required=True)
    p.add_argument("--reason", required=True)
    p.add_argument("--amount", help="only this much (default: all that is open)")
    p.add_argument("--date", type=iso_date)

    g = reg.group("call", "phone calls")
    p = reg.command("log", cmd_call_log, "log a call's outcome", g)
    p.add_argument("--invoice", type=positive_int, required=True)
    p.add_argument("--outcome", required=True, choices=calls.OUTCOMES)
    p.add_argument("--note", default="")
    p.add_argument("--next-step", default="")
    p.add_argument("--promise-date", type=iso_date)
    p.add_argument("--promise-amount")
    p.add_argument("--excuse", default="other", choices=EXCUSES)
    p.add_argument("--by", default="", help="who promised")
    p = reg.command("list", cmd_call_list, "calls and tasks waiting for an outcome", g)
    p.add_argument("--customer", type=positive_int)

    p = reg.command("review", cmd_promise_review, "look at a broken promise",
                    reg.subgroup("promise"))
    p.add_argument("id", type=positive_int)
    p.add_argument("--lift-cash-only", action="store_true",
                   help="give the customer credit again")

    g = reg.group("policy", "follow-up policies")
    reg.command("list", cmd_policy_list, "the policies and their stages", g)
    p = reg.command("save", cmd_policy_save, "add or change a policy from a JSON file", g)
    p.add_argument("file")
    p.add_argument("--default", action="store_true", help="make it the default")
    p = reg.command("policy", cmd_customer_policy, "a customer's policy, or exempt it",
                    reg.subgroup("customer"))
    p.add_argument("id", type=positive_int)
    p.add_argument("--policy", help="policy name (default: the default policy)")
    p.add_argument("--exempt", action=argparse.BooleanOptionalAction, default=False,
                   help="never send this customer reminders")

    p = reg.command("credit-status", cmd_credit_status,
                    "set a customer's credit: good, hold or cash_only", reg.subgroup("customer"))
    p.add_argument("id", type=positive_int)
    p.add_argument("status", choices=CREDIT_STATUSES)
    p.add_argument("--note", default="", help="why (goes into the customer's log)")
    p = reg.command("credit-release", cmd_credit_release,
                    "how hold and cash only lift: by themselves once nothing is overdue "
                    "(paid_up) or only by hand", reg.subgroup("customer"))
    for status in ("hold", "cash-only"):
        p.add_argument(f"--{status}", choices=RELEASES)

    g = reg.group("template", "the words of letters and emails")
    for name, handler, help_ in (("show", cmd_template_show, "show a template"),
                                 ("save", cmd_template_save, "save your own template")):
        p = reg.command(name, handler, help_, g)
        p.add_argument("kind", choices=("letter", "mail"))
        p.add_argument("stage")
        p.add_argument("language")
        if name == "save":
            p.add_argument("file", help="UTF-8 text: subject line, blank line, body")

    p = reg.command("order", cmd_payment_order, "what a payment settles first",
                    reg.subgroup("payment"))
    p.add_argument("order", choices=payments.ORDERS)

"""Commands for the day's follow-up: the plan, carrying it out, and the mail that goes with it."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import Any

from desktop_app.cli.common import Registry, lazy_services, positive_int, today
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.followup import CHANNELS
from desktop_app.services.books import Books
from desktop_app.services.mail_presets import PRESET_NAMES

backups, decisions, followup_batches, followup_plan, mail, outbox, retainers = lazy_services(
    "backups", "decisions", "followup.batches", "followup.plan", "mail", "outbox", "retainers")


def cmd_plan(books: Books, args: argparse.Namespace) -> Any:
    return followup_plan.plan_day(books, today(args), customer_id=args.customer,
                             channels=args.channel or None)


def cmd_run(books: Books, args: argparse.Namespace) -> Any:
    backups.backup_if_due(books)  # the daily scheduled run keeps a copy of the day
    # Retainer invoices first, so that the follow-up below sends them with the rest.
    issued = retainers.issue_due(books, today(args)) if args.customer is None else None
    whole_day = followup_batches.BatchItem(customer_id=args.customer,
                                           channels=tuple(args.channel or ()) or None)
    report = followup_batches.run_batches(
        books, today(args), [whole_day], send=args.send,
        letters_path=Path(args.letters) if args.letters else None).report
    fields = {f.name: getattr(report, f.name) for f in dataclasses.fields(report)
              if f.name != "print_job" and not f.metadata.get("window")}
    if issued is not None:
        fields["retainer_invoices"] = issued.issued
        fields["emails_queued"] = (*issued.emails_queued, *report.emails_queued)
        fields["waiting"] = (*issued.waiting, *report.waiting)
        fields["failed"] = (*issued.failed, *report.failed)
    if report.letters and not args.letters:
        fields["waiting"] = (*fields["waiting"],
                             f"{report.letters} letter(s) stored; print them from the window "
                             "or run again with --letters FILE next time")
    return fields


def cmd_approve(books: Books, args: argparse.Namespace) -> Any:
    return decisions.approve_step(books, args.invoice, today(args))


def cmd_mail_set(books: Books, args: argparse.Namespace) -> Any:
    password = None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise ValidationError("password", "nothing was read from standard input")
    return mail.set_account(
        books, password=password, preset=args.preset, host=args.host, port=args.port,
        security=args.security, user=args.user, from_address=args.from_address,
        from_name=args.from_name, reply_to=args.reply_to, ca_file=args.ca_file,
        read_receipt=args.read_receipt,
        microsoft_client_id=args.microsoft_client_id or "")


def cmd_mail_sent_folder(books: Books, args: argparse.Namespace) -> Any:
    return mail.set_sent_folder(books, host=args.host, port=args.port, security=args.security,
                                user=args.user, folder=args.folder, ca_file=args.ca_file)


def cmd_mail_show(books: Books, args: argparse.Namespace) -> Any:
    return mail.get_account(books) or {"account": None}


def cmd_mail_signin(books: Books, args: argparse.Namespace) -> Any:
    sign_in = mail.start_microsoft_sign_in(books)
    print(sign_in.message, file=sys.stderr, flush=True)
    mail.finish_microsoft_sign_in(books, sign_in)
    return {"signed_in": True}


def cmd_mail_test(books: Books, args: argparse.Namespace) -> Any:
    return mail.test_account(books)


def cmd_outbox(books: Books, args: argparse.Namespace) -> Any:
    report = outbox.send_due(books) if args.retry else None
    listed = outbox.list_outbox(books, args.state or None)
    return {"sent": report, "messages": listed} if report else listed


def cmd_outbox_resend(books: Books, args: argparse.Namespace) -> Any:
    return outbox.resend(books, args.id)


def cmd_outbox_arrived(books: Books, args: argparse.Namespace) -> Any:
    return outbox.mark_arrived(books, args.id)


def register(reg: Registry) -> None:
    g = reg.group("followup", "the day's follow-up")
    for name, handler, help_ in (
            ("plan", cmd_plan, "what is due today; nothing is done"),
            ("run", cmd_run, "carry out what is due: emails queued, letters, calls")):
        p = reg.command(name, handler, help_, g)
        p.add_argument("--customer", type=positive_int, help="only this customer")
        p.add_argument("--channel", action="append", choices=CHANNELS,
                       help="only these channels (repeat for several)")
        if name == "run":
            p.add_argument("--send", action="store_true",
                           help="send the queued emails afterwards")
            p.add_argument("--letters", metavar="FILE",
                           help="write all of the day's letters into this PDF")

    p = reg.command("approve", cmd_approve, "take a step that waits because it costs more "
                    "than it can bring (or write the balance off instead)", g)
    p.add_argument("--invoice", type=positive_int, required=True)

    g = reg.group("mail", "your mail account")
    p = reg.command("set", cmd_mail_set, "SMTP settings; the password goes to the OS keyring", g)
    p.add_argument("--preset", default="generic", choices=PRESET_NAMES)
    p.add_argument("--host")
    p.add_argument("--port", type=positive_int)
    p.add_argument("--security", choices=("starttls", "ssl", "plain"))
    p.add_argument("--user")
    p.add_argument("--from", dest="from_address", required=True, metavar="ADDRESS")
    p.add_argument("--from-name", default="")
    p.add_argument("--reply-to", default="")
    p.add_argument("--read-receipt", action=argparse.BooleanOptionalAction, default=False,
                   help="invoice emails ask for a read receipt (a customer's own setting "
                        "wins)")
    p.add_argument("--ca-file", default="", help="extra CA certificate (PEM) to trust")
    p.add_argument("--microsoft-client-id", help="app registration for Microsoft 365 sign-in")
    p.add_argument("--password-stdin", action="store_true",
                   help="read the password from the first line of standard input")
    p = reg.command("sent-folder", cmd_mail_sent_folder,
                    "file a copy of each sent message in the Sent folder (IMAP)", g)
    p.add_argument("--host", required=True)
    p.add_argument("--port", type=positive_int, default=993)
    p.add_argument("--security", choices=("ssl", "starttls", "plain"), default="ssl")
    p.add_argument("--user", default="", help="default: the mail account's login")
    p.add_argument("--folder", default="", help="default: the server's Sent folder")
    p.add_argument("--ca-file", default="")
    reg.command("show", cmd_mail_show, "show the mail settings (never the password)", g)
    reg.command("test", cmd_mail_test, "log in to the mail server and out again", g)
    reg.command("signin", cmd_mail_signin,
                "sign in with Microsoft (Outlook / Microsoft 365) on this computer", g)

    p = reg.command("outbox", cmd_outbox, "queued, failed and sent mail")
    p.add_argument("--retry", action="store_true", help="send what is due now")
    p.add_argument("--state", action="append",
                   choices=("queued", "sending", "sent", "failed", "retrying", "unknown"))
    g = reg.group("message", "one message in the outbox")
    p = reg.command("resend", cmd_outbox_resend, "send again (same Message-ID)", g)
    p.add_argument("id", type=positive_int)
    p = reg.command("arrived", cmd_outbox_arrived, "mark an unknown message as arrived", g)
    p.add_argument("id", type=positive_int)

"""Commands for the books: company, terms, customers, invoices, payments, promises, backups."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop_app.cli.common import Registry, iso_date, lazy_services, positive_int, today
from desktop_app.clock import system_now as books_clock
from desktop_app.domain.late_payment import RULES
from desktop_app.domain.lines import LINE_SPEC, parse_period
from desktop_app.domain.terms import FEE_RULES
from desktop_app.services.books import Books, schema_revision
from desktop_app.window_words import LANGUAGES, catalogue

(backups, base_rates, company, customers, demo, einvoices, invoices, payments, promises,
 terms_service) = lazy_services("backups", "base_rates", "company", "customers", "demo",
                                "einvoices", "invoices", "payments", "promises", "terms")


def cmd_init(books: Books, args: argparse.Namespace) -> Any:
    return {"db": books.location, "schema": schema_revision(books)}


def cmd_demo(books: Books, args: argparse.Namespace) -> Any:
    return demo.fill_demo(books, as_of=today(args), invoices=args.invoices,
                          customers=args.customers, words=catalogue(args.language).gettext)


def _signer(spec: str | None) -> tuple[str | None, str | None]:
    """'NAME|TITLE' (the title may be left out); '' clears both."""
    if spec is None:
        return None, None
    name, _, title = spec.partition("|")
    return name.strip(), title.strip()


def cmd_company_set(books: Books, args: argparse.Namespace) -> Any:
    signer_name, signer_title = _signer(args.signer)
    return company.set_company(
        books, name=args.name, address=args.address, email=args.email, phone=args.phone,
        tax_id=args.tax_id, iban=args.iban, bic=args.bic, currency=args.currency,
        paper=args.paper, number_format=args.number_format, logo=args.logo,
        peppol_id=args.peppol_id,
        country=args.country, vat_id=args.vat_id, small_business=args.small_business,
        signer_name=signer_name, signer_title=signer_title,
        **{name: getattr(args, name) for name in COMPANY_TEXT_OPTIONS},
    )


def cmd_company_show(books: Books, args: argparse.Namespace) -> Any:
    return company.get_company(books)


def cmd_terms_add(books: Books, args: argparse.Namespace) -> Any:
    view = terms_service.add_terms(
        books, args.name, net_days=args.net_days, discount_percent=args.discount_percent,
        discount_days=args.discount_days, late_fee=args.late_fee,
        interest_annual_percent=args.interest_annual, grace_days=args.grace_days,
        instructions=args.instructions, make_default=args.default, late_rule=args.late_rule,
        fee_rule=args.fee_rule,
    )
    return {"id": view.id, "name": view.name} if args.json else view


def cmd_terms_list(books: Books, args: argparse.Namespace) -> Any:
    return terms_service.list_terms(books)


def cmd_customer_add(books: Books, args: argparse.Namespace) -> Any:
    view = customers.add_customer(
        books, name=args.name, email=args.email, address=args.address, phone=args.phone,
        language=args.language, terms=args.terms, credit_limit=args.credit_limit,
        contacts=args.contact, notes=args.notes, einvoice=args.einvoice,
        leitweg_id=args.leitweg_id, peppol_id=args.peppol_id, vat_id=args.vat_id or "",
        number=args.number or "", country=args.country or "", consumer=bool(args.consumer),
        credit_granted=args.credit_granted,
    )
    return {"id": view.id} if args.json else view


def cmd_customer_update(books: Books, args: argparse.Namespace) -> Any:
    """Only what is given changes: details, and the e-invoice channel."""
    customers.amend_customer(
        books, args.id, name=args.name, email=args.email, address=args.address,
        phone=args.phone, language=args.language, terms=args.terms, notes=args.notes,
        vat_id=args.vat_id, number=args.number, country=args.country, consumer=args.consumer,
        **({"contacts": tuple(args.contact)} if args.contact else {}))
    if (args.einvoice, args.leitweg_id, args.peppol_id) != (None, None, None):
        einvoices.set_customer_einvoice(books, args.id, fmt=args.einvoice,
                                        leitweg_id=args.leitweg_id, peppol_id=args.peppol_id)
    return customers.show_customer(books, args.id)


def cmd_customer_show(books: Books, args: argparse.Namespace) -> Any:
    return customers.show_customer(books, args.id)


def cmd_customer_list(books: Books, args: argparse.Namespace) -> Any:
    return customers.list_customers(books, args.search)


def cmd_invoice_add(books: Books, args: argparse.Namespace) -> Any:
    view = invoices.create_draft(books, invoices.DraftInput(
        customer_id=args.customer, lines=args.line, terms=args.terms, schedule=args.schedule,
        every=args.every, issue_date=args.date, supply_date=args.supply_date,
        period=parse_period(args.supply_period, "supply-period") if args.supply_period
        else None, buyer_reference=args.buyer_reference, order_reference=args.order_reference,
    ))
    if not args.json:
        return view
    # The credit warning only when there is one (no credit yet, near or over the limit).
    return {"id": view.id, **({"credit_flag": view.credit_flag} if view.credit_flag else {})}


def cmd_invoice_issue(books: Books, args: argparse.Namespace) -> Any:
    return invoices.issue_invoice(books, args.id, args.date or today(args),
                                  without_payment_details=args.without_payment_details)


def cmd_invoice_show(books: Books, args: argparse.Namespace) -> Any:
    return invoices.show_invoice(books, args.id)


def cmd_invoice_list(books: Books, args: argparse.Namespace) -> Any:
    query = invoices.InvoiceQuery(status=args.status, customer_id=args.customer,
                                  search=args.search,
                                  overdue_on=(today(args)) if args.overdue else None)
    return invoices.list_invoices(books, query, limit=args.limit)


def cmd_invoice_void(books: Books, args: argparse.Namespace) -> Any:
    return invoices.void_invoice(books, args.id, args.reason, args.date or today(args))


def cmd_payment_add(books: Books, args: argparse.Namespace) -> Any:
    result = payments.record_payment(books, payments.PaymentInput(
        invoice_id=args.invoice, amount=args.amount, paid_on=args.date or today(args),
        method=args.method, reference=args.reference,
    ))
    return result.invoice if args.json else result


def cmd_promise_add(books: Books, args: argparse.Namespace) -> Any:
    view = promises.add_promise(books, promises.PromiseInput(
        invoice_id=args.invoice, promised_for=args.date, made_on=today(args),
        amount=args.amount, excuse=args.excuse, note=args.note, promised_by=args.by,
    ))
    return {"id": view.id} if args.json else view


def cmd_rate_add(books: Books, args: argparse.Namespace) -> Any:
    return base_rates.add_base_rate(books, args.zone, args.start, args.rate)


def cmd_rate_list(books: Books, args: argparse.Namespace) -> Any:
    return base_rates.list_base_rates(books)


def cmd_backup(books: Books, args: argparse.Namespace) -> Any:
    return {"path": backups.backup_now(books, Path(args.to) if args.to else None)}


def cmd_restore(target: str | None, args: argparse.Namespace) -> Any:
    """Runs without opening the books first: they may be damaged, which is when a restore
    is needed most."""
    done = backups.restore_file(target, Path(args.file), clock=books_clock)
    key = "damaged_books_set_aside" if done.damaged else "previous_copy"
    return {"path": done.source, "books": done.books, key: done.previous}



def _einvoice_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--einvoice", metavar="FORMAT",
                   help="none, facturx, xrechnung-cii, xrechnung-ubl, peppol or default")
    p.add_argument("--leitweg-id", help="a German public buyer's Leitweg-ID ('' removes it)")
    p.add_argument("--peppol-id", metavar="SCHEME:ID", help="the customer's Peppol endpoint")


# company set --bank-name ... : the seller's legal data and payment details, as typed.
COMPANY_TEXT_OPTIONS = ("register", "directors", "bank_name", "account_holder",
                        "account_number", "routing_number", "correspondent_account", "kpp",
                        "checks_payable_to", "remit_to")


def _customer_options(p: argparse.ArgumentParser, *, defaults: bool) -> None:
    blank = "" if defaults else None
    p.add_argument("--email", default=blank)
    p.add_argument("--address", default=blank)
    p.add_argument("--phone", default=blank)
    p.add_argument("--language", default="en" if defaults else None)
    p.add_argument("--terms")
    p.add_argument("--notes", default=blank)
    p.add_argument("--contact", action="append", default=[], metavar="ROLE:NAME:EMAIL")
    p.add_argument("--vat-id", help="the customer's VAT ID (BT-48)")
    p.add_argument("--number", help="your customer number for it")
    p.add_argument("--country", help="ISO country code (DE, FR, US ...)")
    p.add_argument("--consumer", action=argparse.BooleanOptionalAction,
                   default=False if defaults else None,
                   help="a private person, not a business (statutory late interest)")


def register(reg: Registry) -> None:
    reg.command("init", cmd_init, "create or migrate the database")
    p = reg.command("demo", cmd_demo, "fill a realistic demo data set")
    p.add_argument("--invoices", type=positive_int, default=60)
    p.add_argument("--customers", type=positive_int)
    p.add_argument("--language", choices=LANGUAGES, default="en",
                   help="the language of the demo's terms, items and notes")

    g = reg.group("company", "your own business")
    p = reg.command("set", cmd_company_set, "set your company's details", g)
    for opt in ("name", "address", "email", "phone", "tax-id", "iban", "bic", "currency",
                "number-format", "logo", "country", "vat-id",
                *(o.replace("_", "-") for o in COMPANY_TEXT_OPTIONS)):
        p.add_argument(f"--{opt}")
    p.add_argument("--peppol-id", metavar="SCHEME:ID",
                   help="your Peppol endpoint (default: from your VAT ID)")
    p.add_argument("--paper", choices=("a4", "letter"))
    p.add_argument("--signer", metavar="NAME|TITLE", help="who signs your letters")
    p.add_argument("--small-business", action=argparse.BooleanOptionalAction, default=None,
                   help="no VAT charged (UStG § 19 and the like)")
    reg.command("show", cmd_company_show, "show your company's details", g)

    g = reg.group("terms", "payment terms")
    p = reg.command("add", cmd_terms_add, "add named payment terms", g)
    p.add_argument("name")
    p.add_argument("--net-days", required=True)
    p.add_argument("--discount-percent", default="0")
    p.add_argument("--discount-days", default="0")
    p.add_argument("--late-fee", default="0")
    p.add_argument("--fee-rule", default=None, choices=FEE_RULES,
                   help="charge the late fee per reminder (the default), per invoice a "
                        "reminder names, or once per invoice (statutory terms: once per "
                        "invoice)")
    p.add_argument("--interest-annual", default="0")
    p.add_argument("--grace-days", default="0")
    p.add_argument("--instructions", default="")
    p.add_argument("--default", action="store_true", help="make these the company's default")
    p.add_argument("--late-rule", default="", choices=("", *RULES),
                   help="statutory late-payment terms instead of --interest-annual")
    reg.command("list", cmd_terms_list, "list payment terms", g)

    g = reg.group("customer", "customers")
    p = reg.command("add", cmd_customer_add, "add a customer", g)
    p.add_argument("--name", required=True)
    p.add_argument("--credit-limit")
    p.add_argument("--credit-granted", action="store_true",
                   help="a customer known from before, whose credit was decided already: "
                        "invoiced on its terms at once, with no credit application")
    _customer_options(p, defaults=True)
    _einvoice_options(p)
    p = reg.command("update", cmd_customer_update,
                    "change some of a customer's details or how it receives e-invoices", g)
    p.add_argument("id", type=positive_int)
    p.add_argument("--name")
    _customer_options(p, defaults=False)
    _einvoice_options(p)
    p = reg.command("show", cmd_customer_show, "show one customer", g)
    p.add_argument("id", type=positive_int)
    p = reg.command("list", cmd_customer_list, "list customers", g)
    p.add_argument("--search", default="")

    g = reg.group("invoice", "invoices")
    p = reg.command("add", cmd_invoice_add, "create a draft invoice", g)
    p.add_argument("--customer", type=positive_int, required=True)
    p.add_argument("--line", action="append", default=[], metavar=LINE_SPEC,
                   help="UNIT a UN/ECE Rec. 20 code (C62, HUR, DAY, KGM ...); CATEGORY an "
                        "EN 16931 VAT category (S Z E AE K G O), E with its reason as E:REASON")
    p.add_argument("--terms")
    p.add_argument("--schedule", metavar="SPEC")
    p.add_argument("--every", type=positive_int, help="days between schedule shares")
    p.add_argument("--date", type=iso_date, help="planned issue date")
    when = p.add_mutually_exclusive_group()
    when.add_argument("--supply-date", type=iso_date, help="when the goods or services were "
                      "supplied (default: the issue date)")
    when.add_argument("--supply-period", metavar="D1..D2")
    p.add_argument("--buyer-reference", default="", help="the buyer's reference (a Leitweg-ID)")
    p.add_argument("--order-reference", default="", help="the buyer's order number")
    p = reg.command("issue", cmd_invoice_issue, "issue a draft: number and freeze it", g)
    p.add_argument("id", type=positive_int)
    p.add_argument("--date", type=iso_date)
    p.add_argument("--without-payment-details", action="store_true",
                   help="issue although your company has no account to print")
    p = reg.command("show", cmd_invoice_show, "show one invoice", g)
    p.add_argument("id", type=positive_int)
    p = reg.command("list", cmd_invoice_list, "list invoices", g)
    p.add_argument("--status", choices=invoices.STATUSES)
    p.add_argument("--customer", type=positive_int)
    p.add_argument("--search", default="")
    p.add_argument("--overdue", action="store_true")
    p.add_argument("--limit", type=positive_int)
    p = reg.command("void", cmd_invoice_void, "void an issued invoice with a credit note", g)
    p.add_argument("id", type=positive_int)
    p.add_argument("--reason", required=True)
    p.add_argument("--date", type=iso_date)

    g = reg.group("payment", "payments received")
    p = reg.command("add", cmd_payment_add, "record a payment and allocate it", g)
    p.add_argument("--invoice", type=positive_int, required=True)
    p.add_argument("--amount", required=True)
    p.add_argument("--date", type=iso_date)
    p.add_argument("--method", default="bank_transfer", choices=payments.METHODS)
    p.add_argument("--reference", default="")

    g = reg.group("promise", "promises to pay")
    p = reg.command("add", cmd_promise_add, "record a promise to pay", g)
    p.add_argument("--invoice", type=positive_int, required=True)
    p.add_argument("--date", type=iso_date, required=True)
    p.add_argument("--amount")
    p.add_argument("--excuse", default="other")
    p.add_argument("--note", default="")
    p.add_argument("--by", default="", help="who promised")

    g = reg.group("rate", "base rates of statutory late interest (DE: BGB § 247; ECB)")
    p = reg.command("add", cmd_rate_add, "add a published base rate", g)
    p.add_argument("zone", choices=("DE", "ECB"))
    p.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--rate", required=True, metavar="PERCENT")
    reg.command("list", cmd_rate_list, "the base-rate table", g)

    p = reg.command("backup", cmd_backup, "make a consistent copy of the database")
    p.add_argument("--to", metavar="FILE")
    p = reg.command("restore", cmd_restore, "replace the database with a checked backup",
                    opens_books=False)
    p.add_argument("file")

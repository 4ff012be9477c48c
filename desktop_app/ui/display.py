"""Words and numbers as a person reads them: money, dates, status names, refusals."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.numbers import (
    format_compact_currency,
    format_currency,
    format_decimal,
)
from PySide6.QtCore import QLocale

from desktop_app.domain.errors import PaidUpError, ValidationError
from desktop_app.domain.money import ZERO, Separators, plain_text, read_decimal

INVOICE_STATUS = {
    "draft": "Draft",
    "issued": "Issued",
    "partially_paid": "Partly paid",
    "paid": "Paid",
    "written_off": "Written off",
    "void": "Void",
    "open": "Open",
    "replaced": "Replaced by a plan",
}
CREDIT_STATUS = {"good": "Good", "hold": "On hold", "cash_only": "Cash only"}
CREDIT_HELP = {
    "good": "Invoices on the usual terms.",
    "hold": "No new work or deliveries until the balance is settled.",
    "cash_only": "Payment before delivery: no more credit until fully paid.",
}
CONTACT_ROLES = {
    "billing": "Billing",
    "accounts_payable": "Accounts payable",
    "executive": "Executive",
    "sales_rep": "Our sales rep",
}
EINVOICE_FORMATS = {
    "none": "None: the PDF only",
    "facturx": "ZUGFeRD / Factur-X (PDF with the data inside)",
    "xrechnung-cii": "XRechnung, CII (German public buyers)",
    "xrechnung-ubl": "XRechnung, UBL (German public buyers)",
    "peppol": "Peppol BIS Billing (UBL)",
}
LANGUAGES = {
    "en": "English",
    "de": "Deutsch",
    "ru": "Русский",
    "zh_CN": "简体中文",
    "zh_TW": "繁體中文",
}
METHODS = {
    "bank_transfer": "Bank transfer",
    "card": "Card",
    "cash": "Cash",
    "cheque": "Cheque",
    "direct_debit": "Direct debit",
    "other": "Other",
}
EXCUSES = {
    "cheque_in_mail": "The cheque is in the mail",
    "approval_pending": "Waiting for approval",
    "cash_tight": "Cash is tight",
    "documents_missing": "Documents missing",
    "other": "Other",
}
LETTER_STAGES = {
    "upcoming": "Friendly heads-up before the due date",
    "due": "Due today",
    "reminder_1": "First reminder",
    "reminder_2": "Second reminder (firmer, with fees)",
    "final_notice": "Final notice",
    "handover": "Notice before handing over",
}
PAPER = {"a4": "A4 (210 × 297 mm)", "letter": "US Letter (8.5 × 11 in)"}
STAGE_NAMES = {
    "invoice": "Invoice",
    "receipt": "Did it arrive?",
    "upcoming": "Heads-up",
    "due": "Due today",
    "reminder_1": "First reminder",
    "call": "Phone call",
    "reminder_2": "Second reminder",
    "final_notice": "Final notice",
    "handover": "Handover",
    "promise": "Promise",
}
CHANNELS = {"email": "Email", "letter": "Letter", "call": "Call", "task": "Task"}
OUTCOMES = {"reached": "Reached someone", "no_answer": "No answer"}
HOLD_KINDS = {"dispute": "Dispute (the customer contests it)",
              "pause": "Pause (agreed to wait)"}
FEE_RULES = {  # domain.terms.FEE_RULES, as the terms form offers them
    "per_reminder": "Per reminder (one fee however many invoices it names)",
    "per_invoice": "Per invoice a reminder names",
    "once_per_invoice": "Once per invoice (a flat sum for collecting it)",
}
LATE_RULES = {  # domain.late_payment.RULES, as the terms form offers them
    "": "As set here (the fee and the rate above)",
    "de_288": "German law, § 288 BGB (base rate + 9 or 5 points, EUR 40 once)",
    "fr_l441": "French law, art. L441-10 C. com. (ECB rate + 10 points, EUR 40 once)",
}
PAYMENT_ORDERS = {
    "charges_first": "Fees and interest first, then the invoice (the usual legal order)",
    "principal_first": "The invoice first, then fees and interest",
}


@cache
def _locale() -> Locale:
    name = QLocale.system().name()
    try:
        return Locale.parse(name if name not in ("C", "POSIX") else "en_US")
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en_US")


def money(amount: Decimal | None, currency: str) -> str:
    if amount is None:
        return ""
    # -0 equals 0 (and would share its cache entry) but prints as "-€0.00"
    return _money(amount if amount else ZERO, currency)


# Lists format the same amounts and days again at every repaint: Babel takes a fifth of a
# millisecond each, and the locale is fixed for the process, so the words are kept.
@lru_cache(maxsize=8192)
def _money(amount: Decimal, currency: str) -> str:
    return format_currency(amount, currency, locale=_locale())


def money_short(amount: Decimal, currency: str) -> str:
    """A round figure for a chart's scale: €12K."""
    return format_compact_currency(amount, currency, locale=_locale(), fraction_digits=0)


def number(value: Decimal | int) -> str:
    return format_decimal(value, locale=_locale())


def month(value: date) -> str:
    """March 2026 (in the user's locale)."""
    return format_skeleton("yMMMM", value, locale=_locale())


@lru_cache(maxsize=4096)
def day(value: date | None) -> str:
    return format_date(value, "medium", locale=_locale()) if value else ""


def stage(name: str) -> str:
    """A follow-up stage as the user reads it; a stage the user named is shown as named."""
    return STAGE_NAMES.get(name) or name.replace("_", " ").capitalize()


def days(n: int) -> str:
    return f"{n} day" if abs(n) == 1 else f"{n} days"


def lateness(days_late: int) -> str:
    """How late an item is, in words: '12 days', 'today', 'in 7 days'."""
    if days_late > 0:
        return days(days_late)
    return "today" if days_late == 0 else f"in {days(-days_late)}"


def home_path(location: str) -> str:
    """A path under the user's home folder as ~/..., as people write it; anything else (a
    server URL, another disk) as it is."""
    home = str(Path.home())
    if home not in ("", "/") and (location == home or location.startswith(home + os.sep)):
        return "~" + location[len(home):]
    return location


def books_name(location: str) -> str:
    """The books as people call them: a file by its name without the folder and suffix
    ("lindenhof"), a server's by its database ("lindenhof on db.office.example")."""
    if "://" in location:
        url = urlsplit(location)
        database = url.path.strip("/") or "books"
        return f"{database} on {url.hostname}" if url.hostname else database
    return Path(location).stem or location


def long_day(value: date) -> str:
    """Monday, November 23, 2026 (in the user's locale)."""
    return format_date(value, "full", locale=_locale())


def plain_number(text: str) -> str:
    """What the user typed in their locale ('1.234,50') as the services read it ('1234.50').

    Text that is not a number is passed on unchanged, so that the service refuses it with the
    words the user typed.
    """
    stripped = text.strip()
    if not stripped:
        return ""
    try:
        return plain_text(read_decimal(stripped, "number", Separators.of_locale(str(_locale()))))
    except ValidationError:
        return stripped


def sentence(message: str) -> str:
    """A service message as a sentence: capital first letter, full stop at the end."""
    text = message.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def refusal(exc: PaidUpError) -> str:
    """The refusal as one sentence a person understands, field included when there is one."""
    if isinstance(exc, ValidationError):
        return sentence(f"{exc.field.replace('-', ' ')}: {exc.message}")
    return sentence(str(exc))

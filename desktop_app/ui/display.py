"""Words and numbers as a person reads them: money, dates, status names, refusals."""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton, get_date_format
from babel.numbers import (
    UnknownCurrencyError,
    format_compact_currency,
    format_currency,
    format_decimal,
)

from desktop_app import messages
from desktop_app.domain.errors import PaidUpError, ValidationError
from desktop_app.domain.money import ZERO, minor_digits, plain_text, read_localized
from desktop_app.ui import translate
from desktop_app.ui.translate import N_, NC_, Words, _, ngettext, pgettext

INVOICE_STATUS = Words({
    "draft": N_("Draft"),
    "issued": N_("Issued"),
    "partially_paid": N_("Partly paid"),
    "paid": N_("Paid"),
    "written_off": N_("Written off"),
    "void": N_("Void"),
    "open": N_("Open"),
    "replaced": N_("Replaced by a plan"),
})
CREDIT_STATUS = Words({"good": N_("Good"), "hold": N_("On hold"), "cash_only": N_("Cash only")})
CREDIT_HELP = Words({
    "good": N_("Invoices on the usual terms."),
    "hold": N_("No new work or deliveries until the balance is settled."),
    "cash_only": N_("Payment before delivery: no more credit until fully paid."),
})
CONTACT_ROLES = Words({
    "billing": N_("Billing"),
    "accounts_payable": N_("Accounts payable"),
    "executive": N_("Executive"),
    "sales_rep": N_("Our sales rep"),
})
EINVOICE_FORMATS = Words({
    "none": N_("None: the PDF only"),
    "facturx": N_("ZUGFeRD / Factur-X (PDF with the data inside)"),
    "xrechnung-cii": N_("XRechnung, CII (German public buyers)"),
    "xrechnung-ubl": N_("XRechnung, UBL (German public buyers)"),
    "peppol": N_("Peppol BIS Billing (UBL)"),
})
LANGUAGES = translate.LANGUAGES  # each named in its own words
METHODS = Words({
    "bank_transfer": N_("Bank transfer"),
    "card": N_("Card"),
    "cash": N_("Cash"),
    "cheque": N_("Cheque"),
    "direct_debit": N_("Direct debit"),
    "other": N_("Other"),
})
EXCUSES = Words({
    "cheque_in_mail": N_("The cheque is in the mail"),
    "approval_pending": N_("Waiting for approval"),
    "cash_tight": N_("Cash is tight"),
    "documents_missing": N_("Documents missing"),
    "other": N_("Other"),
})
LETTER_STAGES = Words({
    "upcoming": N_("Friendly heads-up before the due date"),
    "due": N_("Due today"),
    "reminder_1": N_("First reminder"),
    "reminder_2": N_("Second reminder (firmer, with fees)"),
    "final_notice": N_("Final notice"),
    "handover": N_("Notice before handing over"),
})
PAPER = Words({"a4": N_("A4 (210 × 297 mm)"), "letter": N_("US Letter (8.5 × 11 in)")})
STAGE_NAMES = Words({
    "invoice": N_("Invoice"),
    "receipt": N_("Did it arrive?"),
    "upcoming": N_("Heads-up"),
    "due": N_("Due today"),
    "reminder_1": N_("First reminder"),
    "call": N_("Phone call"),
    "reminder_2": N_("Second reminder"),
    "final_notice": N_("Final notice"),
    "handover": N_("Handover"),
    "promise": N_("Promise"),
})
CHANNELS = Words({"email": N_("Email"), "letter": N_("Letter"), "call": N_("Call"),
                  "task": N_("Task")})
OUTCOMES = Words({"reached": N_("Reached someone"), "no_answer": N_("No answer")})
HOLD_KINDS = Words({"dispute": N_("Dispute (the customer contests it)"),
              "pause": N_("Pause (agreed to wait)")})
FEE_RULES = Words({  # domain.terms.FEE_RULES, as the terms form offers them
    "per_reminder": N_("Per reminder (one fee however many invoices it names)"),
    "per_invoice": N_("Per invoice a reminder names"),
    "once_per_invoice": N_("Once per invoice (a flat sum for collecting it)"),
})
LATE_RULES = Words({  # domain.late_payment.RULES, as the terms form offers them
    "": N_("As set here (the fee and the rate above)"),
    "de_288": N_("German law, § 288 BGB (base rate + 9 or 5 points, EUR 40 once)"),
    "fr_l441": N_("French law, art. L441-10 C. com. (ECB rate + 10 points, EUR 40 once)"),
})
PAYMENT_ORDERS = Words({
    "charges_first": N_("Fees and interest first, then the invoice (the usual legal order)"),
    "principal_first": N_("The invoice first, then fees and interest"),
})


def _locale() -> Locale:
    """The chosen language's formats (translate.current), e.g. de_DE: 1.234,56 €."""
    return _parsed(translate.current().locale)


@cache
def _parsed(name: str) -> Locale:
    try:
        return Locale.parse(name)
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en_US")


def money(amount: Decimal | None, currency: str) -> str:
    if amount is None:
        return ""
    # -0 equals 0 (and would share its cache entry) but prints as "-€0.00"
    return _money(amount if amount else ZERO, currency, translate.current().locale)


# Lists format the same amounts and days again at every repaint: Babel takes a fifth of a
# millisecond each, so the words are kept (by locale: a test may switch languages).
@lru_cache(maxsize=8192)
def _money(amount: Decimal, currency: str, locale: str) -> str:
    return format_currency(amount, currency, locale=_parsed(locale))


def money_short(amount: Decimal, currency: str) -> str:
    """A round figure for a chart's scale: €12K."""
    return format_compact_currency(amount, currency, locale=_locale(), fraction_digits=0)


def number(value: Decimal | int) -> str:
    return format_decimal(value, locale=_locale())


def typed_money(amount: Decimal, currency: str) -> str:
    """An amount as a person types it into a field, in the locale, with the currency's
    decimals and no symbol: 1116.8 EUR is "1.116,80" in German, not "1.116,8"."""
    places = Decimal(1).scaleb(-minor_digits(currency))
    return decimals(amount.quantize(places))


def decimals(value: Decimal) -> str:
    """A number with as many decimals as it was written with, as the locale writes numbers:
    300.00 is 300,00 in German (``number`` drops the zeros)."""
    if not value.is_finite():
        return str(value)
    # the places are part of the key: 300 and 300.00 are equal, and hash alike
    return _decimals(value, max(-int(value.as_tuple().exponent), 0),
                     translate.current().locale)


@lru_cache(maxsize=4096)
def _decimals(value: Decimal, places: int, locale: str) -> str:
    parsed = _parsed(locale)
    pattern = copy.copy(parsed.decimal_formats[None])
    pattern.frac_prec = (places, places)
    return pattern.apply(value, parsed)


def month(value: date) -> str:
    """March 2026 (in the user's locale)."""
    return format_skeleton("yMMMM", value, locale=_locale())


def day(value: date | None) -> str:
    return _day(value, translate.current().locale) if value else ""


@lru_cache(maxsize=4096)
def _day(value: date, locale: str) -> str:
    return format_date(value, "medium", locale=_parsed(locale))


def date_entry_format() -> str:
    """The locale's numeric date (12/4/2026, 04.12.2026, 2026/12/4) as a Qt date-edit
    pattern, with the year in full so that a typed year is never guessed."""
    pattern = get_date_format("short", locale=_locale()).pattern
    return re.sub(r"y+", "yyyy", pattern.replace("'", ""))


def stage(name: str) -> str:
    """A follow-up stage as the user reads it; a stage the user named is shown as named."""
    return STAGE_NAMES.get(name) or name.replace("_", " ").capitalize()


# Installment labels as the schedules store them (English), read in the window's language;
# a label the user typed is shown as typed (documents/i18n.Lang.label does the same on paper).
_INSTALLMENT_WORDS = Words({"Payment": N_("Payment"), "Deposit": N_("Deposit"),
                            "Final payment": N_("Final payment")})
_NUMBERED_INSTALLMENTS = (
    (re.compile(r"Progress payment (?P<n>\d+)"), N_("Progress payment {n}")),
    (re.compile(r"Installment (?P<n>\d+) of (?P<count>\d+)"), N_("Installment {n} of {count}")),
    (re.compile(r"Plan (?P<n>\d+) of (?P<count>\d+)"), N_("Plan {n} of {count}")),
)


def installment(label: str) -> str:
    if label in _INSTALLMENT_WORDS:
        return _INSTALLMENT_WORDS[label]
    for pattern, message in _NUMBERED_INSTALLMENTS:
        if match := pattern.fullmatch(label):
            return _(message).format(**match.groupdict())
    return label


def short_day(value: date) -> str:
    """Nov 23 (in the user's locale): a chart's axis."""
    return format_skeleton("MMMd", value, locale=_locale())


def days(n: int | Decimal) -> str:
    """'1 day', '3 days'; Russian has three forms (1 день, 3 дня, 5 дней), Chinese one."""
    count = int(n) if isinstance(n, int) or n == n.to_integral_value() else 2
    return ngettext("{n} day", "{n} days", abs(count)).format(n=number(n))


def lateness(days_late: int) -> str:
    """How late an item is, in words: '12 days', 'today', 'in 7 days'."""
    if days_late > 0:
        return days(days_late)
    return _("today") if days_late == 0 else _("in {days}").format(days=days(-days_late))


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
        return _("{database} on {server}").format(database=database, server=url.hostname) \
            if url.hostname else database
    return Path(location).stem or location


def long_day(value: date) -> str:
    """Monday, November 23, 2026 (in the user's locale)."""
    return format_date(value, "full", locale=_locale())


def plain_number(text: str, field: str) -> str:
    """What the user typed in their locale ('1.234,50') as the services read it ('1234.50');
    empty stays empty. Text the locale does not explain is refused with the field named."""
    stripped = text.strip()
    if not stripped:
        return ""
    return plain_text(read_localized(stripped, field, str(_locale())))


# What the services write into the activity log: "Payment of 5000.00 EUR on 2026-11-23".
_LOGGED_AMOUNT = re.compile(r"(?<![\w.])(-?[0-9]+(?:\.[0-9]+)?) ([A-Z]{3})\b")
_LOGGED_DAY = re.compile(r"\b([0-9]{4})-([0-9]{2})-([0-9]{2})\b")


def logged(summary: str) -> str:
    """An activity entry as the rest of the window writes money and days (€5,000.00, Nov
    23, 2026): the log keeps the plain forms the services wrote at the time."""
    def amount(match: re.Match[str]) -> str:
        try:
            return money(Decimal(match.group(1)), match.group(2))
        except (ArithmeticError, ValueError, UnknownCurrencyError):
            return match.group(0)

    def on(match: re.Match[str]) -> str:
        try:
            return day(date(*(int(part) for part in match.groups())))
        except ValueError:
            return match.group(0)

    return _LOGGED_DAY.sub(on, _LOGGED_AMOUNT.sub(amount, summary))


@cache
def _in_the_window() -> dict[str, str]:
    """Messages of the core that name the command line too: the window names only its own
    way (read when first needed: the services are not loaded for the window's first paint)."""
    from desktop_app.services.books import NO_COMPANY
    from desktop_app.services.mail import NOT_SET_UP
    return {NOT_SET_UP: N_("mail: set up your mail account first (Settings › Mail)"),
            NO_COMPANY: N_("company: set up your company first (name, address, currency) in "
                           "Settings › Company")}


def said_here(message: str) -> str:
    """A message of the core in the window's language, as the window says it."""
    return _(_in_the_window().get(message, message))


def activity(summary: str, message: str = "",
             values: Mapping[str, messages.Value] | None = None) -> str:
    """An activity entry in the window's language, its money and days as the locale writes
    them. Entries kept before messages were, and notes a person typed, show their summary."""
    if not message:
        return logged(summary)
    try:
        return messages.say(said_here(message), values or {}, _said)
    except (KeyError, IndexError, ValueError):  # a translation naming a field it lacks
        return logged(summary)


def _said(value: messages.Value) -> str:
    if isinstance(value, messages.Amount):
        return money(value.value, value.currency)
    if isinstance(value, Decimal):
        return decimals(value)
    if isinstance(value, date):
        return day(value)
    if isinstance(value, messages.Word):
        return _(value.text)
    if isinstance(value, messages.Field):
        return field(value.name)
    if isinstance(value, messages.Way):
        return _(value.window)
    if isinstance(value, messages.Said):
        return messages.say(said_here(value.message), value.values, _said)
    if isinstance(value, int):
        return number(value)
    return value


def note(said: messages.Said | None, english: str) -> str:
    """A service's note in the window's language; its English where it has no message (an
    address, a server's answer, a note a person typed)."""
    if said is None:
        return english
    try:
        return messages.say(said_here(said.message), said.values, _said)
    except (KeyError, IndexError, ValueError):  # a translation naming a field it lacks
        return english


def said(message: messages.Said | None) -> str:
    """A message with its values in the window's language (its English where the catalogue
    cannot say it); empty for none."""
    return "" if message is None else note(message, messages.english(message))


def sentence(message: str) -> str:
    """A service message as a sentence: capital first letter, full stop at the end."""
    text = message.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    if text.endswith((".", "!", "?", "。", "！", "？")):
        return text
    # TRANSLATORS: the full stop ending a refusal's sentence (Chinese: 。)
    return text + pgettext("sentence", ".")


def refusal(exc: PaidUpError) -> str:
    """The refusal as one sentence a person understands, field included when there is one."""
    if isinstance(exc, ValidationError):
        # TRANSLATORS: a refused field's name and why it was refused (Chinese: full-width ：)
        return sentence(pgettext("refusal", "{field}: {why}").format(field=field(exc.field),
                                                                      why=refused(exc)))
    return sentence(refused(exc))


def refused(exc: PaidUpError) -> str:
    """A service's refusal in the window's language, its money and days as the locale writes
    them (the English sentence where its message has no translation)."""
    if not exc.template:
        return exc.message
    try:
        return messages.say(said_here(exc.template), exc.values, _said) if exc.values \
            else said_here(exc.template)
    except (KeyError, IndexError, ValueError):  # a translation naming a field it lacks
        return exc.message


# Fields the core numbers or names at run time: a thing, which one, and maybe the part of it
# refused ("line 3 tax percent", "step 2 days", "stage reminder_1 cost", "contact 2").
_NUMBERED = re.compile(r"(line|contact|step|stage) (\S+)(?: (.+))?")
_WHOLE = Words({"line": NC_("field", "line {which}"), "contact": NC_("field", "contact {which}"),
                "step": NC_("field", "step {which}")})
_PARTS = Words({
    "description": NC_("field", "description"), "quantity": NC_("field", "quantity"),
    "unit price": NC_("field", "unit price"), "price": NC_("field", "price"),
    "tax percent": NC_("field", "tax percent"), "VAT rate": NC_("field", "VAT rate"),
    "discount percent": NC_("field", "discount percent"),
    "discount": NC_("field", "discount"), "category": NC_("field", "category"),
    "unit": NC_("field", "unit"), "net amount": NC_("field", "net amount"),
    "period": NC_("field", "period"), "availability": NC_("field", "availability"),
    "name": NC_("field", "name"), "role": NC_("field", "role"), "email": NC_("field", "email"),
    "anchor": NC_("field", "anchor"), "channel": NC_("field", "channel"),
    "channels": NC_("field", "channels"), "days": NC_("field", "days"),
    "template": NC_("field", "template"), "cost": NC_("field", "cost"),
    "roles": NC_("field", "roles"), "offset": NC_("field", "offset"),
    "attach": NC_("field", "attach"),
})


def field(name: str) -> str:
    """A refused field's name as the window's language says it ("due-date": "due date";
    "line 3 tax percent": "Zeile 3, Steuersatz")."""
    said = pgettext("field", name)
    if said != name:
        return said
    numbered = _NUMBERED.fullmatch(name)
    if numbered is None or (numbered[3] is not None and numbered[3] not in _PARTS):
        return name.replace("-", " ")
    kind, which, part = numbered.groups()
    whole = stage(which) if kind == "stage" else _WHOLE[kind].format(which=which)
    # TRANSLATORS: a numbered thing and the part of it a refusal names ("line 3, tax percent")
    return whole if part is None else pgettext("field", "{whole}, {part}").format(
        whole=whole, part=_PARTS[part])

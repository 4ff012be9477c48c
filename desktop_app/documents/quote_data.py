"""A quote as its PDF and emails show it, and the emails of its follow-up in the reader's
language. Light to import: the PDF itself is drawn by ``documents.quote``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from desktop_app.documents.data import Company, Customer, InvoiceLine
from desktop_app.documents.i18n import Lang
from desktop_app.domain.lines import TaxBand
from desktop_app.domain.schedule import When


@dataclass(frozen=True, slots=True)
class QuoteLine:
    line: InvoiceLine
    availability: str = ""


@dataclass(frozen=True, slots=True)
class SchedulePart:
    """A share of the schedule asked on acceptance: its label, percent, amount and when it
    falls due (counted from the acceptance, when the invoice is made)."""

    label: str
    percent: Decimal
    amount_minor: int
    when: When


def deposit_of(schedule: tuple[SchedulePart, ...] | list[SchedulePart]) -> SchedulePart | None:
    """The deposit: a first share due on acceptance with more to follow; a schedule whose
    first share falls due later asks for none."""
    if len(schedule) < 2 or not schedule[0].when.at_start:
        return None
    return schedule[0]


@dataclass(frozen=True, slots=True)
class Quote:
    company: Company
    customer: Customer
    number: str
    quote_date: date
    valid_until: date
    currency: str
    lines: tuple[QuoteLine, ...]
    bands: tuple[TaxBand, ...]
    subtotal_minor: int
    tax_minor: int
    total_minor: int
    schedule: tuple[SchedulePart, ...] = ()  # empty or one part: no deposit
    note: str = ""


def lang_of(quote: Quote) -> Lang:
    return Lang(quote.customer.language, quote.customer.babel_locale)


@dataclass(frozen=True, slots=True)
class QuoteMail:
    subject: str
    body: str


def quote_mail(step: str, quote: Quote, contact: str, signer: str) -> QuoteMail:
    """The email of a ladder step (``sent``, ``check``, ``last_day``) in the reader's
    language: a greeting, one paragraph, the sign-off."""
    t = lang_of(quote)
    amount = t.money(quote.total_minor, quote.currency)
    number = quote.number
    if step == "sent":
        subject = t("Quote %(number)s", number=number)
        text = t("Please find attached our quote %(number)s of %(date)s for %(amount)s. It "
                 "is valid until %(valid)s.", number=number, date=t.date(quote.quote_date),
                 amount=amount, valid=t.date(quote.valid_until))
    elif step == "last_day":
        subject = t("Quote %(number)s is valid until %(date)s", number=number,
                    date=t.date(quote.valid_until))
        text = t("Our quote %(number)s for %(amount)s is valid until %(date)s. If you would "
                 "like to order, please let us know by then; after that day prices and "
                 "availability may change.", number=number, amount=amount,
                 date=t.date(quote.valid_until))
    else:
        subject = t("Quote %(number)s: is the price right?", number=number)
        text = t("A few days ago we sent you our quote %(number)s for %(amount)s. Is the "
                 "price right, and when would you like to order? We are glad to answer any "
                 "question.", number=number, amount=amount)
    greeting = t("Dear %(name)s,", name=contact) if contact else t("Dear Sir or Madam,")
    sign = "\n".join(x for x in (signer, quote.company.name) if x)
    return QuoteMail(subject, f"{greeting}\n\n{text}\n\n{t('Kind regards,')}\n{sign}\n")

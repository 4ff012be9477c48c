"""The demo's past, lived day by day through the same services as real work.

Invoices are issued on their days, each payment is booked on its own day, and each day gone
by is followed up by the real run: letters stored, calls put on the list and then logged,
tasks done, so the log, the letters and the dossier say what the stage records say. Emails of
the past are written from the company's own address and filed as sent that day: nothing the
demo made waits in the outbox to go out once the user sets up their mail. The day itself is
left to the user: Today shows its work.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from desktop_app.domain.errors import RuleViolation
from desktop_app.domain.money import from_minor, to_minor
from desktop_app.domain.status import InvoiceStatus
from desktop_app.domain.vat import VatCategory, propose_category
from desktop_app.mail.account import Account, Security
from desktop_app.messages import N_
from desktop_app.services import invoices, payments, quote_followup, quotes, receipts, retainers
from desktop_app.services.books import Books, audit
from desktop_app.services.changes import OpChanges, states
from desktop_app.services.demo_data import (
    CATALOG,
    SCHEDULES,
    Words,
    add_customers,
    ensure_company,
    ensure_terms,
    fate,
)
from desktop_app.services.followup import calls
from desktop_app.services.followup import run as followup
from desktop_app.services.records import DemoCounts
from desktop_app.storage.models import Company, Customer

# What the customers said on the phone, in turn.
CALLS = (
    ("reached", N_("Spoke to accounts payable: the invoice is approved"),
     N_("Payment run on Friday; check the bank then")),
    ("no_answer", N_("Nobody picked up; left a message"), N_("Try again in a few days")),
    ("reached", N_("The invoice was with the wrong department; they are passing it on"),
     N_("Check the bank next week")),
)
QUOTE_NOTES = (N_("Called: they are comparing two offers"),
               N_("Wrote: they asked for more time"), N_("Called: no decision yet"))
CANCELLED = N_("Order cancelled by the customer")
HANDED_ON = N_("File handed to the collection agency")


@dataclass
class _Invoice:
    """One invoice as the story will have it: who, when, what, and what becomes of it."""

    customer_id: int
    issue: date
    picks: list[tuple[str, Decimal, Decimal, Decimal, str]]  # catalogue rows and quantities
    schedule: str
    fate: str
    id: int = 0


@dataclass(frozen=True)
class _Cast:
    """Who is in the story: the company's country and each customer's, for the VAT of a
    line, the address the past's emails went from, and the language its notes are in."""

    country: str
    customers: dict[int, tuple[str, str]]  # country, VAT ID
    account: Account
    can_be_paid: bool  # the company gave a way to pay (the first-run wizard may not ask)
    words: Words

    def charged_vat(self, customer_id: int) -> bool:
        country, vat_id = self.customers[customer_id]
        return propose_category(self.country, country, vat_id) is VatCategory.STANDARD

    def lines(self, item: _Invoice, customer_id: int) -> list[invoices.LineInput]:
        standard = self.charged_vat(customer_id)
        return [invoices.LineInput(self.words(desc), quantity, price,
                                   tax if standard else Decimal(0), unit=unit)
                for desc, quantity, price, tax, unit in item.picks]


@dataclass
class _Days:
    """What happens on each day, in the order of a working day."""

    issue: dict[date, list[_Invoice]] = field(default_factory=lambda: defaultdict(list))
    receipt: dict[date, list[int]] = field(default_factory=lambda: defaultdict(list))
    pay: dict[date, list[tuple[int, int | None]]] = field(
        default_factory=lambda: defaultdict(list))  # (invoice, minor units; None: all due)
    void: dict[date, list[int]] = field(default_factory=lambda: defaultdict(list))
    other: dict[date, list[Callable[[Books], None]]] = field(
        default_factory=lambda: defaultdict(list))


def on_day(books: Books, day: date) -> Books:
    """The books as they were on ``day``: its date, and its morning for timestamps."""
    morning = datetime.combine(day, time(9), tzinfo=UTC)
    return replace(books, today=lambda: day, clock=lambda: morning)


def _account(company: Company) -> Account:
    """The company's own address, for the emails of the past only: never saved as the mail
    account, so the user still sets up their own."""
    address = company.email or "office@company.example"  # the first-run wizard asks none
    return Account(host=f"smtp.{address.partition('@')[2]}", port=587,
                   security=Security.STARTTLS, user=address, from_address=address,
                   from_name=company.name)


@states(OpChanges.ALL)
def tell(books: Books, *, as_of: date, count: int, customers: int, span: int, seed: int,
         words: Words, progress: Callable[[int, int], None] | None = None) -> DemoCounts:
    """The demo books, their past lived from the first invoice's day to ``as_of``, all in
    one transaction: a demo stopped halfway (``progress`` raising, a crash) leaves none."""
    with books.db.one_transaction():
        return _tell(books, as_of=as_of, count=count, customers=customers, span=span,
                     seed=seed, words=words, progress=progress)


def _tell(books: Books, *, as_of: date, count: int, customers: int, span: int, seed: int,
          words: Words, progress: Callable[[int, int], None] | None) -> DemoCounts:
    rnd = random.Random(seed)
    with books.db.write() as session:
        company = ensure_company(session)
        terms = ensure_terms(session, company, words)
        people = add_customers(books, session, company, customers, terms, rnd, words)
        cast = _Cast(company.country, {c.id: (c.country, c.vat_id) for c in people},
                     _account(company), invoices.has_payment_details(company), words)
        planned = _plan(people, as_of, count, span, rnd)
    days = _Days()
    drafts = planned[len(planned) - max(1, len(planned) // 50):]
    for item in planned[:len(planned) - len(drafts)]:
        days.issue[item.issue].append(item)
    _add_quotes(days, [c for c in cast.customers if cast.charged_vat(c)], as_of, words)
    _add_retainer(days, people[-1].id, as_of, words)
    first = min([*days.issue, *days.other], default=as_of)
    total = (as_of - first).days + 1
    for offset in range(total):
        if progress is not None:
            progress(offset, total)
        day = first + timedelta(days=offset)
        _live(on_day(books, day) if day < as_of else replace(books, today=lambda: as_of),
              day, as_of, days, cast, rnd)
    day_books = replace(books, today=lambda: as_of)
    for item in drafts:
        invoices.create_draft(day_books, invoices.DraftInput(
            customer_id=item.customer_id, lines=cast.lines(item, item.customer_id),
            schedule=item.schedule or None))
    by_status = Counter(row.status for row in invoices.list_invoices(day_books))
    with books.db.write() as session:
        audit(session, books, "demo.fill", "database", None,
              {"invoices": count, "customers": customers, "as_of": as_of})
    return DemoCounts(customers=customers, terms=len(terms), invoices=sum(by_status.values()),
                      payments=payments.count_payments(books),
                      by_status={s.value: by_status.get(s.value, 0) for s in InvoiceStatus})


def _plan(people: list[Customer], as_of: date, count: int, span: int, rnd: random.Random
          ) -> list[_Invoice]:
    """Who is invoiced when and for what, and what becomes of it; oldest first."""
    out = []
    for _ in range(count):
        customer = rnd.choice(people)
        issue = as_of - timedelta(days=int(span * rnd.random() ** 1.6))
        picks = [(desc, Decimal(rnd.randint(1, 12)), price, tax, unit)
                 for desc, price, tax, unit in rnd.sample(CATALOG, rnd.randint(1, 4))]
        out.append(_Invoice(customer.id, issue, picks, rnd.choice(SCHEDULES),
                            fate(rnd, (as_of - issue).days)))
    out.sort(key=lambda item: item.issue)
    return out


def _live(books: Books, day: date, as_of: date, days: _Days, cast: _Cast,
          rnd: random.Random) -> None:
    """One working day: invoices out, receipts noted, money in, cancellations, quotes and
    retainers, then (on a day gone by) the day's follow-up and the calls made."""
    for item in days.issue.pop(day, []):
        _issue(books, item, days, as_of, cast, rnd)
    for invoice_id in days.receipt.pop(day, []):
        receipts.record_receipt(books, invoice_id, via=rnd.choice(("email", "phone")))
    for invoice_id, minor in days.pay.pop(day, []):
        _pay(books, invoice_id, minor, day)
    for invoice_id in days.void.pop(day, []):
        invoices.void_invoice(books, invoice_id, cast.words(CANCELLED), day)
    for event in days.other.pop(day, []):
        event(books)
    if day >= as_of:
        return
    retainers.issue_due(books, day)
    followup.run_day(books, day, past_account=cast.account)
    _calls_made(books, day, cast.words, rnd)


def _issue(books: Books, item: _Invoice, days: _Days, as_of: date, cast: _Cast,
           rnd: random.Random) -> None:
    """Issue on its day; a customer on hold or over their limit gets no more on credit, so
    the work goes to another customer."""
    others = [c for c in cast.customers if c != item.customer_id]
    rnd.shuffle(others)
    for customer_id in (item.customer_id, *others):
        draft = invoices.create_draft(books, invoices.DraftInput(
            customer_id=customer_id, lines=cast.lines(item, customer_id),
            schedule=item.schedule or None))
        try:
            invoices.issue_invoice(books, draft.id, item.issue,
                                   without_payment_details=not cast.can_be_paid)
        except RuleViolation:
            invoices.delete_draft(books, draft.id)
            continue
        item.id, item.customer_id = draft.id, customer_id
        _plan_money(books, item, days, as_of, rnd)
        return


def _plan_money(books: Books, item: _Invoice, days: _Days, as_of: date,
                rnd: random.Random) -> None:
    """When the customer confirms, pays or cancels, as the invoice's fate has it."""
    view = invoices.show_invoice(books, item.id)
    if rnd.random() < 0.5:
        days.receipt[min(as_of, item.issue + timedelta(days=rnd.randint(1, 2)))].append(item.id)
    if item.fate == "void":
        days.void[min(as_of, item.issue + timedelta(days=rnd.randint(1, 10)))].append(item.id)
        return
    parts = list(view.installments)
    for position, part in enumerate(parts, 1):
        if part.due_date > as_of and item.fate != "paid":
            break
        pay_on = max(item.issue, part.due_date + timedelta(days=rnd.randint(-5, 20)))
        if pay_on > as_of:  # paid early: some day between the invoice and today
            pay_on = item.issue + timedelta(days=rnd.randint(0, (as_of - item.issue).days))
        amount = to_minor(part.amount, view.currency)
        if item.fate == "paid":
            days.pay[pay_on].append((item.id, None if position == len(parts) else amount))
        elif item.fate == "partial" and position == 1:
            days.pay[pay_on].append((item.id, amount if len(parts) > 1 else amount // 2))


def _pay(books: Books, invoice_id: int, minor: int | None, day: date) -> None:
    """Money in by bank transfer; a customer settling in full pays the charges too."""
    view = invoices.show_invoice(books, invoice_id)
    owed = to_minor(view.due, view.currency)
    amount = owed if minor is None else min(minor, owed)
    if amount <= 0:
        return
    payments.record_payment(books, payments.PaymentInput(
        invoice_id, from_minor(amount, view.currency), day,
        reference=f"{view.number} {view.customer_name}"[:140]))


def _calls_made(books: Books, day: date, words: Words, rnd: random.Random) -> None:
    """The day's calls are made and its tasks done, as a person would from Today."""
    for task in calls.open_tasks(books):
        if task.created_on != day:
            continue
        if task.channel == "call":
            outcome, note, next_step = CALLS[rnd.randrange(len(CALLS))]
            calls.log_call(books, calls.CallInput(task.invoice_id, outcome, day,
                                                  note=words(note),
                                                  next_step=words(next_step)))
        else:
            calls.complete_task(books, task.invoice_id, day, note=words(HANDED_ON))
    for step in quote_followup.open_tasks(books):
        quote_followup.log_step(books, step.quote_id, words(rnd.choice(QUOTE_NOTES)),
                                step.step)


def _add_quotes(days: _Days, customer_ids: list[int], as_of: date, words: Words) -> None:
    """Three quotes: one accepted (a draft invoice with its deposit request), one still
    open, and one that ran out unanswered."""
    lines = (f"{words(N_('Installation work'))}|16|68.50|19|HUR",
             f"{words(N_('Spare parts kit'))}|2|312.40|19|SET")

    def offer(customer_id: int, made: date, valid_days: int, accepted: date | None) -> None:
        quote_id: list[int] = []

        def make(books: Books) -> None:
            view = quotes.add_quote(books, quotes.QuoteInput(
                customer_id, list(lines), valid_days=valid_days, schedule="30/70"))
            quotes.send_quote(books, view.id, by="hand")
            quote_id.append(view.id)

        def accept(books: Books) -> None:
            quotes.accept_quote(books, quote_id[0])

        days.other[made].append(make)
        if accepted is not None:
            days.other[accepted].append(accept)

    ids = customer_ids[:3] if len(customer_ids) >= 3 else customer_ids * 3
    offer(ids[0], as_of - timedelta(days=20), 30, as_of - timedelta(days=15))
    offer(ids[1], as_of - timedelta(days=2), 30, None)
    offer(ids[2], as_of - timedelta(days=50), 21, None)


def _add_retainer(days: _Days, customer_id: int, as_of: date, words: Words) -> None:
    """A monthly maintenance contract, running for the last few months."""
    start = (as_of.replace(day=1) - timedelta(days=70)).replace(day=1)
    title = words(N_("Maintenance contract"))

    def sign(books: Books) -> None:
        retainers.add_retainer(books, retainers.RetainerInput(
            customer_id, [f"{title}|1|149.00|19|MON"], every="month", day=1,
            start=start, title=title))

    days.other[start].append(sign)

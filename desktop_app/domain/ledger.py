"""What a customer owes, replayed from its events in the order of their days.

Money is entered in whatever order an office gets to it: a payment that arrived on 10
December is typed on the 20th, after a reminder of the 16th charged a fee. The books must come
out as if every event had been entered on its own day, so the state of the money is never
kept as the sum of entries made so far; it is ``replay``-ed from the events each time one is
added:

- a **payment** settles what was owed on its value date: the charges incurred before that day
  (fees, then interest, oldest first; or the debt first when the business chooses), then the
  oldest open installment; the rest is the customer's credit. Inside the discount window a
  payment that brings the money to at least the discounted total earns the discount.
- a **write-off** takes what was open on its day (all of it, or the amount given).
- a **charge** (a reminder's fee, interest) exists from the day the reminder went out. It
  stands only if the reminder would have gone out knowing every payment made by that day:
  a fee needs one of the installments its reminder was about to be open that day (it moves to
  another such installment if the one it was booked on was paid), interest is what accrued
  on each day's balance less what earlier reminders already claimed. Nothing stands above
  what the reminder claimed. What no longer stands is reversed; the services log it.

On one day payments come first, then write-offs, then the day's reminders (money that arrived
on a day was owed no reminder that day). The replay is a pure function: the same events give
the same books in any order of entry, which the property tests hold it to.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from desktop_app.domain.interest import InterestRate, accrued_interest_minor, first_interest_day
from desktop_app.domain.money import ZERO
from desktop_app.domain.terms import FEE_RULES


@dataclass(frozen=True, slots=True)
class LedgerInvoice:
    key: int
    discount_minor: int = 0  # the early-payment discount on offer (0: none)
    discount_until: date | None = None
    interest_rate: Decimal | InterestRate = ZERO  # a year, fixed or changing (statutory)
    grace_days: int = 0
    late_fee_minor: int = 0
    fee_rule: str = FEE_RULES[0]
    principal_first: bool = False  # every payment settles the debt first (a payment plan)
    money_from: date | None = None  # a payment plan's day: money counts from it on


@dataclass(frozen=True, slots=True)
class LedgerInstallment:
    key: int
    invoice: int
    due_date: date
    amount_minor: int


@dataclass(frozen=True, slots=True)
class LedgerPayment:
    key: int
    invoice: int
    paid_on: date
    amount_minor: int
    principal_first: bool = False  # the business settles the debt before the charges


@dataclass(frozen=True, slots=True)
class LedgerWriteOff:
    key: int
    invoice: int
    written_on: date
    amount_minor: int | None  # None: whatever is open that day


@dataclass(frozen=True, slots=True)
class LedgerCharge:
    """A fee or interest a reminder claimed. ``covers`` are the installments the reminder
    was about (a fee may move among them); ``fixed`` charges (taken over by a payment plan
    the customer signed) always stand."""

    key: int
    kind: str  # fee, interest
    charged_on: date
    claimed_minor: int
    covers: tuple[int, ...]
    fixed: bool = False


@dataclass(frozen=True, slots=True)
class Applied:
    """Part of a payment or a write-off applied to an installment or to a charge on it."""

    source: str  # payment, write_off
    source_key: int
    installment: int
    kind: str  # payment, discount, write_off (the debt); fee, interest (a charge)
    amount_minor: int
    on_day: date
    charge: int | None = None


@dataclass(slots=True)
class ChargeState:
    key: int
    kind: str
    charged_on: date
    installment: int
    amount_minor: int  # what stands
    settled_minor: int = 0
    written_off_minor: int = 0

    @property
    def open_minor(self) -> int:
        return self.amount_minor - self.settled_minor - self.written_off_minor


@dataclass(slots=True)
class InstallmentState:
    key: int
    invoice: int
    due_date: date
    amount_minor: int
    paid_minor: int = 0  # money and discount
    written_off_minor: int = 0
    reductions: list[tuple[date, int]] = field(default_factory=list)

    @property
    def open_minor(self) -> int:
        return self.amount_minor - self.paid_minor - self.written_off_minor


@dataclass
class Ledger:
    installments: dict[int, InstallmentState]
    charges: dict[int, ChargeState]
    applied: list[Applied]
    credit: dict[int, int]  # payment -> what was left over
    discount: dict[int, int]  # invoice -> discount granted
    written_off: dict[int, int]  # write-off -> what it took

    def payment_applied(self, payment: int, kinds: Iterable[str]) -> int:
        wanted = set(kinds)
        return sum(a.amount_minor for a in self.applied
                   if a.source == "payment" and a.source_key == payment and a.kind in wanted)


_FEES_FIRST = {"fee": 0, "interest": 1}


def replay(invoices: Sequence[LedgerInvoice], installments: Sequence[LedgerInstallment],
           charges: Sequence[LedgerCharge], payments: Sequence[LedgerPayment],
           write_offs: Sequence[LedgerWriteOff]) -> Ledger:
    """The money of one customer's invoices from their events (see the module's words)."""
    terms = {i.key: i for i in invoices}
    state = {i.key: InstallmentState(i.key, i.invoice, i.due_date, i.amount_minor)
             for i in installments}
    by_invoice: dict[int, list[InstallmentState]] = defaultdict(list)
    for inst in sorted(state.values(), key=lambda s: (s.due_date, s.key)):
        by_invoice[inst.invoice].append(inst)
    book = Ledger(state, {}, [], {}, {}, {})
    first_write_off: dict[int, date] = {}
    fee_stands: set[int] = set()  # invoices with a standing fee (once per invoice)
    interest_so_far: dict[int, int] = defaultdict(int)

    def day_of(invoice: int, day: date) -> date:
        start = terms[invoice].money_from
        return max(day, start) if start else day

    events: list[tuple[date, int, int, object]] = []
    events += [(day_of(p.invoice, p.paid_on), 0, p.key, p) for p in payments]
    events += [(w.written_on, 1, w.key, w) for w in write_offs]
    events += [(c.charged_on, 2, c.key, c) for c in charges]
    for day, _, _, event in sorted(events, key=lambda e: e[:3]):
        if isinstance(event, LedgerPayment):
            _pay(book, terms[event.invoice], by_invoice[event.invoice], event, day,
                 first_write_off)
        elif isinstance(event, LedgerWriteOff):
            first_write_off.setdefault(event.invoice, day)
            _write_off(book, by_invoice[event.invoice], event, day)
        elif isinstance(event, LedgerCharge):
            _charge(book, terms, event, fee_stands, interest_so_far)
    return book


def _open_charges(book: Ledger, invoice: int, before: date) -> list[ChargeState]:
    """The invoice's charges incurred before ``before``, fees first, oldest first."""
    found = [c for c in book.charges.values()
             if book.installments[c.installment].invoice == invoice and c.open_minor > 0
             and c.charged_on < before]
    return sorted(found, key=lambda c: (_FEES_FIRST[c.kind], c.charged_on, c.key))


def _apply_to_charges(book: Ledger, source: str, key: int, charges: list[ChargeState],
                      amount: int, day: date, *, write_off: bool = False) -> int:
    used = 0
    for charge in charges:
        take = min(amount - used, charge.open_minor)
        if take <= 0:
            break
        if write_off:
            charge.written_off_minor += take
        else:
            charge.settled_minor += take
        book.applied.append(Applied(source, key, charge.installment, charge.kind, take, day,
                                    charge.key))
        used += take
    return used


def _apply_to_debt(book: Ledger, source: str, key: int, items: list[InstallmentState],
                   amount: int, day: date, kind: str) -> int:
    """Oldest open installment first; returns what was used."""
    used = 0
    for inst in items:
        take = min(amount - used, inst.open_minor)
        if take <= 0:
            continue
        if kind == "write_off":
            inst.written_off_minor += take
        else:
            inst.paid_minor += take
        inst.reductions.append((day, take))
        book.applied.append(Applied(source, key, inst.key, kind, take, day))
        used += take
        if used == amount:
            break
    return used


def _pay(book: Ledger, terms: LedgerInvoice, items: list[InstallmentState],
         payment: LedgerPayment, day: date, first_write_off: dict[int, date]) -> None:
    left = payment.amount_minor
    principal_first = terms.principal_first or payment.principal_first
    if not principal_first:
        left -= _apply_to_charges(book, "payment", payment.key,
                                  _open_charges(book, terms.key, day), left, day)
    debt = sum(i.open_minor for i in items)
    discount = 0
    written_off_before = terms.key in first_write_off and first_write_off[terms.key] <= day
    if (terms.discount_minor > 0 and terms.key not in book.discount and not written_off_before
            and terms.discount_until is not None and day <= terms.discount_until
            and left >= debt - terms.discount_minor):
        # Paid at least the discounted total in time (DOMAIN: 2/10 net 30): the discount
        # settles the rest, and what was paid beyond the discounted total is credit.
        discount = min(terms.discount_minor, debt)
    money = _apply_to_debt(book, "payment", payment.key, items, min(left, debt - discount), day,
                           "payment")
    left -= money
    if discount:
        book.discount[terms.key] = _apply_to_debt(book, "payment", payment.key, items, discount,
                                                  day, "discount")
    if principal_first:
        left -= _apply_to_charges(book, "payment", payment.key,
                                  _open_charges(book, terms.key, day), left, day)
    book.credit[payment.key] = left


def _write_off(book: Ledger, items: list[InstallmentState], write_off: LedgerWriteOff,
               day: date) -> None:
    invoice = write_off.invoice
    wanted = write_off.amount_minor
    limit = sum(i.open_minor for i in items) if wanted is None else wanted
    used = _apply_to_debt(book, "write_off", write_off.key, items, limit, day, "write_off")
    open_charges = _open_charges(book, invoice, day)
    rest = sum(c.open_minor for c in open_charges) if wanted is None else wanted - used
    used += _apply_to_charges(book, "write_off", write_off.key, open_charges, rest, day,
                              write_off=True)
    book.written_off[write_off.key] = used


def _charge(book: Ledger, terms: dict[int, LedgerInvoice], charge: LedgerCharge,
            fee_stands: set[int], interest_so_far: dict[int, int]) -> None:
    covered = [book.installments[k] for k in charge.covers if k in book.installments]
    if not covered:
        return  # about nothing this replay knows (another era): left as it is
    # The most overdue first, as the follow-up chose the fee's carrier (claim_fees).
    open_now = sorted((i for i in covered if i.open_minor > 0),
                      key=lambda i: (i.due_date, i.key))
    carrier = open_now[0] if open_now else covered[0]
    invoice = terms[carrier.invoice]
    if charge.fixed:
        amount = charge.claimed_minor
    elif not open_now:
        amount = 0  # everything it was about was settled by that day: it would not have arisen
    elif charge.kind == "fee":
        if invoice.fee_rule == "once_per_invoice":
            amount = 0 if carrier.invoice in fee_stands else (
                charge.claimed_minor or invoice.late_fee_minor)
        else:
            amount = charge.claimed_minor
        if amount:
            fee_stands.add(carrier.invoice)
    else:
        accrued = accrued_interest_minor(
            carrier.amount_minor, carrier.reductions, invoice.interest_rate,
            first_interest_day(carrier.due_date, invoice.grace_days), charge.charged_on)
        amount = min(charge.claimed_minor, max(accrued - interest_so_far[carrier.key], 0))
        interest_so_far[carrier.key] += amount
    book.charges[charge.key] = ChargeState(charge.key, charge.kind, charge.charged_on,
                                           carrier.key, amount)

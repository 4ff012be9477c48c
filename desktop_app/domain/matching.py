"""Which invoices a bank transfer pays: the rules, in the order they are tried.

1. A creditor reference (ISO 11649) that PaidUp printed on the invoice.
2. Invoice numbers in the remittance text (several: the money is split across them; a
   number one character off is only ever suggested).
3. The payer's account, remembered for one customer, with the amount of one open
   installment or invoice of theirs, or of their oldest open invoices together.
4. The amount alone: a suggestion, never more.

Only rules 1 and 2 with the exact amount open are *booked* without asking; everything else
waits for a person, with the reason and, where there is one, a proposal. Pure: the services
gather what the books know into a :class:`Book`, book what is decided, and store the rest.

Each reason is a message and its values (:class:`~desktop_app.messages.Said`), so that the
window says it in its language; :attr:`Decision.reason` is the English it makes.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import accumulate

from desktop_app.domain.references import compact, find_references, is_reference
from desktop_app.messages import N_, Said, Value, Word, say

BOOKED, WAITING, IGNORED, OUTGOING, RETURNED = "booked", "waiting", "ignored", "outgoing", \
    "returned"
STATUSES = (BOOKED, WAITING, IGNORED, OUTGOING, RETURNED)
# A transfer's status as a refusal names it: words the window translates.
_STATUS_WORDS = {BOOKED: N_("booked"), WAITING: N_("waiting"), IGNORED: N_("ignored"),
                 OUTGOING: N_("outgoing"), RETURNED: N_("returned")}
MAX_NAMED = 20  # invoice numbers taken from one remittance text


def status_word(status: str) -> Word:
    return Word(_STATUS_WORDS.get(status, status))


@dataclass(frozen=True, slots=True)
class OpenInvoice:
    """What the matcher needs to know of an issued invoice."""

    id: int
    number: str
    customer_id: int
    customer_name: str
    open_minor: int  # principal still to pay
    charges_minor: int = 0  # fees and interest charged and not yet paid
    installments: tuple[int, ...] = ()  # open amount of each open installment, oldest first
    reference: str = ""  # its creditor reference, compact
    discounted_minor: int | None = None  # settles it when paid by ``discount_until``
    discount_until: date | None = None
    closed: str = ""  # why nothing can be booked on it: "paid", "written off", "void"
    handed_over_on: date | None = None  # given to a lawyer or an agency on that day

    @property
    def due_minor(self) -> int:
        return self.open_minor + self.charges_minor

    def exact_amounts(self, paid_on: date) -> set[int]:
        """Amounts that settle exactly what is asked: everything due, the principal alone,
        the discounted total in time, or the oldest open installments."""
        if self.closed or self.open_minor <= 0:
            return set()
        amounts = {self.due_minor, self.open_minor, *accumulate(self.installments)}
        if (self.discounted_minor is not None and self.discount_until is not None
                and paid_on <= self.discount_until):
            amounts.add(self.discounted_minor)
        return {a for a in amounts if a > 0}


@dataclass
class Book:
    """The books as the matcher sees them for one statement. ``by_amount`` (open invoices
    by what they ask) is derived; :meth:`update` keeps it all current as payments are booked
    from the same statement."""

    invoices: dict[int, OpenInvoice]  # the open ones, and those the transfers name
    by_reference: Mapping[str, int] = field(default_factory=dict)
    by_number: Mapping[str, int] = field(default_factory=dict)
    accounts: dict[str, frozenset[int]] = field(default_factory=dict)  # payer's customers
    number_format: str = "INV-{year}-{seq:04d}"

    def __post_init__(self) -> None:
        self.pattern = number_pattern(self.number_format)
        self.open_numbers: dict[str, int] = {}
        self.by_amount: dict[int, set[int]] = {}
        self._by_customer: dict[int, dict[int, OpenInvoice]] = {}
        for inv in self.invoices.values():
            self._index(inv)

    @staticmethod
    def _asks(inv: OpenInvoice) -> set[int]:
        return {inv.due_minor, inv.open_minor} if inv.open_minor > 0 and not inv.closed \
            else set()

    def _index(self, inv: OpenInvoice) -> None:
        if not inv.closed and inv.open_minor > 0:
            self.open_numbers[inv.number] = inv.id
            self._by_customer.setdefault(inv.customer_id, {})[inv.id] = inv
            for amount in self._asks(inv):
                self.by_amount.setdefault(amount, set()).add(inv.id)

    def update(self, inv: OpenInvoice) -> None:
        """What one invoice asks now (after a payment on it)."""
        old = self.invoices.get(inv.id)
        if old is not None:
            self.open_numbers.pop(old.number, None)
            self._by_customer.get(old.customer_id, {}).pop(old.id, None)
            for amount in self._asks(old):
                self.by_amount.get(amount, set()).discard(old.id)
        self.invoices[inv.id] = inv
        self._index(inv)

    def remember(self, account: str, customer_ids: Iterable[int]) -> None:
        """A payment from ``account`` was booked for these customers."""
        if account:
            self.accounts[account] = self.accounts.get(account, frozenset()) | set(customer_ids)

    def open_of(self, customer_id: int) -> list[OpenInvoice]:
        """A customer's open invoices, oldest first (by id: the order they were issued)."""
        return sorted(self._by_customer.get(customer_id, {}).values(), key=lambda i: i.id)


@dataclass(frozen=True, slots=True)
class Incoming:
    """One movement on the account, as the statement gave it."""

    amount_minor: int  # money in positive
    value_on: date
    remittance: str = ""
    creditor_reference: str = ""
    counterparty_account: str = ""
    returned: bool = False


@dataclass(frozen=True, slots=True)
class Decision:
    status: str
    rule: str = ""  # reference, number, typo, account, amount
    said: Said = field(default_factory=lambda: Said("", {}))  # why: a message and its values
    allocations: tuple[tuple[int, int], ...] = ()  # (invoice id, amount in minor units)
    sure: bool = False  # a waiting proposal a person can accept without a second look

    @property
    def reason(self) -> str:
        """Why, in English: what the CLI prints and the books keep beside the message."""
        return say(self.said.message, self.said.values)


def said(message: str, **values: Value) -> Said:
    """A reason: ``message`` marked with ``N_`` where it is written, and its values."""
    return Said(message, values)


# --- finding invoice numbers ---------------------------------------------------------------

def number_pattern(number_format: str) -> re.Pattern[str]:
    """A regular expression for the numbers ``number_format`` gives, lenient about case and
    about the separators people type or banks drop (``inv 2026/0042``)."""
    parts = []
    leads_with_field = True
    for position, (literal, name, _spec, _conv) in enumerate(
            string.Formatter().parse(number_format)):
        for ch in literal:
            if ch.isalnum():
                parts.append(re.escape(ch))
                if position == 0:
                    leads_with_field = False
            else:
                parts.append(r"[\s\-/._#]?")
        if name == "year":
            parts.append(r"(?P<year>\d{4})")
        elif name is not None and name.startswith("seq"):
            parts.append(r"(?P<seq>\d{1,9})")
    body = "".join(parts)
    head = r"(?<![0-9])" if leads_with_field else ""
    return re.compile(f"{head}{body}(?![0-9])", re.IGNORECASE)


def _alnum(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def found_numbers(text: str, pattern: re.Pattern[str], number_format: str
                  ) -> list[tuple[str, str]]:
    """(what was written, the number it reads as), in order; the number is exact when both
    have the same letters and digits."""
    found = []
    for match in pattern.finditer(text):
        groups = match.groupdict()
        try:
            number = number_format.format(year=int(groups.get("year") or 0),
                                          seq=int(groups["seq"]))
        except (KeyError, ValueError, TypeError):
            continue
        found.append((match.group(0), number))
        if len(found) >= MAX_NAMED:
            break
    return found


def _one_edit(digits: str) -> set[str]:
    """Every string one typo away: a digit changed, dropped, added, or two swapped."""
    out = set()
    for i in range(len(digits) + 1):
        for d in string.digits:
            out.add(digits[:i] + d + digits[i:])
            if i < len(digits):
                out.add(digits[:i] + d + digits[i + 1:])
        if i < len(digits):
            out.add(digits[:i] + digits[i + 1:])
        if i + 1 < len(digits):
            out.add(digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:])
    out.discard(digits)
    return out


def typo_candidates(written: str, pattern: re.Pattern[str], number_format: str,
                    known: Mapping[str, int]) -> list[int]:
    """Invoices whose number is one character from what was written."""
    match = pattern.fullmatch(written.strip())
    if match is None:
        return []
    year = match.groupdict().get("year")
    seq = match.group("seq")
    hits = []
    options = [(year, s) for s in _one_edit(seq) if s] + (
        [(y, seq) for y in _one_edit(year) if len(y) == 4] if year else [])
    for y, s in options:
        try:
            number = number_format.format(year=int(y or 0), seq=int(s))
        except ValueError:
            continue
        invoice = known.get(number)
        if invoice is not None and invoice not in hits:
            hits.append(invoice)
    return hits


# --- deciding ------------------------------------------------------------------------------

def _money(minor: int) -> Decimal:
    """Minor units as the reasons write them, two decimals ('300.00'); the window writes
    the number as its locale does."""
    return Decimal(minor).scaleb(-2)


def spread(amount: int, invoices: Sequence[OpenInvoice]) -> tuple[tuple[int, int], ...]:
    """Each invoice up to what is due on it, in the order given; what is left over goes with
    the last (the payment service keeps an overpayment as the customer's credit)."""
    parts: list[list[int]] = []
    left = amount
    for inv in invoices:
        take = min(left, inv.due_minor)
        if take > 0:
            parts.append([inv.id, take])
            left -= take
    if left and parts:
        parts[-1][1] += left
    elif left and invoices:
        parts.append([invoices[-1].id, left])
    return tuple((a, b) for a, b in parts)


def _exact_split(amount: int, invoices: Sequence[OpenInvoice], paid_on: date
                 ) -> tuple[tuple[int, int], ...] | None:
    """The split when ``amount`` is exactly what the invoices ask (one of: all due, the
    principal alone); for one invoice, any of its exact amounts."""
    if len(invoices) == 1:
        return ((invoices[0].id, amount),) if amount in invoices[0].exact_amounts(
            paid_on) else None
    if any(inv.closed or inv.open_minor <= 0 for inv in invoices):
        return None
    asks: tuple[Callable[[OpenInvoice], int], ...] = (lambda i: i.due_minor,
                                                       lambda i: i.open_minor)
    for part in asks:
        if sum(part(inv) for inv in invoices) == amount:
            return tuple((inv.id, part(inv)) for inv in invoices)
    return None


_CLOSED = {  # OpenInvoice.closed: why nothing is open
    "paid": N_("{number} is paid; nothing is open on it"),
    "written off": N_("{number} is written off; nothing is open on it"),
    "void": N_("{number} is void; nothing is open on it"),
    "": N_("{number} is settled; nothing is open on it"),
}


def _closed_note(inv: OpenInvoice) -> Said:
    if inv.handed_over_on is not None and not inv.closed:
        return said(N_("{number} was handed over for collection on {day}; tell whoever "
                       "collects it"), number=inv.number, day=inv.handed_over_on)
    return said(_CLOSED.get(inv.closed, _CLOSED[""]), number=inv.number)


def _joined(first: Said, *notes: Said) -> Said:
    """Clauses one after the other: 'first; note; note'."""
    for note in notes:
        # TRANSLATORS: a bank transfer's reason, then a note (Chinese: full-width ；)
        first = said(N_("{first}; {then}"), first=first, then=note)
    return first


# How the invoices were named, with the list of them: the subject of the reason.
_HOW = {
    # TRANSLATORS: the invoices a bank transfer names, as the subject of "{named} ..."
    "both": N_("the references and numbers {listing}"),
    "reference": N_("the reference {listing}"),
    "references": N_("the references {listing}"),
    "number": N_("the invoice number {listing}"),
    "numbers": N_("the invoice numbers {listing}"),
}


def _named(tx: Incoming, book: Book
           ) -> tuple[list[OpenInvoice], list[OpenInvoice], list[tuple[str, str]]]:
    """Invoices named by reference, invoices named by number, and numbers that were written
    almost like one (a note for the reason)."""
    by_ref: list[OpenInvoice] = []
    refs = [compact(tx.creditor_reference)] if is_reference(tx.creditor_reference) else []
    for ref in refs + find_references(tx.remittance):
        inv_id = book.by_reference.get(ref)
        if inv_id is not None and inv_id in book.invoices and book.invoices[inv_id] not in by_ref:
            by_ref.append(book.invoices[inv_id])
    by_number: list[OpenInvoice] = []
    loose: list[tuple[str, str]] = []
    for written, number in found_numbers(tx.remittance, book.pattern, book.number_format):
        inv_id = book.by_number.get(number)
        if inv_id is None or inv_id not in book.invoices:
            loose.append((written, number))
            continue
        inv = book.invoices[inv_id]
        if _alnum(written) != _alnum(number):  # INV-2026-42 for INV-2026-0042: not exact
            loose.append((written, number))
        elif inv not in by_number and inv not in by_ref:
            by_number.append(inv)
    return by_ref, by_number, loose


def _who(invoices: Iterable[OpenInvoice]) -> set[int]:
    return {inv.customer_id for inv in invoices}


MONEY_OUT = said(N_("money out"))


def decide(tx: Incoming, book: Book) -> Decision:
    """What to do with one movement. Money out, returns and zero amounts are never a
    customer's payment."""
    if tx.amount_minor < 0:
        if tx.returned:
            return Decision(WAITING, "", said(N_("the bank took back a transfer received "
                                                 "earlier: if PaidUp booked it, reverse that "
                                                 "payment")))
        return Decision(OUTGOING, "", MONEY_OUT)
    if tx.amount_minor == 0:
        return Decision(IGNORED, "", said(N_("an entry of zero")))
    if tx.returned:
        return Decision(RETURNED, "", said(N_("a transfer of ours that came back: not a "
                                              "customer's payment")))
    by_ref, by_number, loose = _named(tx, book)
    named = by_ref + by_number
    if named:
        return _decide_named(tx, book, by_ref, by_number, named)
    if loose:
        decision = _decide_typo(tx, book, loose)
        if decision is not None:
            return decision
    return _decide_unnamed(tx, book)


def _decide_named(tx: Incoming, book: Book, by_ref: list[OpenInvoice],
                  by_number: list[OpenInvoice], named: list[OpenInvoice]) -> Decision:
    rule = "reference" if by_ref else "number"
    if by_ref and by_number:
        how = "both"
    elif by_ref:
        how = "reference" if len(by_ref) == 1 else "references"
    else:
        how = "number" if len(by_number) == 1 else "numbers"
    these = said(_HOW[how], listing=", ".join(inv.number for inv in named))
    customers = _who(named)
    known = book.accounts.get(tx.counterparty_account, frozenset())
    if len(customers) > 1:
        return Decision(WAITING, rule, said(N_("{named} are of different customers: decide "
                                               "who paid"), named=these),
                        spread(tx.amount_minor, [i for i in named if not i.closed]))
    if known and not (known & customers):
        return Decision(WAITING, rule, said(N_("{named}, but the payer's account is known for "
                                               "another customer: check who paid"),
                                            named=these))
    usable = [inv for inv in named if not inv.closed and inv.open_minor > 0]
    closed = [inv for inv in named if inv not in usable]
    if closed and not usable:
        return Decision(WAITING, rule, said(N_("{notes}: decide where the money goes"),
                                            notes=_joined(*map(_closed_note, closed))))
    handed = [inv for inv in usable if inv.handed_over_on is not None]
    exact = _exact_split(tx.amount_minor, usable, tx.value_on) if not closed else None
    if exact and not handed:
        return Decision(BOOKED, rule, said(N_("{named}, the amount open exactly"),
                                           named=these), exact)
    notes = [_closed_note(inv) for inv in closed + handed]
    due = sum(inv.due_minor for inv in usable)
    if tx.amount_minor < due:
        what = said(N_("{named}: pays {paid} of {due} open"), named=these,
                    paid=_money(tx.amount_minor), due=_money(due))
    elif tx.amount_minor > due:
        what = said(N_("{named}: pays {more} more than is open (kept as credit)"),
                    named=these, more=_money(tx.amount_minor - due))
    else:
        what = said(N_("{named}: the amount open"), named=these)
    return Decision(WAITING, rule, _joined(what, *notes), spread(tx.amount_minor, usable),
                    sure=not handed)


def _decide_typo(tx: Incoming, book: Book, loose: list[tuple[str, str]]
                 ) -> Decision | None:
    open_numbers = book.open_numbers
    hits: list[OpenInvoice] = []
    for written, number in loose:
        near = [open_numbers[number]] if number in open_numbers else typo_candidates(
            written, book.pattern, book.number_format, open_numbers)
        for inv_id in near:
            if book.invoices[inv_id] not in hits:
                hits.append(book.invoices[inv_id])
    if not hits:
        return None
    written = ", ".join(f"'{w}'" for w, _ in loose)
    if len(hits) > 1:
        return Decision(WAITING, "typo", said(
            N_("{written} is no invoice; it is one character from {numbers}: decide which"),
            written=written, numbers=", ".join(i.number for i in hits)))
    inv = hits[0]
    return Decision(WAITING, "typo", said(
        N_("{written} is no invoice; {number} ({customer}, {due} open) is one character "
           "from it"), written=written, number=inv.number, customer=inv.customer_name,
        due=_money(inv.due_minor)), spread(tx.amount_minor, [inv]))


def _decide_unnamed(tx: Incoming, book: Book) -> Decision:
    customers = book.accounts.get(tx.counterparty_account, frozenset()) \
        if tx.counterparty_account else frozenset()
    if len(customers) == 1:
        customer = next(iter(customers))
        open_invoices = book.open_of(customer)
        name = open_invoices[0].customer_name if open_invoices else ""
        for inv in open_invoices:
            if tx.amount_minor in inv.exact_amounts(tx.value_on):
                return Decision(WAITING, "account", said(
                    N_("the payer's account is {name}'s and the amount is what {number} asks"),
                    name=name, number=inv.number), ((inv.id, tx.amount_minor),), sure=True)
        running = 0
        for count, inv in enumerate(open_invoices, 1):
            running += inv.due_minor
            if running == tx.amount_minor and count > 1:
                chosen = open_invoices[:count]
                return Decision(WAITING, "account", said(
                    N_("the payer's account is {name}'s and the amount is what their {count} "
                       "oldest open invoices ask"), name=name, count=count),
                    tuple((i.id, i.due_minor) for i in chosen), sure=True)
        if open_invoices:
            return Decision(WAITING, "account", said(
                N_("the payer's account is {name}'s, but the amount fits no open invoice: "
                   "proposed oldest first"), name=name),
                spread(tx.amount_minor, open_invoices))
    candidates = [book.invoices[i] for i in sorted(book.by_amount.get(tx.amount_minor, ()))]
    if len(candidates) == 1:
        inv = candidates[0]
        return Decision(WAITING, "amount", said(
            N_("only the amount fits: {number} of {customer}; nothing else says it is theirs"),
            number=inv.number, customer=inv.customer_name), ((inv.id, tx.amount_minor),))
    if candidates:
        return Decision(WAITING, "amount", said(
            N_("{count} open invoices ask this amount and nothing says which: choose one"),
            count=len(candidates)))
    return Decision(WAITING, "", said(
        N_("no reference, invoice number or known account, and no open invoice of this "
           "amount: assign it, or mark it as not a customer payment")))

"""Bank statements in, payments matched: the morning's download dropped on PaidUp.

A file is read whole before anything is stored (``desktop_app.bank``), then stored and
matched in one transaction: imported whole or not at all. Movements already in the books
(the same file again, or an intraday report and then the day's statement) are recognised by
the bank's own reference, else by their content and how often it repeats in the file. Sure
matches are booked through the payment service; the rest waits for a person.
"""

from __future__ import annotations

import gc
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import ColumnElement, Row, delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop_app import messages
from desktop_app.domain import matching
from desktop_app.domain.bank_actions import TransactionAction, transaction_actions
from desktop_app.domain.errors import NotFound, PaidUpError, RuleViolation, ValidationError, clause
from desktop_app.domain.matching import Book, Decision, Incoming, OpenInvoice
from desktop_app.domain.money import from_minor, parse_amount, to_minor
from desktop_app.domain.references import compact, find_references, is_reference
from desktop_app.domain.status import Lifecycle
from desktop_app.domain.terms import PaymentTerms
from desktop_app.messages import N_, Amount, Said, Value
from desktop_app.services import payments
from desktop_app.services.books import Books, audit, the_company
from desktop_app.services.changes import OpChanges, states
from desktop_app.storage import tables
from desktop_app.storage.models import BankImport, BankTransaction

if TYPE_CHECKING:  # the readers load when a file is read, not with Today's count
    from desktop_app.bank.csv_reader import CsvProfile, Sniffed
    from desktop_app.bank.model import BankLine

Progress = Callable[[int, int], None]
Day = date  # a name for the type where a field is called ``date``
T = TypeVar("T")
OpenRow = Row[*tuple[Any, ...]]  # a row of _INVOICE_COLUMNS
ROWS_PER_QUERY = 500
MAX_REFERENCE = payments.MAX_REFERENCE
t_tx, t_links = tables.bank_transactions, tables.bank_transaction_payments
t_inv, t_accounts = tables.invoices, tables.customer_bank_accounts


# --- what the faces get ---------------------------------------------------------------------

@dataclass(frozen=True)
class SuggestedPart:
    invoice_id: int
    invoice_number: str
    customer_id: int
    customer_name: str
    amount: Decimal


@dataclass(frozen=True)
class TransactionView:
    id: int
    date: date  # the value date: when the money counted
    booked_on: Day
    amount: Decimal
    currency: str
    counterparty: str
    counterparty_account: str
    remittance: str
    status: str  # booked, waiting, ignored, outgoing, returned
    rule: str
    reason: str  # in English: what the CLI prints
    suggestion: tuple[SuggestedPart, ...]
    sure: bool  # the proposal can be accepted without a second look
    payments: tuple[int, ...]
    bank_reference: str
    # The reason as a message, for the window to say in its language; None where it has
    # none (kept before reasons were messages, or a note a person typed)
    said: Said | None = field(default=None, compare=False, metadata={"window": True})

    @property
    def actions(self) -> frozenset[TransactionAction]:
        return transaction_actions(self.status, self.amount, bool(self.suggestion))


@dataclass(frozen=True)
class ImportResult:
    import_id: int
    format: str
    imported: int
    duplicates: int
    booked: int
    waiting: int
    transactions: tuple[int, ...]  # the new ones, in the file's order


@dataclass(frozen=True)
class AcceptResult:
    accepted: int
    failed: tuple[tuple[int, PaidUpError], ...]  # transaction, the refusal that kept it


# --- keys: the same movement twice is one -----------------------------------------------------

def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _keys(lines: Sequence[BankLine], currency: str) -> list[tuple[str, str]]:
    """(dedupe key, content key) per line. Two identical transfers on one day are two
    payments: the content key counts repeats within the file."""
    seen: Counter[str] = Counter()
    out = []
    for line in lines:
        content = "|".join((line.account, line.booked_on.isoformat(), line.value_on.isoformat(),
                            f"{line.amount:f}", line.currency or currency,
                            line.counterparty_account, " ".join(line.remittance.split())))
        seen[content] += 1
        content_key = _sha(f"content|{content}|{seen[content]}")
        dedupe = _sha(f"ref|{line.account}|{line.bank_reference}") if line.bank_reference \
            else content_key
        out.append((dedupe, content_key))
    return out


def _chunks(values: Sequence[T], size: int = ROWS_PER_QUERY) -> Iterable[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _known(session: Session, keys: list[tuple[str, str]], lines: Sequence[BankLine]
           ) -> set[int]:
    """Positions of lines the books hold already."""
    dedupe = [k for k, _ in keys]
    content = [c for _, c in keys]
    stored_keys: set[str] = set()
    stored_content: dict[str, bool] = {}  # content key -> the stored one had a bank reference
    for chunk in _chunks(dedupe):
        stored_keys.update(session.scalars(select(t_tx.c.dedupe_key)
                                           .where(t_tx.c.dedupe_key.in_(chunk))))
    for chunk in _chunks(content):
        for key, reference in session.execute(select(t_tx.c.content_key, t_tx.c.bank_reference)
                                              .where(t_tx.c.content_key.in_(chunk))):
            stored_content[key] = stored_content.get(key, False) or bool(reference)
    known = set()
    in_file: set[str] = set()
    for position, ((key, content_key), line) in enumerate(zip(keys, lines, strict=True)):
        # Read once without a reference and once with one (an intraday report, then the
        # day's statement): the content decides. With references on both sides they do.
        by_content = content_key in stored_content and (
            not line.bank_reference or not stored_content[content_key])
        if key in stored_keys or by_content or key in in_file:
            known.add(position)
        in_file.add(key)
    return known


# --- what the matcher knows -------------------------------------------------------------------

def _terms_of(row: OpenRow) -> PaymentTerms | None:
    """The invoice's frozen early-payment discount, when it has one."""
    if not row.discount_percent or not row.discount_days:
        return None
    return PaymentTerms(name="frozen", net_days=row.discount_days,
                        discount_percent=row.discount_percent, discount_days=row.discount_days)


_INVOICE_COLUMNS = (
    t_inv.c.id, t_inv.c.number, t_inv.c.customer_id, t_inv.c.customer_name, t_inv.c.state,
    t_inv.c.total_minor, t_inv.c.paid_minor, t_inv.c.written_off_minor,
    t_inv.c.payment_reference, t_inv.c.issue_date, t_inv.c.discount_percent,
    t_inv.c.discount_days, t_inv.c.currency,
)


def _open_invoices(session: Session, rows: Sequence[OpenRow], handed: dict[int, date],
                   among: ColumnElement[bool] | None = None) -> list[OpenInvoice]:
    """What each invoice asks now: principal, open fees and interest, open installments.
    ``among``, the condition that chose ``rows`` when it did, reads their installments and
    charges in one query each instead of by lists of ids (the statement's whole book)."""
    i, c = tables.installments, tables.charges
    scopes = [among] if among is not None \
        else [i.c.invoice_id.in_(chunk) for chunk in _chunks([r.id for r in rows])]
    of_invoice = i.join(t_inv, t_inv.c.id == i.c.invoice_id)
    installments: dict[int, list[int]] = defaultdict(list)
    charges: dict[int, int] = defaultdict(int)
    for scope in scopes:
        for inv_id, open_minor in session.execute(
                select(i.c.invoice_id, tables.INSTALLMENT_OPEN_MINOR).select_from(of_invoice)
                .where(scope, i.c.replaced_by_plan_id.is_(None),
                       i.c.amount_minor > i.c.paid_minor + i.c.written_off_minor)
                .order_by(i.c.invoice_id, i.c.due_date, i.c.position)):
            installments[inv_id].append(open_minor)
        for inv_id, open_minor in session.execute(
                select(i.c.invoice_id, func.sum(c.c.amount_minor - c.c.settled_minor))
                .select_from(c.join(of_invoice, i.c.id == c.c.installment_id))
                .where(scope, c.c.amount_minor > c.c.settled_minor)
                .group_by(i.c.invoice_id)):
            charges[inv_id] = int(open_minor)
    return [_open_invoice(r, installments.get(r.id, []), charges.get(r.id, 0),
                          handed.get(r.id)) for r in rows]


def _open_invoice(r: OpenRow, installments: list[int], charges: int, handed: date | None
                  ) -> OpenInvoice:
    open_minor = max(r.total_minor - r.paid_minor - r.written_off_minor, 0) \
        if r.state == Lifecycle.ISSUED else 0
    closed = "" if r.state == Lifecycle.ISSUED and open_minor > 0 else (
        "void" if r.state == Lifecycle.VOID else "written off" if r.written_off_minor else "paid")
    if closed and charges:  # settled, but fees or interest still open on it
        closed = ""
    discounted = deadline = None
    terms = _terms_of(r)
    if terms is not None and not r.written_off_minor and r.issue_date is not None:
        rest = r.total_minor - terms.discount_minor(r.total_minor, r.currency) - r.paid_minor
        if rest > 0:
            discounted, deadline = rest, terms.discount_deadline(r.issue_date)
    return OpenInvoice(
        id=r.id, number=r.number or "", customer_id=r.customer_id,
        customer_name=r.customer_name, open_minor=open_minor, charges_minor=charges,
        installments=tuple(installments), reference=r.payment_reference or "",
        discounted_minor=discounted, discount_until=deadline, closed=closed,
        handed_over_on=handed,
    )


def _handed_over(session: Session) -> dict[int, date]:
    """Invoices handed to a lawyer or an agency (the handover stage done), and when."""
    f, i = tables.followup_records, tables.installments
    return {inv_id: day for inv_id, day in session.execute(
        select(i.c.invoice_id, func.min(f.c.recorded_on)).join(i, i.c.id == f.c.installment_id)
        .where(f.c.stage == "handover", f.c.outcome == "done").group_by(i.c.invoice_id))}


_Facts = dict[int, tuple[str, str, date | None]]  # invoice: number, state, issue date


def _book_for(session: Session, lines: Sequence[BankLine], number_format: str
              ) -> tuple[Book, _Facts]:
    handed = _handed_over(session)
    open_rows = list(session.execute(select(*_INVOICE_COLUMNS).where(tables.OPEN_INVOICE)))
    loaded = {r.id for r in open_rows}
    # Invoices the transfers name that are settled already: a payment for them says so.
    pattern = matching.number_pattern(number_format)
    refs: set[str] = set()
    numbers: set[str] = set()
    for line in lines:
        if line.amount > 0:
            if is_reference(line.creditor_reference):
                refs.add(compact(line.creditor_reference))
            refs.update(find_references(line.remittance))
            numbers.update(n for _, n in matching.found_numbers(line.remittance, pattern,
                                                                number_format))
    named_rows = []
    for column, values in ((t_inv.c.payment_reference, sorted(refs)),
                           (t_inv.c.number, sorted(numbers))):
        for chunk in _chunks(values):
            named_rows += [r for r in session.execute(select(*_INVOICE_COLUMNS).where(
                column.in_(chunk), t_inv.c.state != Lifecycle.DRAFT)) if r.id not in loaded]
            loaded.update(r.id for r in named_rows)
    invoices = {inv.id: inv for inv in (_open_invoices(session, open_rows, handed,
                                                       tables.OPEN_INVOICE)
                                        + _open_invoices(session, named_rows, handed))}
    accounts: dict[str, set[int]] = defaultdict(set)
    for account, customer_id in session.execute(select(t_accounts.c.account,
                                                       t_accounts.c.customer_id)):
        accounts[account].add(customer_id)
    return Book(
        invoices=invoices,
        by_reference={inv.reference: inv.id for inv in invoices.values() if inv.reference},
        by_number={inv.number: inv.id for inv in invoices.values()},
        accounts={a: frozenset(c) for a, c in accounts.items()}, number_format=number_format,
    ), {r.id: (r.number, r.state, r.issue_date) for r in open_rows + named_rows}


def _settles(book: Book, parts: Sequence[tuple[int, int]]) -> bool:
    """Each part pays all that is due on its invoice."""
    return all(minor == book.invoices[invoice_id].due_minor for invoice_id, minor in parts)


def _settled(session: Session, book: Book, parts: Sequence[tuple[int, int]]) -> None:
    """What the invoices just paid ask now. Paying all that was due settles an invoice; any
    other amount leaves what the payment service decided, which is read back (booked by
    then)."""
    partly = []
    for invoice_id, minor in parts:
        inv = book.invoices[invoice_id]
        if minor == inv.due_minor:
            book.update(replace(inv, open_minor=0, charges_minor=0, installments=(),
                                closed="paid"))
        else:
            partly.append(invoice_id)
    if partly:
        _refresh(session, book, partly)


def _refresh(session: Session, book: Book, invoice_ids: Iterable[int]) -> None:
    """What the booked invoices ask now, for the transfers after them in the file."""
    rows = list(session.execute(select(*_INVOICE_COLUMNS).where(
        t_inv.c.id.in_(list(invoice_ids)))))
    handed = {r.id: book.invoices[r.id].handed_over_on for r in rows if r.id in book.invoices}
    for inv in _open_invoices(session, rows, {k: v for k, v in handed.items() if v}):
        book.update(inv)


# --- booking ------------------------------------------------------------------------------

def _reference(row: BankTransaction | dict[str, Any]) -> str:
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    text = get("creditor_reference") or get("remittance") or get("bank_reference") or ""
    return " ".join(text.split())[:MAX_REFERENCE]


def _remember_account(session: Session, account: str, customer_ids: set[int], on: date
                      ) -> None:
    if not account:
        return
    known = set(session.scalars(select(t_accounts.c.customer_id).where(
        t_accounts.c.account == account)))
    for customer_id in sorted(customer_ids - known):
        session.execute(insert(t_accounts).values(customer_id=customer_id, account=account,
                                                  first_seen=on))


def _inputs(parts: Sequence[tuple[int, int]], paid_on: date, currency: str, reference: str
            ) -> list[payments.PaymentInput]:
    """The parts as payments on the value date."""
    return [payments.PaymentInput(invoice_id=invoice_id, amount=from_minor(minor, currency),
                                  paid_on=paid_on, method="bank_transfer", reference=reference)
            for invoice_id, minor in parts]


def _pay(session: Session, books: Books, parts: Sequence[tuple[int, int]], paid_on: date,
         currency: str, reference: str) -> list[int]:
    """Book the parts through the payment service; on a refusal nothing of them stays (a
    savepoint) and the refusal is raised."""
    with session.begin_nested():
        [done] = payments.book_payments(session, books, [_inputs(parts, paid_on, currency,
                                                                 reference)])
        if isinstance(done, PaidUpError):
            raise done
        return [b.payment_id for b in done]


_Waiting = tuple[int, list[payments.PaymentInput], set[int]]  # row, payments, customers


@dataclass
class _Sure:
    """The sure matches of a statement, booked together: the payment service replays each
    customer's money once for all of theirs instead of once per payment."""

    session: Session
    books: Books
    book: Book
    rows: list[dict[str, Any]]
    paid: list[list[int]]
    waiting: list[_Waiting] = field(default_factory=list)

    def add(self, position: int, parts: Sequence[tuple[int, int]]) -> None:
        row = self.rows[position]
        self.waiting.append((position, _inputs(parts, row["value_on"], row["currency"],
                                                _reference(row)),
                             {self.book.invoices[p].customer_id for p, _ in parts}))

    def book_all(self, customers: Iterable[int] | None = None) -> None:
        """Book what waits, or only what waits for ``customers`` (each customer's money is
        replayed on its own: the others' can wait for the next batch); a group the payment
        service refuses waits for a person, and the matcher sees its invoices as they are."""
        mine = None if customers is None else set(customers)
        now: list[_Waiting] = []
        later: list[_Waiting] = []
        for entry in self.waiting:
            (now if mine is None or mine & entry[2] else later).append(entry)
        self.waiting = later
        if not now:
            return
        results = payments.book_payments(self.session, self.books,
                                         [inputs for _, inputs, _ in now])
        for (position, inputs, _), done in zip(now, results, strict=True):
            row = self.rows[position]
            if isinstance(done, PaidUpError):
                row.update(status=matching.WAITING, decided_on=None,
                           **_reason(_not_booked(_said_in(row), done)))
                _refresh(self.session, self.book, [p.invoice_id for p in inputs])
            else:
                self.paid[position] = [b.payment_id for b in done]


def _refused(parts: Sequence[tuple[int, int]], paid_on: date, facts: _Facts
             ) -> PaidUpError | None:
    """The payment service's refusal of the parts known before anything is booked."""
    for invoice_id, _ in parts:
        number, state, issued = facts.get(invoice_id, ("", "issued", None))
        problem = payments.refusal(invoice_id, number, state, issued, paid_on)
        if problem is not None:
            return problem
    return None


def _book(session: Session, books: Books, row: BankTransaction,
          parts: Sequence[tuple[int, int]], on: date) -> list[int]:
    """Book a stored movement on the parts and link the payments to it."""
    done = _pay(session, books, parts, row.value_on, row.currency, _reference(row))
    with session.begin_nested():
        for payment_id in done:
            session.execute(insert(t_links).values(transaction_id=row.id,
                                                   payment_id=payment_id))
        customers = set(session.scalars(select(t_inv.c.customer_id).where(
            t_inv.c.id.in_([p for p, _ in parts]))))
        _remember_account(session, row.counterparty_account, customers, on)
        row.status, row.decided_on = matching.BOOKED, on
    return done


# --- reasons: the English beside the message and its values -----------------------------------

def _reason(why: Value) -> dict[str, str]:
    """The columns of a reason: its English, and its message and values when it has them (a
    note a person typed has none)."""
    if isinstance(why, Said):
        return {"reason": messages.say(why.message, why.values),
                "reason_message": why.message, "reason_params": messages.dump(why.values)}
    return {"reason": messages.english(why), "reason_message": "", "reason_params": ""}


def _said_in(row: BankTransaction | dict[str, Any]) -> Value:
    """A stored reason as a message, or its English where it has none."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    return messages.stored(get("reason_message"), get("reason_params")) or str(get("reason") or "")


def _state(row: BankTransaction, why: Value) -> None:
    for name, value in _reason(why).items():
        setattr(row, name, value)


def _not_booked(why: Value, exc: PaidUpError) -> Said:
    return Said(N_("{reason}; not booked: {refusal}"), {"reason": why,
                                                        "refusal": clause(exc)})


def _suggestion(decision: Decision) -> str:
    return json.dumps({"sure": decision.sure, "parts": [list(p) for p in decision.allocations]})


def _parts(row: BankTransaction) -> list[tuple[int, int]]:
    body = json.loads(row.suggestion or "{}")
    return [(int(a), int(b)) for a, b in body.get("parts", [])]


# --- import ---------------------------------------------------------------------------------

def read_profile(books: Books, name: str) -> CsvProfile:
    from desktop_app.bank.csv_reader import BUILTIN, CsvProfile

    if name in BUILTIN:
        return BUILTIN[name]
    with books.db.read() as session:
        body = session.scalar(select(tables.bank_csv_profiles.c.body).where(
            tables.bank_csv_profiles.c.name == name))
    if body is None:
        raise NotFound("profile", N_("no CSV profile '{name}'; see 'bank profile list'"),
                       name=name)
    return CsvProfile.from_dict(json.loads(body))


def import_file(books: Books, path: str | Path, profile: str | None = None,
                progress: Progress | None = None) -> ImportResult:
    source = Path(path)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise ValidationError("file", N_("cannot read {path}: {reason}"), path=str(source),
                              reason=str(exc.strerror)) from None
    return import_statement(books, data, source.name, profile, progress)


@states(OpChanges.INVOICES | OpChanges.PAYMENTS | OpChanges.CUSTOMERS | OpChanges.FOLLOWUP)
def import_statement(books: Books, data: bytes, filename: str, profile: str | None = None,
                     progress: Progress | None = None) -> ImportResult:
    """Read, store and match one statement file; book the sure matches. The movements are
    decided (and the sure ones booked) in the file's order, then stored in one go."""
    with _collector_paused():
        return _import_statement(books, data, filename, profile, progress)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """A statement of thousands of transfers makes a few hundred thousand objects that live
    to the end of its import (the file's tree and lines, the open invoices, the rows read
    and written); the cyclic collector went over all of them each time they grew by a
    quarter, freed next to nothing, and took a fifth of the import. Reference counting
    frees what is done with as always; the collector runs again after the import."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _import_statement(books: Books, data: bytes, filename: str, profile: str | None,
                      progress: Progress | None) -> ImportResult:
    from desktop_app.bank.read import read_statement

    csv_profile = read_profile(books, profile) if profile else None
    statement = read_statement(data, filename, csv_profile)
    total = len(statement.lines)
    with books.db.write() as session, books.db.roomy_cache(session):
        company = the_company(session)
        currency, today = company.currency, books.today()
        keys = _keys(statement.lines, currency)
        known = _known(session, keys, statement.lines)
        record = BankImport(at=books.clock(), actor=books.actor, filename=filename[:255],
                            sha256=hashlib.sha256(data).hexdigest(), format=statement.format,
                            transactions=total - len(known), duplicates=len(known), booked=0,
                            waiting=0)
        session.add(record)
        session.flush()
        book, facts = _book_for(session, [ln for i, ln in enumerate(statement.lines)
                                          if i not in known], company.number_format)
        rows: list[dict[str, Any]] = []
        paid: list[list[int]] = []  # the payments booked for each stored row
        sure = _Sure(session, books, book, rows, paid)
        for position, (line, (key, content_key)) in enumerate(
                zip(statement.lines, keys, strict=True)):
            if progress is not None and position % 200 == 0:
                progress(position, total)
            if position in known:
                continue
            row = _values(record.id, line, key, content_key, currency)
            decision = _decide(row, book, currency, line.returned)
            row.update(status=decision.status, rule=decision.rule, **_reason(decision.said),
                       suggestion=_suggestion(decision))
            rows.append(row)
            paid.append([])
            if decision.status != matching.BOOKED:
                continue
            refused = _refused(decision.allocations, line.value_on, facts)
            if refused is not None:  # a rule of the payment refuses it: a person looks
                row.update(status=matching.WAITING,
                           **_reason(_not_booked(decision.said, refused)))
                continue
            row["decided_on"] = today
            sure.add(len(rows) - 1, decision.allocations)
            if not _settles(book, decision.allocations):
                # What it leaves open is read back from the books: its customer's money
                # is booked up to here (in the file's order); the others' can wait.
                sure.book_all({book.invoices[p].customer_id for p, _ in decision.allocations})
            _settled(session, book, decision.allocations)
            book.remember(row["counterparty_account"], {
                book.invoices[p].customer_id for p, _ in decision.allocations})
        sure.book_all()
        try:
            new_ids = _insert(session, rows, paid, book, today)
        except IntegrityError:  # the same movements stored meanwhile by another import
            raise RuleViolation(N_("{filename} was being imported at the same time on another "
                                   "computer; nothing was added from here. Import it again to "
                                   "add what is still new"), filename=filename) from None
        booked = sum(1 for r in rows if r["status"] == matching.BOOKED)
        waiting = sum(1 for r in rows if r["status"] == matching.WAITING)
        record.booked, record.waiting = booked, waiting
        audit(session, books, "bank.import", "bank_import", record.id, {
            "filename": filename, "format": statement.format, "imported": len(new_ids),
            "duplicates": len(known), "booked": booked, "waiting": waiting,
        }, sha256=record.sha256)
        if progress is not None:
            progress(total, total)
        return ImportResult(record.id, statement.format, len(new_ids), len(known), booked,
                            waiting, tuple(new_ids))


def _values(import_id: int, line: BankLine, key: str, content_key: str, currency: str
            ) -> dict[str, Any]:
    return {
        "import_id": import_id, "account": line.account, "booked_on": line.booked_on,
        "value_on": line.value_on, "amount_minor": _minor(line, currency),
        "currency": line.currency or currency, "counterparty": line.counterparty,
        "counterparty_account": line.counterparty_account, "remittance": line.remittance,
        "creditor_reference": line.creditor_reference, "bank_reference": line.bank_reference,
        "dedupe_key": key, "content_key": content_key, "decided_on": None,
    }


def _insert(session: Session, rows: list[dict[str, Any]], paid: list[list[int]], book: Book,
            on: date) -> list[int]:
    """Store the movements in one statement (ids in the file's order), then the links of
    the booked ones to their payments and the accounts their payers paid from."""
    if not rows:
        return []
    ids = list(session.scalars(insert(t_tx).returning(t_tx.c.id, sort_by_parameter_order=True),
                               rows))
    links = [{"transaction_id": tx_id, "payment_id": p}
             for tx_id, payments_of in zip(ids, paid, strict=True) for p in payments_of]
    if links:
        session.execute(insert(t_links), links)
    payers = {(row["counterparty_account"], customer) for row in rows
              if row["status"] == matching.BOOKED and row["counterparty_account"]
              for customer in book.accounts.get(row["counterparty_account"], ())}
    known = set(session.execute(select(t_accounts.c.account, t_accounts.c.customer_id).where(
        t_accounts.c.account.in_(sorted({a for a, _ in payers}))))) if payers else set()
    fresh = [{"account": a, "customer_id": c, "first_seen": on}
             for a, c in sorted(payers - {tuple(k) for k in known})]
    if fresh:
        session.execute(insert(t_accounts), fresh)
    return ids


def _minor(line: BankLine, currency: str) -> int:
    cur = line.currency or currency
    try:
        return to_minor(line.amount, cur)
    except ValidationError:
        raise ValidationError("file", N_("an amount of {amount} on {day} has more decimals "
                                         "than {currency} allows"),
                              amount=Amount(line.amount, cur), day=line.booked_on,
                              currency=cur) from None


def _decide(row: dict[str, Any], book: Book, currency: str, returned: bool) -> Decision:
    if row["currency"] != currency:
        if row["amount_minor"] <= 0:
            return Decision(matching.OUTGOING, "", matching.MONEY_OUT)
        return Decision(matching.WAITING, "", matching.said(
            N_("in {currency}, while the books keep {books}: book it by hand"),
            currency=row["currency"], books=currency))
    return matching.decide(Incoming(
        amount_minor=row["amount_minor"], value_on=row["value_on"],
        remittance=row["remittance"], creditor_reference=row["creditor_reference"],
        counterparty_account=row["counterparty_account"], returned=returned), book)


# --- review ---------------------------------------------------------------------------------

def _views(session: Session, rows: Sequence[BankTransaction]) -> list[TransactionView]:
    parts = {row.id: _parts(row) for row in rows}
    sures = {row.id: bool(json.loads(row.suggestion or "{}").get("sure")) for row in rows}
    invoice_ids = sorted({p for ps in parts.values() for p, _ in ps})
    names: dict[int, tuple[str, int, str]] = {}
    for chunk in _chunks(invoice_ids):
        for r in session.execute(select(t_inv.c.id, t_inv.c.number, t_inv.c.customer_id,
                                        t_inv.c.customer_name).where(t_inv.c.id.in_(chunk))):
            names[r.id] = (r.number or "", r.customer_id, r.customer_name)
    links: dict[int, list[int]] = defaultdict(list)
    for chunk in _chunks([row.id for row in rows]):
        for tx_id, payment_id in session.execute(select(t_links.c.transaction_id,
                                                        t_links.c.payment_id)
                                                 .where(t_links.c.transaction_id.in_(chunk))
                                                 .order_by(t_links.c.payment_id)):
            links[tx_id].append(payment_id)
    out = []
    for row in rows:
        cur = row.currency
        suggestion = tuple(
            SuggestedPart(inv, names.get(inv, ("", 0, ""))[0], names.get(inv, ("", 0, ""))[1],
                          names.get(inv, ("", 0, ""))[2], from_minor(minor, cur))
            for inv, minor in parts[row.id]) if row.status == matching.WAITING else ()
        out.append(TransactionView(
            id=row.id, date=row.value_on, booked_on=row.booked_on,
            amount=from_minor(row.amount_minor, cur), currency=cur,
            counterparty=row.counterparty, counterparty_account=row.counterparty_account,
            remittance=row.remittance, status=row.status, rule=row.rule, reason=row.reason,
            suggestion=suggestion, sure=sures[row.id] and bool(suggestion),
            payments=tuple(links.get(row.id, ())), bank_reference=row.bank_reference,
            said=messages.stored(row.reason_message, row.reason_params)))
    return out


def list_transactions(books: Books, *, waiting: bool = False, status: str | None = None,
                      limit: int | None = None) -> list[TransactionView]:
    """Newest first; ``waiting``: only what waits for a decision."""
    if status is not None and status not in matching.STATUSES:
        raise ValidationError("status", N_("'{status}' is not one of {statuses}"),
                              status=status, statuses=", ".join(matching.STATUSES))
    stmt = select(BankTransaction).order_by(BankTransaction.value_on.desc(),
                                            BankTransaction.id.desc())
    if waiting or status:
        stmt = stmt.where(BankTransaction.status == (status or matching.WAITING))
    if limit is not None:
        stmt = stmt.limit(limit)
    with books.db.read() as session:
        return _views(session, list(session.scalars(stmt)))


def show_transaction(books: Books, tx_id: int) -> TransactionView:
    with books.db.read() as session:
        return _views(session, [_require(session, tx_id)])[0]


def count_waiting(books: Books) -> int:
    """Transfers waiting for a decision (for Today and the status line)."""
    with books.db.read() as session:
        return int(session.scalar(select(func.count()).select_from(t_tx).where(
            t_tx.c.status == matching.WAITING)) or 0)


def _require(session: Session, tx_id: int, *, lock: bool = False) -> BankTransaction:
    row = session.get(BankTransaction, tx_id, with_for_update=lock or None,
                      populate_existing=lock)
    if row is None:
        raise NotFound("transaction", N_("no bank transaction with id {id}"), id=str(tx_id))
    return row


def _require_waiting(session: Session, tx_id: int) -> BankTransaction:
    row = _require(session, tx_id, lock=True)
    if row.status == matching.BOOKED:
        raise RuleViolation(N_("transaction {id} is booked already; reverse it first ('bank "
                               "reverse {id}') to book it elsewhere"), id=str(tx_id))
    if row.amount_minor <= 0:
        raise RuleViolation(N_("transaction {id} is money out, not a customer's payment"),
                            id=str(tx_id))
    return row


@dataclass(frozen=True)
class Part:
    """One invoice a transfer pays; ``amount`` None: all of the transfer (or what is left)."""

    invoice_id: int
    amount: str | Decimal | None = None


def _parts_given(row: BankTransaction, parts: Sequence[Part]) -> list[tuple[int, int]]:
    if not parts:
        raise ValidationError("invoice", N_("name the invoice the transfer pays"))
    cur = row.currency
    given = [(p.invoice_id, None if p.amount in (None, "") else
              to_minor(parse_amount(p.amount, "amount", cur), cur)) for p in parts]
    fixed = sum(m for _, m in given if m is not None)
    open_parts = [i for i, (_, m) in enumerate(given) if m is None]
    if len(open_parts) > 1:
        raise ValidationError("amount", N_("give the amount of each invoice but one"))
    if any(m is not None and m <= 0 for _, m in given):
        raise ValidationError("amount", N_("must be more than zero"))
    rest = row.amount_minor - fixed
    if open_parts:
        if rest <= 0:
            raise ValidationError("amount", N_("the amounts given use all of the {amount} "
                                               "received"),
                                  amount=Amount(from_minor(row.amount_minor, cur), cur))
        given[open_parts[0]] = (given[open_parts[0]][0], rest)
    elif rest:
        raise ValidationError("amount", N_("the parts add up to {parts}; the transfer is "
                                           "{received}"),
                              parts=Amount(from_minor(fixed, cur), cur),
                              received=str(from_minor(row.amount_minor, cur)))
    return [(i, m) for i, m in given if m is not None]


@states(OpChanges.INVOICES | OpChanges.PAYMENTS | OpChanges.CUSTOMERS | OpChanges.FOLLOWUP)
def match_transaction(books: Books, tx_id: int, parts: Sequence[Part] = ()) -> TransactionView:
    """Book a waiting transfer: on the invoices given (split by the amounts), or, with no
    parts, as proposed."""
    with books.db.write() as session:
        row = _require_waiting(session, tx_id)
        chosen = _parts_given(row, parts) if parts else _parts(row)
        if not chosen:
            raise RuleViolation(N_("transaction {id} has no proposal; name the invoice"),
                                id=str(tx_id))
        _book(session, books, row, chosen, books.today())
        row.rule = "manual" if parts else row.rule
        if row.reason and not parts:
            _state(row, Said(N_("decided by {actor} ({reason})"),
                             {"actor": books.actor, "reason": _said_in(row)}))
        else:
            _state(row, Said(N_("decided by {actor}"), {"actor": books.actor}))
        audit(session, books, "bank.match", "bank_transaction", row.id,
              {"parts": chosen})
        return _views(session, [row])[0]


@states(OpChanges.INVOICES | OpChanges.PAYMENTS | OpChanges.CUSTOMERS | OpChanges.FOLLOWUP)
def assign_to_customer(books: Books, tx_id: int, customer_id: int) -> TransactionView:
    """Book a transfer on a customer's open invoices, oldest first; what is left over is
    their credit."""
    with books.db.write() as session:
        row = _require_waiting(session, tx_id)
        rows = list(session.execute(select(*_INVOICE_COLUMNS).where(
            t_inv.c.customer_id == customer_id, tables.OPEN_INVOICE)
            .order_by(t_inv.c.issue_date, t_inv.c.id)))
        invoices = _open_invoices(session, rows, {})
        if not invoices:
            raise RuleViolation(N_("customer {id} has no open invoice to book it on"),
                                id=str(customer_id))
        chosen = list(matching.spread(row.amount_minor, invoices))
        _book(session, books, row, chosen, books.today())
        row.rule = "manual"
        _state(row, Said(N_("assigned to the customer by {actor}"), {"actor": books.actor}))
        audit(session, books, "bank.assign", "bank_transaction", row.id,
              {"customer_id": customer_id, "parts": chosen})
        return _views(session, [row])[0]


@states(OpChanges.INVOICES | OpChanges.PAYMENTS | OpChanges.CUSTOMERS | OpChanges.FOLLOWUP)
def ignore_transaction(books: Books, tx_id: int, note: str = "") -> TransactionView:
    """Not a customer payment (rent, a refund, a transfer between own accounts)."""
    with books.db.write() as session:
        row = _require(session, tx_id, lock=True)
        if row.status == matching.BOOKED:
            raise RuleViolation(N_("transaction {id} is booked; reverse it first ('bank "
                                   "reverse {id}')"), id=str(tx_id))
        row.status, row.decided_on = matching.IGNORED, books.today()
        _state(row, " ".join(note.split())[:500] or Said(
            N_("not a customer payment ({actor})"), {"actor": books.actor}))
        audit(session, books, "bank.ignore", "bank_transaction", row.id, {"note": row.reason})
        return _views(session, [row])[0]


def _reverse(session: Session, books: Books, row: BankTransaction, why: Value) -> list[int]:
    reason = messages.english(why)
    payment_ids = list(session.scalars(select(t_links.c.payment_id).where(
        t_links.c.transaction_id == row.id).order_by(t_links.c.payment_id.desc())))
    session.execute(delete(t_links).where(t_links.c.transaction_id == row.id))
    for payment_id in payment_ids:
        payments.reverse_payment(session, books, payment_id, reason, books.today())
    row.status, row.decided_on, row.rule = matching.WAITING, None, ""
    _state(row, Said(N_("the booking was reversed: {reason}"), {"reason": why}))
    row.suggestion = "{}"
    audit(session, books, "bank.reverse", "bank_transaction", row.id,
          {"payments": payment_ids, "reason": reason})
    return payment_ids


@states(OpChanges.INVOICES | OpChanges.PAYMENTS | OpChanges.CUSTOMERS | OpChanges.FOLLOWUP)
def reverse_transaction(books: Books, tx_id: int, reason: str = "") -> TransactionView:
    """Undo every payment booked from a transfer; it waits for a decision again."""
    why: Value = " ".join(reason.split()) or Said(N_("booked on the wrong invoice"), {})
    with books.db.write() as session:
        row = _require(session, tx_id, lock=True)
        if row.status != matching.BOOKED:
            raise RuleViolation(N_("transaction {id} is {status}, not booked"), id=str(tx_id),
                                status=matching.status_word(row.status))
        _reverse(session, books, row, why)
        return _views(session, [row])[0]


@states(OpChanges.INVOICES | OpChanges.PAYMENTS | OpChanges.CUSTOMERS | OpChanges.FOLLOWUP)
def reverse_payment(books: Books, payment_id: int, reason: str = "") -> dict[str, object]:
    """Undo a payment; one booked from a bank transfer goes back together with the other
    payments of that transfer, which waits for a decision again."""
    why: Value = " ".join(reason.split()) or Said(N_("recorded by mistake"), {})
    with books.db.write() as session:
        tx_id = session.scalar(select(t_links.c.transaction_id).where(
            t_links.c.payment_id == payment_id))
        if tx_id is not None:
            reversed_ids = _reverse(session, books, _require(session, tx_id, lock=True), why)
        else:
            reversed_ids = [payments.reverse_payment(session, books, payment_id,
                                                     messages.english(why),
                                                     books.today()).payment_id]
        return {"payments": sorted(reversed_ids), "transaction": tx_id}


@states(OpChanges.INVOICES | OpChanges.PAYMENTS | OpChanges.CUSTOMERS | OpChanges.FOLLOWUP)
def accept_sure(books: Books, progress: Progress | None = None) -> AcceptResult:
    """Book every waiting proposal that can be accepted without a second look, each on its
    own: one that a rule refuses stays waiting, with the reason."""
    with books.db.read() as session:
        ids = [row.id for row in session.scalars(select(BankTransaction).where(
            BankTransaction.status == matching.WAITING).order_by(BankTransaction.id))
            if json.loads(row.suggestion or "{}").get("sure") and _parts(row)]
    failed = []
    for done, tx_id in enumerate(ids):
        if progress is not None:
            progress(done, len(ids))
        try:
            match_transaction(books, tx_id)
        except PaidUpError as exc:
            failed.append((tx_id, exc))
    if progress is not None:
        progress(len(ids), len(ids))
    return AcceptResult(len(ids) - len(failed), tuple(failed))


# --- CSV profiles ---------------------------------------------------------------------------

def is_csv(data: bytes) -> bool:
    """A statement that is neither XML (camt), a ZIP of them, OFX nor MT940: a bank's CSV."""
    from desktop_app.bank.read import looks_like_mt940, looks_like_ofx

    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:4096]
    return not (head.startswith((b"<", b"PK")) or looks_like_ofx(head)
                or looks_like_mt940(head))


def profile_for(books: Books, data: bytes) -> str | None:
    """The first saved or built-in profile whose columns the CSV file's header has."""
    from desktop_app.bank.csv_reader import sniff

    header = set(sniff(data).header)
    for profile in list_profiles(books):
        if header and set(profile.columns) <= header:
            return profile.name
    return None


def sniff_csv(data: bytes) -> Sniffed:
    """The CSV file's delimiter, encoding and header, and a guess at which column is which."""
    from desktop_app.bank.csv_reader import sniff

    return sniff(data)


def profile_from(body: dict[str, Any]) -> CsvProfile:
    """A profile from its fields as the user gave them (checked when it is saved)."""
    from desktop_app.bank.csv_reader import CsvProfile

    return CsvProfile.from_dict(body)


def list_profiles(books: Books) -> list[CsvProfile]:
    from desktop_app.bank.csv_reader import BUILTIN, CsvProfile

    with books.db.read() as session:
        saved = [CsvProfile.from_dict(json.loads(body)) for body in session.scalars(
            select(tables.bank_csv_profiles.c.body).order_by(tables.bank_csv_profiles.c.name))]
    return [*BUILTIN.values(), *saved]


@states(OpChanges.SETTINGS)
def save_profile(books: Books, profile: CsvProfile) -> CsvProfile:
    """Keep a bank's CSV layout under its name (a built-in name cannot be taken)."""
    from desktop_app.bank.csv_reader import BUILTIN

    if profile.name in BUILTIN:
        raise ValidationError("name", N_("'{name}' is a built-in profile; choose another "
                                         "name"), name=profile.name)
    profile.check()
    table = tables.bank_csv_profiles
    body = json.dumps(profile.to_dict(), ensure_ascii=False, sort_keys=True)
    with books.db.write() as session:
        if session.scalar(select(table.c.name).where(table.c.name == profile.name)):
            session.execute(table.update().where(table.c.name == profile.name)
                            .values(body=body))
        else:
            session.execute(insert(table).values(name=profile.name, body=body))
        audit(session, books, "bank.profile", "settings", None, {"name": profile.name})
    return profile

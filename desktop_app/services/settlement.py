"""A customer's money kept right whatever order its events are entered in.

``settle`` replays the customer's payments, write-offs and charges in the order of their days
(``domain.ledger``) and writes back what follows: what each payment and write-off settled,
what stands of each charge, what is open, the credit. A charge that no longer stands (a
payment that came in before the reminder was typed in after it) is reversed with a line in
the customer's log, so the follow-up that reads the books next recomputes from the truth.

A payment plan draws a line: what was booked before it was agreed is kept as it was (the plan
took over what was open then); the payments and write-offs booked since count towards the
plan's installments, whatever their dates.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from desktop_app.domain.credit import DEFAULT_RELEASE, RELEASES
from desktop_app.domain.late_payment import BaseRates, LateCharges
from desktop_app.domain.ledger import (
    Ledger,
    LedgerCharge,
    LedgerInstallment,
    LedgerInvoice,
    LedgerPayment,
    LedgerWriteOff,
    replay,
)
from desktop_app.domain.money import from_minor
from desktop_app.domain.parties import check_choice
from desktop_app.domain.status import Lifecycle
from desktop_app.domain.terms import PaymentTerms
from desktop_app.messages import N_, Amount, Said, Word
from desktop_app.services import activity
from desktop_app.services.base_rates import base_rates, invoice_late_charges
from desktop_app.services.books import Books, audit
from desktop_app.services.settlement_rows import (
    ALLOCATION_COLUMNS,
    CREDIT_COLUMNS,
    CustomerRows,
    Era,
    Row,
    chunks,
    covers,
    read_customers,
    tied_invoices,
)
from desktop_app.storage.models import (
    Allocation,
    Charge,
    Customer,
    CustomerCredit,
    Installment,
    Invoice,
    PaymentPlanRow,
    Setting,
    WriteOff,
)
from desktop_app.storage.tables import CHARGE_OPEN_MINOR, INSTALLMENT_OPEN_MINOR

# Costs, then interest, then the debt itself is the common legal order (e.g. BGB § 367);
# a business may choose to settle the debt first.
ORDERS = ("charges_first", "principal_first")
ORDER_KEY = "payments.order"
RELEASE_KEY = "credit.release"  # domain.credit.RELEASES per credit status, as JSON
STAGE_WORDS = {"reminder_1": "first reminder", "reminder_2": "second reminder",
               "final_notice": "final notice", "handover": "notice before handover",
               "payment_plan": "payment plan"}


def payment_order(session: Session) -> str:
    row = session.get(Setting, ORDER_KEY)
    return json.loads(row.value) if row else ORDERS[0]


def credit_release(session: Session) -> dict[str, str]:
    """How each credit status lifts: ``paid_up`` (by itself once nothing is overdue) or
    ``by_hand`` (only when a person changes it)."""
    row = session.get(Setting, RELEASE_KEY)
    return {**DEFAULT_RELEASE, **(json.loads(row.value) if row else {})}


def set_credit_release(session: Session, status: str, release: str) -> dict[str, str]:
    check_choice(status, "status", tuple(DEFAULT_RELEASE))
    check_choice(release, "release", RELEASES)
    rules = {**credit_release(session), status: release}
    row = session.get(Setting, RELEASE_KEY)
    if row is None:
        session.add(Setting(key=RELEASE_KEY, value=json.dumps(rules)))
    else:
        row.value = json.dumps(rules)
    return rules


@dataclass
class Settled:
    """What a replay found, for the caller to report."""

    ledger: Ledger
    reversed: list[str] = field(default_factory=list)  # log lines written


@dataclass
class _Terms:
    """Each invoice's frozen terms as the ledger takes them. A book's invoices share a few
    sets of terms: each set's terms and late charges are worked out once per replay of many
    customers, not once per invoice."""

    rates: BaseRates
    terms: dict[tuple[Any, ...], PaymentTerms] = field(default_factory=dict)
    late: dict[tuple[Any, ...], LateCharges] = field(default_factory=dict)

    def of(self, inv: Row, era: Era) -> LedgerInvoice:
        terms = self._payment_terms(inv)
        late = self._late_charges(inv)
        plan = era.plan
        return LedgerInvoice(
            key=inv.id,
            discount_minor=0 if plan else terms.discount_minor(inv.total_minor, inv.currency),
            discount_until=terms.discount_deadline(inv.issue_date) if inv.issue_date else None,
            interest_rate=late.interest, grace_days=inv.grace_days,
            late_fee_minor=late.fee_minor, fee_rule=late.fee_rule,
            # Under a payment plan the customer pays the agreed installments: those first.
            principal_first=plan is not None and plan.status == "active",
            money_from=plan.agreed_on if plan else None,
        )

    def _payment_terms(self, inv: Row) -> PaymentTerms:
        key = (inv.terms_name, inv.net_days, inv.discount_percent, inv.discount_days)
        if key not in self.terms:
            self.terms[key] = PaymentTerms(name=inv.terms_name or "terms",
                                           net_days=inv.net_days,
                                           discount_percent=inv.discount_percent,
                                           discount_days=inv.discount_days)
        return self.terms[key]

    def _late_charges(self, inv: Row) -> LateCharges:
        key = (inv.late_rule, inv.customer_consumer, inv.currency, inv.late_fee_minor,
               inv.fee_rule, inv.interest_annual_percent)
        if key not in self.late:
            self.late[key] = invoice_late_charges(inv, self.rates)
        return self.late[key]


def settle(session: Session, books: Books, customer_id: int, *, why: Said) -> Settled:
    """Replay the customer's money and store the result (in the caller's transaction);
    ``why`` ends the log line of anything reversed ("a payment dated ... was entered")."""
    return settle_customers(session, books, {customer_id: why})[customer_id]


def settle_customers(session: Session, books: Books, why: Mapping[int, Said],
                     touched: Iterable[int] | None = None) -> dict[int, Settled]:
    """Replay the money of the customers in ``why`` (with the end of each one's log line)
    and store what changed. ``touched``: the invoices whose money changed; only they and the
    invoices a reminder ties to them are replayed. The rows are read and written for all the
    customers at once (services.settlement_rows)."""
    session.flush()
    customer_ids = sorted(why)
    # One settlement of a customer at a time (a fee may move between its invoices).
    for chunk in chunks(customer_ids):
        session.scalars(select(Customer).where(Customer.id.in_(chunk)).order_by(Customer.id)
                        .with_for_update().execution_options(populate_existing=True)).all()
    invoice_ids = None if touched is None else tied_invoices(session, customer_ids, touched)
    read = read_customers(session, customer_ids, invoice_ids)
    terms = _Terms(base_rates(session))
    writes = _Writes()
    settled = {}
    for customer_id in customer_ids:
        rows = read[customer_id]
        live_ids = {i.id for era in rows.eras.values() for i in era.installments}
        ledger = replay(
            [terms.of(inv, rows.eras[inv.id]) for inv in rows.invoices],
            [LedgerInstallment(i.id, i.invoice_id, i.due_date, i.amount_minor)
             for era in rows.eras.values() for i in era.installments],
            [LedgerCharge(c.id, c.kind, c.charged_on, c.claimed_minor,
                          tuple(k for k in covers(c.installment_id, c.covers)
                                if k in live_ids) or (c.installment_id,),
                          fixed=c.stage == "payment_plan") for c in rows.charges],
            [LedgerPayment(p.id, p.invoice_id, p.paid_on, p.amount_minor,
                           p.settles == "principal_first") for p in rows.payments],
            [LedgerWriteOff(w.id, w.invoice_id, w.written_on, w.requested_minor)
             for w in rows.write_offs])
        settled[customer_id] = Settled(ledger)
        _compare(session, books, rows, settled[customer_id], writes, why[customer_id])
    writes.run(session)
    return settled


@dataclass
class _Writes:
    """What the replays changed, written at once (executemany) after all of them."""

    stale_allocations: list[int] = field(default_factory=list)
    allocations: list[dict[str, Any]] = field(default_factory=list)
    stale_credits: list[int] = field(default_factory=list)
    credits: list[dict[str, Any]] = field(default_factory=list)
    installments: list[dict[str, Any]] = field(default_factory=list)
    invoices: list[dict[str, Any]] = field(default_factory=list)
    charges: list[dict[str, Any]] = field(default_factory=list)
    write_offs: list[dict[str, Any]] = field(default_factory=list)
    plans: list[dict[str, Any]] = field(default_factory=list)

    def run(self, session: Session) -> None:
        for model, ids in ((Allocation, self.stale_allocations),
                           (CustomerCredit, self.stale_credits)):
            table = model.__table__
            for chunk in chunks(ids):
                session.execute(delete(table).where(table.c.id.in_(chunk)))
            _forget(session, model, ids)
        for model, rows in ((Allocation, self.allocations), (CustomerCredit, self.credits)):
            if rows:
                session.execute(insert(model.__table__), rows)
        changed: tuple[tuple[type[Any], list[dict[str, Any]]], ...] = (
            (Installment, self.installments), (Invoice, self.invoices), (Charge, self.charges),
            (WriteOff, self.write_offs), (PaymentPlanRow, self.plans))
        for kind, values in changed:
            if not values:
                continue
            table = kind.__table__
            names = [k for k in values[0] if k != "id"]
            session.execute(update(table).where(table.c.id == bindparam("row_id")).values(
                {k: bindparam(f"new_{k}") for k in names}),
                [{"row_id": r["id"], **{f"new_{k}": r[k] for k in names}} for r in values])
            _tell_session(session, kind, values)


def _forget(session: Session, model: type[Any], ids: Iterable[int]) -> None:
    """Rows deleted behind the session's back leave it too."""
    for row_id in ids:
        obj = session.identity_map.get(identity_key(model, row_id))
        if obj is not None:
            session.expunge(obj)


def _tell_session(session: Session, model: type[Any], values: list[dict[str, Any]]) -> None:
    """Objects of rows updated behind the session's back take the values written, as if
    read again (the flush was before the replay: they had no changes of their own)."""
    for row in values:
        obj = session.identity_map.get(identity_key(model, row["id"]))
        if obj is not None:
            for name, value in row.items():
                set_committed_value(obj, name, value)


def _compare(session: Session, books: Books, rows: CustomerRows, settled: Settled,
             writes: _Writes, why: Said) -> None:
    """Collect the rows the replay changes; log what it reversed."""
    ledger = settled.ledger
    _compare_allocations(rows, ledger, writes)
    by_invoice = {inv.id: inv for inv in rows.invoices}
    wanted_credits = Counter(
        (p.customer_id, p.id, ledger.credit[p.id], p.currency,
         f"overpayment on {by_invoice[p.invoice_id].number}")
        for p in rows.payments if ledger.credit.get(p.id, 0))
    stale, fresh = _reconcile(wanted_credits, ((c.id, tuple(c[1:])) for c in rows.credits),
                              CREDIT_COLUMNS)
    writes.stale_credits += stale
    writes.credits += fresh
    paid: dict[int, tuple[int, int]] = {}
    for invoice_id, installments in rows.installments.items():
        live = {i.id for i in rows.eras[invoice_id].installments}
        for inst in installments:
            state = ledger.installments.get(inst.id)
            now = (state.paid_minor, state.written_off_minor) if state and inst.id in live \
                else (inst.paid_minor, inst.written_off_minor)
            paid[inst.id] = now
            if now != (inst.paid_minor, inst.written_off_minor):
                writes.installments.append({"id": inst.id, "paid_minor": now[0],
                                            "written_off_minor": now[1]})
    for inv in rows.invoices:
        mine = [paid[i.id] for i in rows.installments.get(inv.id, [])]
        sums = (sum(p for p, _ in mine), sum(w for _, w in mine),
                rows.frozen_discount.get(inv.id, 0) + ledger.discount.get(inv.id, 0))
        if sums != (inv.paid_minor, inv.written_off_minor, inv.discount_minor):
            writes.invoices.append({"id": inv.id, "paid_minor": sums[0],
                                    "written_off_minor": sums[1], "discount_minor": sums[2]})
    invoice_of = {i.id: i.invoice_id for mine in rows.installments.values() for i in mine}
    for charge in rows.charges:
        stands = ledger.charges.get(charge.id)
        if stands is None:
            continue
        now_c = (stands.installment, stands.amount_minor, stands.settled_minor,
                 stands.written_off_minor)
        if now_c != (charge.installment_id, charge.amount_minor, charge.settled_minor,
                     charge.written_off_minor):
            writes.charges.append(dict(zip(("id", "installment_id", "amount_minor",
                                            "settled_minor", "written_off_minor"),
                                           (charge.id, *now_c), strict=True)))
        if stands.amount_minor != charge.amount_minor:
            inv = by_invoice.get(invoice_of.get(stands.installment, 0)) or session.get(
                Invoice, invoice_of[stands.installment])
            settled.reversed.append(_log_charge(session, books, charge, stands.amount_minor,
                                                inv, why))
    for write_off in rows.write_offs:
        took = ledger.written_off.get(write_off.id, 0)
        if took != write_off.amount_minor and write_off.amount_minor > 0:
            inv = by_invoice[write_off.invoice_id]
            cur = inv.currency
            activity.log(session, books, customer_id=inv.customer_id, kind="write_off",
                         message=N_("Write-off of {day} on {number} now {amount} (was "
                                    "{before}): {why}"),
                         values={"day": write_off.written_on, "number": inv.number or "",
                                 "amount": Amount(from_minor(took, cur), cur),
                                 "before": Amount(from_minor(write_off.amount_minor, cur), cur),
                                 "why": why},
                         on=books.today(), invoice_id=inv.id)
        if took != write_off.amount_minor:
            writes.write_offs.append({"id": write_off.id, "amount_minor": took})
    _close_kept_plans(session, books, rows, ledger, by_invoice, writes)


# An allocation as compared: payment, write-off, installment, charge, kind, amount, day.
_AllocationKey = tuple[int | None, int | None, int, int | None, str, int, date]


def _compare_allocations(rows: CustomerRows, ledger: Ledger, writes: _Writes) -> None:
    """Keep the stored allocations the replay applied again; only those that differ go and
    come: a new payment adds its own and moves few others."""
    wanted: Counter[_AllocationKey] = Counter(
        (a.source_key if a.source == "payment" else None,
         a.source_key if a.source == "write_off" else None,
         a.installment, a.charge, a.kind, a.amount_minor, a.on_day) for a in ledger.applied)
    stale, fresh = _reconcile(wanted, ((row.id, tuple(row[1:8])) for row in rows.allocations),
                              ALLOCATION_COLUMNS)
    writes.stale_allocations += stale
    writes.allocations += fresh


def _reconcile(wanted: Counter[Any], stored: Iterable[tuple[int, tuple[Any, ...]]],
               columns: Iterable[Any]) -> tuple[list[int], list[dict[str, Any]]]:
    """The stored rows (id, key) the replay no longer wants, and the wanted rows not stored
    yet as column values: a row kept as it was is neither deleted nor written again."""
    stale = []
    for row_id, key in stored:
        if wanted[key] > 0:
            wanted[key] -= 1
        else:
            stale.append(row_id)
    names = [c.key for c in columns]
    return stale, [dict(zip(names, key, strict=True))
                   for key, n in wanted.items() for _ in range(n)]


def _log_charge(session: Session, books: Books, charge: Row, amount: int, inv: Row | Invoice,
                why: Said) -> str:
    before, cur = charge.amount_minor, inv.currency
    fee = charge.kind == "fee"
    if amount == 0:
        message = (N_("Reminder fee of {before} charged with the {stage} of {day} on {number} "
                      "reversed: it would not have arisen, as {why}") if fee else
                   N_("Interest of {before} charged with the {stage} of {day} on {number} "
                      "reversed: it would not have arisen, as {why}"))
    elif amount < before:
        message = (N_("Reminder fee of {before} charged with the {stage} of {day} on {number} "
                      "reduced to {amount}, recomputed on each day's balance, as {why}") if fee
                   else N_("Interest of {before} charged with the {stage} of {day} on {number} "
                           "reduced to {amount}, recomputed on each day's balance, as {why}"))
    else:
        message = (N_("Reminder fee of {before} charged with the {stage} of {day} on {number} "
                      "now {amount}: it stands for this invoice, as {why}") if fee else
                   N_("Interest of {before} charged with the {stage} of {day} on {number} "
                      "now {amount}: it stands for this invoice, as {why}"))
    stage = STAGE_WORDS.get(charge.stage, charge.stage.replace("_", " "))
    row = activity.log(session, books, customer_id=inv.customer_id, kind="credit",
                       message=message,
                       values={"before": Amount(from_minor(before, cur), cur),
                               "amount": Amount(from_minor(amount, cur), cur),
                               "stage": Word(stage), "day": charge.charged_on,
                               "number": inv.number or "", "why": why},
                       on=books.today(), invoice_id=inv.id)
    summary = row.summary
    audit(session, books, "charge.recomputed", "invoice", inv.id,
          {"charge_id": charge.id, "from_minor": before, "to_minor": amount})
    return summary


def _close_kept_plans(session: Session, books: Books, rows: CustomerRows, ledger: Ledger,
                      invoices: dict[int, Row], writes: _Writes) -> None:
    """A plan whose installments and charges are all settled was kept: it is no longer
    active once it is paid."""
    for invoice_id, era in rows.eras.items():
        plan = era.plan
        if plan is None or plan.status != "active":
            continue
        live = {i.id for i in era.installments}
        owed = sum(ledger.installments[k].open_minor for k in live) + sum(
            c.open_minor for c in ledger.charges.values() if c.installment in live)
        if owed <= 0:
            writes.plans.append({"id": plan.id, "status": "kept"})
            inv = invoices[invoice_id]
            activity.log(session, books, customer_id=inv.customer_id, kind="plan",
                         message=N_("Payment plan for {number} kept: all of it is paid"),
                         values={"number": inv.number or ""},
                         on=books.today(), invoice_id=inv.id)


def overdue_minor(session: Session, customer_id: int, as_of: date) -> int:
    """What the customer owes that is past due: open installments and open charges."""
    late = Installment.due_date < as_of
    debt = session.execute(
        select(func.coalesce(func.sum(INSTALLMENT_OPEN_MINOR), 0))
        .join(Invoice, Invoice.id == Installment.invoice_id)
        .where(Invoice.customer_id == customer_id, Invoice.state == Lifecycle.ISSUED, late,
               Installment.replaced_by_plan_id.is_(None),
               Installment.amount_minor > Installment.paid_minor
               + Installment.written_off_minor)).scalar_one()
    charges = session.execute(
        select(func.coalesce(func.sum(CHARGE_OPEN_MINOR), 0))
        .join(Installment, Installment.id == Charge.installment_id)
        .join(Invoice, Invoice.id == Installment.invoice_id)
        .where(Invoice.customer_id == customer_id, Invoice.state == Lifecycle.ISSUED,
               Charge.replaced_by_plan_id.is_(None))).scalar_one()
    return int(debt) + int(charges)


def lift_credit_status(session: Session, books: Books, customer_ids: Iterable[int],
                       as_of: date) -> list[int]:
    """A customer on hold (or on cash only, when the user chose so) is back to good once
    nothing it owes is overdue: paying up lifts the hold without anyone remembering to."""
    rules = credit_release(session)
    ids = list(dict.fromkeys(customer_ids))
    lifting = sorted(status for status, how in rules.items() if how == "paid_up")
    held: set[int] = set()
    for chunk in chunks(ids):  # most customers are in good standing: one query for them
        held.update(session.scalars(select(Customer.id).where(
            Customer.id.in_(chunk), Customer.credit_status.in_(lifting))))
    lifted = []
    for customer_id in ids:
        customer = session.get(Customer, customer_id) if customer_id in held else None
        if customer is None or rules.get(customer.credit_status) != "paid_up":
            continue
        if overdue_minor(session, customer_id, as_of) > 0:
            continue
        before = customer.credit_status
        customer.credit_status = "good"
        lifted.append(customer_id)
        activity.log(session, books, customer_id=customer_id, kind="credit",
                     message=N_("Back to good standing: nothing is overdue any more (was hold)")
                     if before == "hold" else
                     N_("Back to good standing: nothing is overdue any more (was cash only)"),
                     on=as_of)
        audit(session, books, "customer.credit_status", "customer", customer_id,
              {"from": before, "to": "good", "why": "paid up"})
    return lifted


def settled_by_payment(ledger: Ledger, payment_id: int) -> dict[str, int]:
    """What one payment did: debt, discount, charges, credit (minor units)."""
    parts: dict[str, int] = defaultdict(int)
    for a in ledger.applied:
        if a.source == "payment" and a.source_key == payment_id:
            key = a.kind if a.kind in ("payment", "discount") else "charges"
            parts[key] += a.amount_minor
    parts["credit"] = ledger.credit.get(payment_id, 0)
    return parts

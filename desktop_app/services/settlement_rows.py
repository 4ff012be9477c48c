"""What a replay of customers' money reads, for many customers at once.

One query per kind of row (and per few hundred ids) as plain rows, no ORM objects: a bank
statement that pays invoices of 2,000 customers costs a dozen queries, not a dozen per
customer. Only the invoices whose money changed are read, with every invoice a reminder ties
to them (its fee may move among the invoices it was about): the replay of the others would
give what is stored already (domain.ledger keeps an invoice's money apart from the rest but
through such charges).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.status import Lifecycle
from desktop_app.storage import tables

ROWS_PER_QUERY = 500  # ids in one IN list: well under SQLite's and PostgreSQL's limits
Row = Any  # a plain result row of the columns below
T = TypeVar("T")
t_inv, t_inst, t_plan = tables.invoices, tables.installments, tables.payment_plans
t_charge, t_pay, t_wo = tables.charges, tables.payments, tables.write_offs
t_alloc, t_credit = tables.allocations, tables.customer_credits

INVOICE_COLUMNS = (
    t_inv.c.id, t_inv.c.customer_id, t_inv.c.number, t_inv.c.currency, t_inv.c.total_minor,
    t_inv.c.paid_minor, t_inv.c.written_off_minor, t_inv.c.discount_minor, t_inv.c.issue_date,
    t_inv.c.terms_name, t_inv.c.net_days, t_inv.c.discount_percent, t_inv.c.discount_days,
    t_inv.c.grace_days, t_inv.c.late_rule, t_inv.c.customer_consumer, t_inv.c.late_fee_minor,
    t_inv.c.fee_rule, t_inv.c.interest_annual_percent,
)
ALLOCATION_COLUMNS = (t_alloc.c.payment_id, t_alloc.c.write_off_id, t_alloc.c.installment_id,
                      t_alloc.c.charge_id, t_alloc.c.kind, t_alloc.c.amount_minor,
                      t_alloc.c.on_day)
CREDIT_COLUMNS = (t_credit.c.customer_id, t_credit.c.payment_id, t_credit.c.amount_minor,
                  t_credit.c.currency, t_credit.c.note)


def chunks(values: Sequence[T], size: int = ROWS_PER_QUERY) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


@dataclass
class Era:
    """The part of an invoice's money the replay owns (all of it, or what came after the
    latest payment plan)."""

    plan: Row | None
    installments: list[Row]  # the live ones


@dataclass
class CustomerRows:
    """One customer's rows as the replay reads them (of the invoices read)."""

    invoices: list[Row] = field(default_factory=list)  # issued, by id
    installments: dict[int, list[Row]] = field(default_factory=dict)  # invoice: all of its
    eras: dict[int, Era] = field(default_factory=dict)
    charges: list[Row] = field(default_factory=list)  # on live installments, by id
    payments: list[Row] = field(default_factory=list)  # those the replay owns
    write_offs: list[Row] = field(default_factory=list)
    allocations: list[Row] = field(default_factory=list)  # of those payments, then write-offs
    credits: list[Row] = field(default_factory=list)  # of those payments
    frozen_discount: dict[int, int] = field(default_factory=dict)  # before a plan took over


def covers(installment_id: int, raw: str | None) -> list[int]:
    """The installments a charge's reminder was about (its own when it names none)."""
    return [int(k) for k in json.loads(raw or "[]")] or [installment_id]


def _issued_of(session: Session, customer_ids: Sequence[int]) -> list[int]:
    ids: list[int] = []
    for chunk in chunks(customer_ids):
        ids += session.scalars(select(t_inv.c.id).where(
            t_inv.c.customer_id.in_(chunk), t_inv.c.state == Lifecycle.ISSUED))
    return ids


def tied_invoices(session: Session, customer_ids: Sequence[int], touched: Iterable[int]
                  ) -> list[int]:
    """The touched invoices and every issued invoice of the customers that a charge ties to
    them, directly or through others."""
    parent: dict[int, int] = {}

    def root(k: int) -> int:
        parent.setdefault(k, k)
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    ties: list[tuple[int, list[int]]] = []  # the charge's invoice, the installments it covers
    for chunk in chunks(customer_ids):
        for invoice_id, installment_id, raw in session.execute(
                select(t_inst.c.invoice_id, t_charge.c.installment_id, t_charge.c.covers)
                .join(t_inst, t_inst.c.id == t_charge.c.installment_id)
                .join(t_inv, t_inv.c.id == t_inst.c.invoice_id)
                .where(t_inv.c.customer_id.in_(chunk), t_inv.c.state == Lifecycle.ISSUED,
                       t_charge.c.replaced_by_plan_id.is_(None),
                       t_charge.c.covers.not_in(("", "[]")))):
            others = [k for k in covers(installment_id, raw) if k != installment_id]
            if others:
                ties.append((invoice_id, others))
    wanted = sorted({k for _, others in ties for k in others})
    invoice_of: dict[int, int] = {}
    for chunk in chunks(wanted):
        invoice_of.update((k, v) for k, v in session.execute(
            select(t_inst.c.id, t_inst.c.invoice_id).where(t_inst.c.id.in_(chunk))))
    for invoice_id, others in ties:
        for k in others:
            if k in invoice_of:
                parent[root(invoice_of[k])] = root(invoice_id)
    roots = {root(k) for k in touched}
    tied = set(touched) | {k for k in list(parent) if root(k) in roots}
    return sorted(tied)


def read_customers(session: Session, customer_ids: Sequence[int],
                   invoice_ids: Sequence[int] | None = None) -> dict[int, CustomerRows]:
    """The customers' rows for a replay: of all their issued invoices, or of those given."""
    out = {c: CustomerRows() for c in customer_ids}
    ids = _issued_of(session, customer_ids) if invoice_ids is None else list(invoice_ids)
    owner: dict[int, int] = {}
    for chunk in chunks(ids):
        for r in session.execute(select(*INVOICE_COLUMNS).where(
                t_inv.c.id.in_(chunk), t_inv.c.state == Lifecycle.ISSUED)):
            if r.customer_id in out:
                owner[r.id] = r.customer_id
                out[r.customer_id].invoices.append(r)
    for rows in out.values():
        rows.invoices.sort(key=lambda r: r.id)
    ids = sorted(owner)
    installments: dict[int, list[Row]] = defaultdict(list)
    plans: dict[int, Row] = {}
    for chunk in chunks(ids):
        for r in session.execute(select(t_inst).where(t_inst.c.invoice_id.in_(chunk))
                                 .order_by(t_inst.c.invoice_id, t_inst.c.position,
                                           t_inst.c.id)):
            installments[r.invoice_id].append(r)
        for r in session.execute(select(t_plan).where(t_plan.c.invoice_id.in_(chunk))
                                 .order_by(t_plan.c.id)):
            plans[r.invoice_id] = r  # the latest
    live: dict[int, int] = {}  # live installment: its invoice
    for invoice_id in ids:
        plan = plans.get(invoice_id)
        mine = installments.get(invoice_id, [])
        era = Era(plan, [i for i in mine if i.replaced_by_plan_id is None
                         and (plan is None or i.plan_id == plan.id)])
        rows = out[owner[invoice_id]]
        rows.installments[invoice_id] = mine
        rows.eras[invoice_id] = era
        live.update((i.id, invoice_id) for i in era.installments)
    _read_charges(session, ids, live, owner, out)
    payment_ids, write_off_ids = _read_money(session, ids, plans, owner, out)
    _read_stored(session, ids, payment_ids, write_off_ids, owner, out)
    return out


def _read_charges(session: Session, ids: Sequence[int], live: dict[int, int],
                  owner: dict[int, int], out: dict[int, CustomerRows]) -> None:
    found: list[Row] = []
    for chunk in chunks(ids):
        found += session.execute(select(t_charge).join(
            t_inst, t_inst.c.id == t_charge.c.installment_id).where(
            t_inst.c.invoice_id.in_(chunk), t_charge.c.replaced_by_plan_id.is_(None)))
    for r in sorted(found, key=lambda r: r.id):
        if r.installment_id in live:
            out[owner[live[r.installment_id]]].charges.append(r)


def _read_money(session: Session, ids: Sequence[int], plans: dict[int, Row],
                owner: dict[int, int], out: dict[int, CustomerRows]
                ) -> tuple[set[int], set[int]]:
    """The payments and write-offs the replay owns: all of an invoice's, or those booked
    after its latest plan (the plan names the last id of each kind it took over)."""
    payment_ids: set[int] = set()
    write_off_ids: set[int] = set()
    for table, since, kept, attr in ((t_pay, "last_payment_id", payment_ids, "payments"),
                                     (t_wo, "last_write_off_id", write_off_ids,
                                      "write_offs")):
        found: list[Row] = []
        for chunk in chunks(ids):
            found += session.execute(select(table).where(table.c.invoice_id.in_(chunk)))
        for r in sorted(found, key=lambda r: r.id):
            plan = plans.get(r.invoice_id)
            if plan is None or r.id > (getattr(plan, since) or 0):
                kept.add(r.id)
                getattr(out[owner[r.invoice_id]], attr).append(r)
    return payment_ids, write_off_ids


def _read_stored(session: Session, ids: Sequence[int], payment_ids: set[int],
                 write_off_ids: set[int], owner: dict[int, int],
                 out: dict[int, CustomerRows]) -> None:
    """What the last replay stored: allocations, credits, discounts granted before a plan."""
    customer_of_payment = {p.id: c for c, rows in out.items() for p in rows.payments}
    customer_of_write_off = {w.id: c for c, rows in out.items() for w in rows.write_offs}
    for column, wanted, customer_of in ((t_alloc.c.payment_id, payment_ids,
                                         customer_of_payment),
                                        (t_alloc.c.write_off_id, write_off_ids,
                                         customer_of_write_off)):
        found: list[Row] = []
        for chunk in chunks(sorted(wanted)):
            found += session.execute(select(t_alloc.c.id, *ALLOCATION_COLUMNS, column.label(
                "source")).where(column.in_(chunk)))
        for r in sorted(found, key=lambda r: r.id):
            out[customer_of[r.source]].allocations.append(r)
    credits: list[Row] = []
    for chunk in chunks(sorted(payment_ids)):
        credits += session.execute(select(t_credit.c.id, *CREDIT_COLUMNS).where(
            t_credit.c.payment_id.in_(chunk)))
    for r in sorted(credits, key=lambda r: r.id):
        out[customer_of_payment[r.payment_id]].credits.append(r)
    for chunk in chunks(ids):
        for invoice_id, payment_id, amount in session.execute(
                select(t_inst.c.invoice_id, t_alloc.c.payment_id, t_alloc.c.amount_minor)
                .join(t_inst, t_inst.c.id == t_alloc.c.installment_id)
                .where(t_inst.c.invoice_id.in_(chunk), t_alloc.c.kind == "discount")):
            if payment_id is not None and payment_id not in payment_ids:
                frozen = out[owner[invoice_id]].frozen_discount
                frozen[invoice_id] = frozen.get(invoice_id, 0) + int(amount)

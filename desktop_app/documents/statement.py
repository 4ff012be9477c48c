"""Statement of account: the balance brought forward, every invoice, payment and credit of
the period with a running balance, then the open items (each installment labelled) with
their age, and how to pay quoting the customer number."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from desktop_app.documents.data import AGING_BUCKETS, Statement
from desktop_app.documents.grid import Column, Foot, Grid
from desktop_app.documents.i18n import Lang
from desktop_app.documents.payment import payment_block
from desktop_app.documents.pdf import Part, build
from desktop_app.documents.typesetting import para

BUCKET_LABELS = {"current": "Current", "1-30": "1–30 days", "31-60": "31–60 days",
                 "61-90": "61–90 days", "90+": "over 90 days"}
KIND_LABELS = {"invoice": "Invoice", "payment": "Payment", "credit_note": "Credit note",
               "discount": "Early-payment discount", "write_off": "Written off",
               "charge": "Late charges"}


def render_statement(statement: Statement) -> bytes:
    t = Lang(statement.customer.language, statement.customer.babel_locale)
    return build([statement_part(statement)],
                 title=f"{t('Statement of account')} {statement.customer.name}")


def _movements(statement: Statement, t: Lang) -> Flowable:
    cur = statement.currency
    columns = [Column(t("Date"), numeric=True), Column(t("Reference"), flex=True),
               Column(t("Charged"), numeric=True), Column(t("Credited"), numeric=True),
               Column(t("Balance"), numeric=True)]
    body = [["", t("Balance brought forward"), "", "", t.money(statement.opening_minor, cur)]]
    balance = statement.opening_minor
    for entry in statement.entries:
        balance += entry.debit_minor - entry.credit_minor
        label = t(KIND_LABELS.get(entry.kind, "Payment"))
        body.append([t.date(entry.on), f"{label} {entry.reference}".strip(),
                     t.money(entry.debit_minor, cur) if entry.debit_minor else "",
                     t.money(entry.credit_minor, cur) if entry.credit_minor else "",
                     t.money(balance, cur)])
    foot = [Foot(t("Closing balance"), t.money(statement.closing_minor, cur), bold=True)]
    return Grid(columns, body, foot)


def _open_items(statement: Statement, t: Lang) -> Flowable:
    cur = statement.currency
    columns = [Column(t("Invoice"), flex=True), Column(t("Issued"), numeric=True),
               Column(t("Due"), numeric=True), Column(t("Amount"), numeric=True),
               Column(t("Open"), numeric=True), Column(t("Days overdue"), numeric=True)]
    body = []
    for item in sorted(statement.items, key=lambda i: (i.due_date, i.invoice_number)):
        overdue = max((statement.as_of - item.due_date).days, 0)
        name = item.invoice_number + (f" · {t.label(item.label)}" if item.label else "")
        body.append([name, t.date(item.issue_date), t.date(item.due_date),
                     t.money(item.total_minor, cur), t.money(item.open_minor, cur),
                     str(overdue)])
    foot = [Foot(t("Total open"), t.money(statement.open_minor, cur), bold=True)]
    return Grid(columns, body, foot)


def statement_part(statement: Statement) -> Part:
    t = Lang(statement.customer.language, statement.customer.babel_locale)
    cur = statement.currency
    title = t("Statement of account")
    story: list[Flowable] = [para(f"{title} – {statement.customer.name}", "title")]
    if statement.period_start is not None:
        story += [para(t("Movements"), "heading"), _movements(statement, t)]
    if statement.items:
        aging = statement.aging()
        buckets = Grid([Column(t(BUCKET_LABELS[b]), numeric=True) for b in AGING_BUCKETS],
                       [[t.money(aging[b], cur) for b in AGING_BUCKETS]])
        story += [para(t("Open items"), "heading"), _open_items(statement, t),
                  Spacer(1, 4 * mm), KeepTogether([buckets])]
    if statement.open_minor > 0:
        block = payment_block(statement.company, t, amount_minor=statement.open_minor,
                              currency=cur, reference=statement.reference, with_qr=False)
        if block is not None:
            story.append(block)
    info = [(t("As of"), t.date(statement.as_of))]
    if statement.period_start is not None:
        info.append((t("Period"), t("%(start)s to %(end)s", start=t.date(statement.period_start),
                                    end=t.date(statement.as_of))))
    if statement.customer.number:
        info.append((t("Customer number"), statement.customer.number))
    return Part(statement.company, t, title, story, statement.customer, tuple(info))

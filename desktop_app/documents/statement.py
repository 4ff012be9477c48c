"""Statement of account: a customer's open items with their age."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from desktop_app.documents.data import AGING_BUCKETS, Statement
from desktop_app.documents.i18n import Lang
from desktop_app.documents.payment import payment_block
from desktop_app.documents.pdf import Part, build
from desktop_app.documents.text import cell, para, table_style

BUCKET_LABELS = {"current": "Current", "1-30": "1–30 days", "31-60": "31–60 days",
                 "61-90": "61–90 days", "90+": "over 90 days"}


def render_statement(statement: Statement) -> bytes:
    return build([statement_part(statement)], title="Statement of account")


def statement_part(statement: Statement) -> Part:
    t = Lang(statement.customer.language, statement.customer.babel_locale)
    cur = statement.currency
    title = t("Statement of account")
    rows: list[list] = [[cell(t("Invoice")), cell(t("Issued")), cell(t("Due")),
                         cell(t("Total")), cell(t("Open")), cell(t("Days overdue"))]]
    for item in sorted(statement.items, key=lambda i: (i.due_date, i.invoice_number)):
        overdue = max((statement.as_of - item.due_date).days, 0)
        rows.append([para(item.invoice_number, "cell"), cell(t.date(item.issue_date)),
                     cell(t.date(item.due_date)), cell(t.money(item.total_minor, cur)),
                     cell(t.money(item.open_minor, cur)), str(overdue)])
    rows.append([cell(t("Total open"), bold=True), "", "", "",
                 cell(t.money(statement.open_minor, cur), right=True, bold=True), ""])
    items = Table(rows, colWidths=[None, 25 * mm, 25 * mm, 28 * mm, 28 * mm, 20 * mm],
                  repeatRows=1, hAlign="LEFT")
    items.setStyle(table_style(3, total_rows=1))
    aging = statement.aging()
    buckets = Table([[cell(t(BUCKET_LABELS[b])) for b in AGING_BUCKETS],
                     [cell(t.money(aging[b], cur)) for b in AGING_BUCKETS]],
                    hAlign="LEFT")
    buckets.setStyle(table_style(0))
    story: list[Flowable] = [para(f"{title} – {statement.customer.name}", "title"), items,
                             Spacer(1, 5 * mm), buckets]
    if statement.open_minor > 0:
        story.append(payment_block(statement.company, t, amount_minor=statement.open_minor,
                                   currency=cur, reference=statement.customer.name,
                                   with_qr=False))
    info = ((t("As of"), t.date(statement.as_of)),)
    return Part(statement.company, t, title, story, statement.customer, info)

"""The handover dossier: one PDF with everything a lawyer or agency needs to act.

Documents are rendered again from their data (not merged from old files); each letter
carries the SHA-256 of the PDF that was sent, which a fresh rendering reproduces.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table

from desktop_app.documents.data import Dossier
from desktop_app.documents.i18n import Lang
from desktop_app.documents.invoice import invoice_part
from desktop_app.documents.letters import STAGE_TITLES, letter_part
from desktop_app.documents.pdf import Part, build
from desktop_app.documents.statement import statement_part
from desktop_app.documents.text import cell, para, table_style


def render_dossier(dossier: Dossier) -> bytes:
    # The dossier is read by the user's lawyer: in the company's words, i.e. the language
    # of the documents it contains (the customer's).
    t = Lang(dossier.customer.language, dossier.customer.babel_locale)
    parts = [_cover(dossier, t), *(invoice_part(i) for i in dossier.invoices)]
    parts += [letter_part(sent.letter, note=t(
        "Copy of the letter sent on %(date)s, SHA-256 %(sha)s", date=t.date(sent.sent_on),
        sha=sent.sha256)) for sent in dossier.letters]
    parts += [_activity(dossier, t), statement_part(dossier.statement)]
    return build(parts, title=f"Dossier {dossier.customer.name}")


def _cover(dossier: Dossier, t: Lang) -> Part:
    title = t("Collection dossier")
    invoices: list[list] = [[cell(t("Invoice")), cell(t("Invoice date")), cell(t("Due date")),
                             cell(t("Total")), cell(t("Open"))]]
    open_by_number = {i.invoice_number: i.open_minor for i in dossier.statement.items}
    for inv in dossier.invoices:
        invoices.append([para(inv.number, "cell"), cell(t.date(inv.issue_date)),
                         cell(t.date(inv.due_date)), cell(t.money(inv.total_minor, inv.currency)),
                         cell(t.money(open_by_number.get(inv.number, 0), inv.currency))])
    inv_table = Table(invoices, colWidths=[None, 27 * mm, 27 * mm, 30 * mm, 30 * mm],
                      repeatRows=1)
    inv_table.setStyle(table_style(3))
    sent: list[list] = [[cell(t("Date")), cell(t("Letter")), cell(t("SHA-256 of the PDF sent"))]]
    for entry in dossier.letters:
        sent.append([cell(t.date(entry.sent_on)), cell(t(STAGE_TITLES[entry.letter.stage])),
                     para(entry.sha256, "cell")])
    sent_table = Table(sent, colWidths=[27 * mm, 40 * mm, None], repeatRows=1)
    sent_table.setStyle(table_style(9))
    customer = dossier.customer
    story: list[Flowable] = [
        para(title, "title"), para(t("Customer"), "heading"),
        para("\n".join([customer.name, *customer.address])),
        para(t("Invoices"), "heading"), inv_table,
        para(t("Letters sent"), "heading"), sent_table,
        para(t("Total open"), "heading"),
        para(t.money(dossier.statement.open_minor, dossier.statement.currency), bold=True),
    ]
    info = ((t("As of"), t.date(dossier.as_of)),)
    return Part(dossier.company, t, title, story, None, info)


def _activity(dossier: Dossier, t: Lang) -> Part:
    title = t("Activity log")
    rows: list[list] = [[cell(t("Date")), cell(t("Kind")), cell(t("Summary"))]]
    for entry in sorted(dossier.activity, key=lambda e: e.on):
        rows.append([cell(t.date(entry.on)), cell(entry.kind), para(entry.summary, "cell")])
    table = Table(rows, colWidths=[27 * mm, 25 * mm, None], repeatRows=1)
    table.setStyle(table_style(9))
    return Part(dossier.company, t, title, [para(title, "title"), table], None,
                ((t("Customer"), dossier.customer.name),))

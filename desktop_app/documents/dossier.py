"""The handover dossier: one PDF with everything a lawyer or agency needs to act.

A cover lists the invoices and every document sent with its date and SHA-256; the documents
follow byte for byte as the customer received them (never rendered again), then the activity
log and a statement of account.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table

from desktop_app.documents.data import Dossier, SentCopy, Stage
from desktop_app.documents.i18n import Lang
from desktop_app.documents.letters import STAGE_TITLES
from desktop_app.documents.merge import merge_pdfs
from desktop_app.documents.pdf import Part, build
from desktop_app.documents.statement import statement_part
from desktop_app.documents.text import cell, para, table_style


def render_dossier(dossier: Dossier) -> bytes:
    # The dossier is read by the user's lawyer: in the company's words, i.e. the language
    # of the documents it contains (the customer's).
    t = Lang(dossier.customer.language, dossier.customer.babel_locale)
    cover = build([_cover(dossier, t)], title=f"Dossier {dossier.customer.name}")
    tail = build([_activity(dossier, t), statement_part(dossier.statement)],
                 title=f"Dossier {dossier.customer.name}")
    pages = [copy.pdf for copy in dossier.copies if copy.pdf.startswith(b"%PDF-")]
    files = [(copy.filename, copy.pdf) for copy in dossier.copies
             if not copy.pdf.startswith(b"%PDF-")]
    return merge_pdfs([cover, *pages, tail], title=f"Dossier {dossier.customer.name}",
                      attachments=files)


def grouped(sha256: str) -> str:
    """A fingerprint in groups of eight, as people compare them (and lines may break)."""
    return " ".join(sha256[i:i + 8] for i in range(0, len(sha256), 8))


def copy_title(copy: SentCopy, t: Lang) -> str:
    if copy.kind == "invoice":
        return f"{t('Invoice')} {copy.reference}"
    if copy.kind == "einvoice":  # an XML: attached to the dossier, not printed in it
        return f"{t('E-invoice')} {copy.filename} ({copy.reference})"
    if copy.stage in {s.value for s in Stage}:
        return f"{t(STAGE_TITLES[Stage(copy.stage)])} ({copy.reference})"
    return copy.reference


def _cover(dossier: Dossier, t: Lang) -> Part:
    title = t("Collection dossier")
    invoices: list[list] = [[cell(t("Invoice")), cell(t("Invoice date")), cell(t("Due date")),
                             cell(t("Total")), cell(t("Open"))]]
    open_by_number: dict[str, int] = {}
    for item in dossier.statement.items:
        open_by_number[item.invoice_number] = open_by_number.get(item.invoice_number, 0) + \
            item.open_minor
    for inv in dossier.invoices:
        invoices.append([para(inv.number, "cell"), cell(t.date(inv.issue_date)),
                         cell(t.date(inv.due_date)), cell(t.money(inv.total_minor, inv.currency)),
                         cell(t.money(open_by_number.get(inv.number, 0), inv.currency))])
    inv_table = Table(invoices, colWidths=[None, 27 * mm, 27 * mm, 30 * mm, 30 * mm],
                      repeatRows=1)
    inv_table.setStyle(table_style(3))
    sent: list[list] = [[cell(t("Date")), cell(t("Letter")), cell(t("SHA-256 of the PDF sent"))]]
    for copy in dossier.copies:
        sent.append([cell(t.date(copy.sent_on)), para(copy_title(copy, t), "cell"),
                     para(grouped(copy.sha256), "cell")])
    sent_table = Table(sent, colWidths=[27 * mm, 55 * mm, None], repeatRows=1)
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

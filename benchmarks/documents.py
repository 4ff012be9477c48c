"""What the PDF figures render: real letters and a real invoice from the benchmark book,
made by the same services the follow-up run and the invoice command use."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from desktop_app.documents import data as doc
from desktop_app.services.books import Books, the_company
from desktop_app.services.documents import invoice_doc, letter_doc, letter_items
from desktop_app.services.invoice_lookup import invoice_terms
from desktop_app.storage.models import Customer, Invoice

STAGES = ("reminder_1", "reminder_2", "final_notice")  # the letters a morning prints


def overdue_letters(books: Books, as_of: date, count: int) -> list[doc.Letter]:
    """``count`` reminder letters for overdue invoices of different customers, in every
    language of the book, with fees and interest where the stage charges them."""
    letters: list[doc.Letter] = []
    seen: set[int] = set()
    with books.db.read() as session:
        company = the_company(session)
        invoices = session.scalars(
            select(Invoice).where(Invoice.state == "issued", Invoice.due_date < as_of,
                                  Invoice.paid_minor < Invoice.total_minor)
            .order_by(Invoice.id).options(selectinload(Invoice.installments))
            .limit(count * 20))
        customers = {c.id: c for c in session.scalars(select(Customer))}
        for inv in invoices:
            if inv.customer_id in seen:
                continue
            stage = STAGES[len(letters) % len(STAGES)]
            late = stage != "reminder_1"
            terms = invoice_terms(session, company, inv)
            overdue = [i for i in inv.installments if i.due_date < as_of]
            items = letter_items(inv, terms, as_of, late, overdue)
            if not items:
                continue
            seen.add(inv.customer_id)
            letters.append(letter_doc(company, customers[inv.customer_id], stage, as_of, items,
                                      inv.currency, terms.late_fee_minor if late else 0))
            if len(letters) == count:
                break
    if len(letters) < count:
        raise RuntimeError(f"the book has only {len(letters)} overdue customers to write to")
    return letters


def sample_invoice(books: Books, as_of: date) -> doc.Invoice:
    """An issued invoice with several lines and an installment schedule: a full page."""
    with books.db.read() as session:
        company = the_company(session)
        inv = session.scalars(
            select(Invoice).where(Invoice.state == "issued", Invoice.schedule_spec != "")
            .order_by(Invoice.id.desc())
            .options(selectinload(Invoice.lines), selectinload(Invoice.installments))
            .limit(1)).one()
        return invoice_doc(session, company, inv, as_of)


def plain_letters(count: int) -> bytes:
    """The floor for the day's print job: one ReportLab document of ``count`` plain
    one-page letters (an address, a date, a subject, three paragraphs and a closing) in one
    embedded font: what any letter batch costs at the least."""
    from io import BytesIO

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    from desktop_app.documents.fonts import SANS, ensure_fonts

    ensure_fonts()
    style = ParagraphStyle("plain", fontName=SANS, fontSize=10, leading=14)
    story = []
    for k in range(1, count + 1):
        story += [Paragraph(f"Customer {k}<br/>Street {k}<br/>{10000 + k} Town", style),
                  Spacer(0, 40), Paragraph(f"Invoice INV-{k:05d}, 5 December", style),
                  Spacer(0, 20), Paragraph("Payment reminder", style), Spacer(0, 12)]
        story += [Paragraph(f"Dear customer {k}, our invoice of {k * 7 % 1000}.00 EUR is not "
                            "paid yet. Please pay it within ten days to the account named "
                            "below, quoting the invoice number as the payment reference. If "
                            "you have paid in the meantime, thank you; please disregard this "
                            "letter.", style), Spacer(0, 10)] * 3
        story += [Paragraph("Kind regards<br/>Accounts", style), PageBreak()]
    out = BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title="Letters").build(story)
    return out.getvalue()

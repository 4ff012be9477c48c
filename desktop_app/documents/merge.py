"""Put finished PDFs one after another, byte-exact pages included (print jobs, dossiers).

Copies of what was sent are appended as they are, never re-rendered, so a page in the
dossier is the page the customer received.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from pypdf import PdfReader, PdfWriter

from desktop_app.domain.errors import ValidationError


def merge_pdfs(pdfs: Sequence[bytes], *, title: str,
               attachments: Sequence[tuple[str, bytes]] = ()) -> bytes:
    """``attachments`` (name, bytes) ride along as embedded files: documents that have no
    pages, such as the XML of an e-invoice."""
    if not pdfs:
        raise ValidationError("documents", "there is nothing to put together")
    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(PdfReader(BytesIO(pdf)))
    for name, data in attachments:
        writer.add_attachment(name, data)
    writer.add_metadata({"/Title": title, "/Producer": "PaidUp"})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def mark_as_copy(pdf: bytes, mark: str, note: str) -> bytes:
    """The document as it was issued, every page stamped with ``mark`` ("COPY") and a line
    saying when the original was issued: a reprint is never taken for a second original."""
    from reportlab.pdfgen.canvas import Canvas

    from desktop_app.documents.fonts import ensure_fonts
    from desktop_app.documents.typesetting import GREY, draw

    ensure_fonts()
    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf)))
    for page in writer.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        overlay = BytesIO()
        canvas = Canvas(overlay, pagesize=(width, height), invariant=1)
        draw(canvas, width - 56, height - 30, mark, 16, bold=True, align="right", color=GREY)
        draw(canvas, width - 56, height - 40, note, 7, align="right", color=GREY)
        canvas.showPage()
        canvas.save()
        page.merge_page(PdfReader(BytesIO(overlay.getvalue())).pages[0])
    writer.add_metadata({"/Producer": "PaidUp"})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()

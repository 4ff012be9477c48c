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

"""PDFs read back for assertions: text and word boxes per page."""

from __future__ import annotations

from io import BytesIO

import pdfplumber


class Pdf:
    """A rendered PDF read back: text and word boxes per page (points, top-left origin)."""

    def __init__(self, data: bytes) -> None:
        with pdfplumber.open(BytesIO(data)) as pdf:
            self.pages = [p.extract_text() or "" for p in pdf.pages]
            self.words = [p.extract_words(keep_blank_chars=False) for p in pdf.pages]

    @property
    def text(self) -> str:
        return "\n".join(self.pages)

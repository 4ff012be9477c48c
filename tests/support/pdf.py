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


def fonts_without_file(pdf) -> list[str]:
    """The fonts a PDF (open in pikepdf) names without embedding them (PDF/A forbids it)."""
    missing = []

    def walk(resources) -> None:
        for font in (resources.get("/Font") or {}).values():
            fonts = [font, *(font.get("/DescendantFonts") or [])]
            descriptors = [f.get("/FontDescriptor") for f in fonts if f.get("/FontDescriptor")]
            if not any(k in d for d in descriptors for k in ("/FontFile", "/FontFile2",
                                                            "/FontFile3")):
                missing.append(str(font.get("/BaseFont")))
        for xobject in (resources.get("/XObject") or {}).values():
            if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
                walk(xobject.Resources)

    for page in pdf.pages:
        walk(page.Resources)
    return missing

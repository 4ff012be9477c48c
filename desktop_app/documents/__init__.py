"""PDF documents: invoice, letters, statement, dossier and the calibration page. No Qt.

The renderers are imported on first use (PEP 562 ``__getattr__``): importing one light
module of the package, such as ``documents.data`` for its snapshots, must not load
ReportLab and pypdf, which a command that prints no PDF never needs.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what __getattr__ hands out, for the type checker
    from desktop_app.documents.calibration import render_calibration as render_calibration
    from desktop_app.documents.dossier import render_dossier as render_dossier
    from desktop_app.documents.invoice import render_credit_note as render_credit_note
    from desktop_app.documents.invoice import render_invoice as render_invoice
    from desktop_app.documents.letter_templates import letter_text as letter_text
    from desktop_app.documents.letter_templates import validate_template as validate_template
    from desktop_app.documents.letters import render_letter as render_letter
    from desktop_app.documents.letters import render_letters as render_letters
    from desktop_app.documents.merge import mark_as_copy as mark_as_copy
    from desktop_app.documents.merge import merge_pdfs as merge_pdfs
    from desktop_app.documents.pdf import sha256_hex as sha256_hex
    from desktop_app.documents.quote import render_quote as render_quote
    from desktop_app.documents.statement import render_statement as render_statement

_HOMES = {
    "letter_text": "letter_templates",
    "mark_as_copy": "merge",
    "render_credit_note": "invoice",
    "merge_pdfs": "merge",
    "render_calibration": "calibration",
    "render_dossier": "dossier",
    "render_invoice": "invoice",
    "render_letter": "letters",
    "render_letters": "letters",
    "render_quote": "quote",
    "render_statement": "statement",
    "sha256_hex": "pdf",
    "validate_template": "letter_templates",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{home}"), name)

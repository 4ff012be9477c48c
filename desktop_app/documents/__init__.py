"""PDF documents: invoice, letters, statement, dossier and the calibration page. No Qt.

The renderers are imported on first use (PEP 562 ``__getattr__``): importing one light
module of the package, such as ``documents.data`` for its snapshots, must not load
ReportLab and pypdf, which a command that prints no PDF never needs.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

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

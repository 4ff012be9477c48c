"""PDF documents: invoice, letters, statement, dossier and the calibration page. No Qt."""

from desktop_app.documents.calibration import render_calibration
from desktop_app.documents.dossier import render_dossier
from desktop_app.documents.invoice import render_invoice
from desktop_app.documents.letters import render_letter, render_letters
from desktop_app.documents.pdf import sha256_hex
from desktop_app.documents.statement import render_statement
from desktop_app.documents.templates import letter_text, validate_template

__all__ = [
    "letter_text",
    "render_calibration",
    "render_dossier",
    "render_invoice",
    "render_letter",
    "render_letters",
    "render_statement",
    "sha256_hex",
    "validate_template",
]

"""The shipped fonts, letter templates and catalogues the documents use."""

from desktop_app.resources import FONTS, LETTER_TEMPLATES, LOCALE

__all__ = ["FONTS", "LETTER_TEMPLATES", "LOCALE"]

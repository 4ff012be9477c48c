"""Where the shipped fonts, templates and catalogues live (the repository's resources/)."""

from pathlib import Path

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
FONTS = RESOURCES / "fonts"
LETTER_TEMPLATES = RESOURCES / "templates" / "letters"
LOCALE = RESOURCES / "locale"

"""The window's catalogues read without Qt, for the words the window's language gives data
the books keep (the demo's terms, items and notes): the command line names them in the
language it is asked for, the window in its own."""

from __future__ import annotations

import gettext
from functools import cache
from io import BytesIO

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from desktop_app.resources import LOCALE

DOMAIN = "window"
# The window's languages, each named in its own words.
LANGUAGES = {
    "en": "English",
    "de": "Deutsch",
    "ru": "Русский",
    "zh_CN": "简体中文",
    "zh_TW": "繁體中文",
}


@cache
def catalogue(code: str) -> gettext.NullTranslations:
    """The window's catalogue for one language, compiled in memory; fuzzy entries are left
    out so that an unchecked translation never reaches the user."""
    path = LOCALE / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    if code == "en" or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as handle:
        po = read_po(handle, locale=code)
    compiled = BytesIO()
    write_mo(compiled, po)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)

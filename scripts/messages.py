"""Extract the window's messages and bring every language's catalogue up to date.

    make messages        (or: python scripts/messages.py)

The same as ``pybabel extract -k N_ -k ngettext:1,2 -k pgettext:1c,2 -k NC_:1c,2
desktop_app/ui`` (and ``-k N_ desktop_app/services``, the activity log's messages, which the
window translates where it shows them) followed by ``pybabel update -D window``: new
messages arrive untranslated in each ``window.po``, messages gone from the code become
obsolete (#~), and the tests fail until a person translates them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from desktop_app import __version__

ROOT = Path(__file__).resolve().parent.parent
UI = ROOT / "desktop_app" / "ui"
SERVICES = ROOT / "desktop_app" / "services"
LOCALE = ROOT / "resources" / "locale"
DOMAIN = "window"
LANGUAGES = {"de": "German", "ru": "Russian", "zh_CN": "simplified Chinese",
             "zh_TW": "traditional Chinese (Taiwan)"}
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
            "NC_": ((1, "c"), 2)}
SERVICE_KEYWORDS = {"N_": None}  # services mark messages only; the window translates them


def _describe(catalog: Catalog, language: str) -> None:
    """A header that says what the file is, instead of Babel's placeholders."""
    catalog.header_comment = f"# The texts of PaidUp's window: {language}."
    catalog.project, catalog.version, catalog.copyright_holder = "PaidUp", __version__, "PaidUp"
    catalog.revision_date = catalog.creation_date
    catalog.msgid_bugs_address = ""
    catalog.last_translator = catalog.language_team = "PaidUp"


def extract_window() -> Catalog:
    """Every message the window's code marks, and the activity messages the services mark, as
    pybabel extract finds them."""
    catalog = Catalog(project="PaidUp", domain=DOMAIN, fuzzy=False)
    _describe(catalog, "the English messages, to translate")
    for folder, keywords in ((UI, KEYWORDS), (SERVICES, SERVICE_KEYWORDS)):
        for filename, lineno, message, comments, context in extract_from_dir(
                str(folder), method_map=[("**.py", "python")], keywords=keywords,
                comment_tags=("TRANSLATORS:",), strip_comment_tags=True):
            catalog.add(message, locations=[(f"desktop_app/{folder.name}/{filename}", lineno)],
                        auto_comments=comments, context=context)
    return catalog


def update(template: Catalog, code: str) -> Catalog:
    path = LOCALE / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=code, domain=DOMAIN)
    else:
        catalog = Catalog(locale=code, domain=DOMAIN, project="PaidUp", fuzzy=False)
    # no fuzzy matching: a guessed translation of a neighbouring message is worse than none
    catalog.update(template, no_fuzzy_matching=True)
    _describe(catalog, LANGUAGES[code])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=96, no_location=True, omit_header=False,
                 ignore_obsolete=True, include_previous=False)
    return catalog


def main() -> int:
    template = extract_window()
    with (LOCALE / f"{DOMAIN}.pot").open("wb") as handle:
        write_po(handle, template, width=96, no_location=True)
    for code in LANGUAGES:
        catalog = update(template, code)
        missing = sum(1 for m in catalog if m.id and not all(
            m.string if isinstance(m.string, tuple) else (m.string,)))
        print(f"{code}: {len(catalog)} messages, {missing} to translate")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Extract the window's messages and bring every language's catalogue up to date.

    make messages        (or: python scripts/messages.py)

The same as ``pybabel extract -k N_ -k ngettext:1,2 -k pgettext:1c,2 -k NC_:1c,2
desktop_app/ui`` (and ``-k N_`` over the packages below the faces: the activity log's
messages and the refusals, which the window translates where it shows them) followed by
``pybabel update -D window``: new messages arrive untranslated in each ``window.po``,
messages gone from the code become obsolete (#~), and the tests fail until a person
translates them. The field a refusal names (``ValidationError("due-date", ...)``) is
extracted too, in the context "field".
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from desktop_app import __version__

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "desktop_app"
UI = PACKAGE / "ui"
# Below the faces: their refusals and the activity log's messages reach the window.
CORE = [PACKAGE / name for name in ("domain", "services", "storage", "mail", "bank",
                                     "documents")]
LOCALE = ROOT / "resources" / "locale"
DOMAIN = "window"
LANGUAGES = {"de": "German", "ru": "Russian", "zh_CN": "simplified Chinese",
             "zh_TW": "traditional Chinese (Taiwan)"}
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
            "NC_": ((1, "c"), 2)}
CORE_KEYWORDS = {"N_": None}  # the core marks messages only; the window translates them
REFUSALS = {"ValidationError", "NotFound"}  # their first argument names the field
FIELD = "field"


def _describe(catalog: Catalog, language: str) -> None:
    """A header that says what the file is, instead of Babel's placeholders."""
    catalog.header_comment = f"# The texts of PaidUp's window: {language}."
    catalog.project, catalog.version, catalog.copyright_holder = "PaidUp", __version__, "PaidUp"
    catalog.revision_date = catalog.creation_date
    catalog.msgid_bugs_address = ""
    catalog.last_translator = catalog.language_team = "PaidUp"


def extract_window() -> Catalog:
    """Every message the window's code marks, the messages the core marks (refusals, the
    activity log) as pybabel extract finds them, and the fields refusals name."""
    catalog = Catalog(project="PaidUp", domain=DOMAIN, fuzzy=False)
    _describe(catalog, "the English messages, to translate")
    for folder, keywords in ((UI, KEYWORDS), *((core, CORE_KEYWORDS) for core in CORE)):
        for filename, lineno, message, comments, context in extract_from_dir(
                str(folder), method_map=[("**.py", "python")], keywords=keywords,
                comment_tags=("TRANSLATORS:",), strip_comment_tags=True):
            catalog.add(message, locations=[(f"desktop_app/{folder.name}/{filename}", lineno)],
                        auto_comments=comments, context=context)
    for where, name in refused_fields():
        catalog.add(name, locations=[where], context=FIELD)
    return catalog


def refused_fields() -> Iterator[tuple[tuple[str, int], str]]:
    """The fields refusals name in so many words (not those a variable names)."""
    for folder in CORE:
        for path in sorted(folder.rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and node.args and _called(node) in REFUSALS:
                    first = node.args[0]
                    if isinstance(first, ast.Constant) and isinstance(first.value, str):
                        yield (str(path.relative_to(ROOT)), node.lineno), first.value


def _called(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


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

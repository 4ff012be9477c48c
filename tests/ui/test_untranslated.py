"""No English left in the window: every text shown goes through the catalogue, and every
catalogue translates every message (the window's i18n tier)."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from desktop_app.resources import LOCALE
from desktop_app.ui import translate
from scripts.messages import CORE, ROOT, extract_window

UI = Path(translate.__file__).parent
LANGUAGES = [code for code in translate.LANGUAGES if code != "en"]
# Qt's text calls and the window's own (a form's field label, a status line), and which of
# their positional arguments a person reads (None: all).
TEXT_CALLS: dict[str, tuple[int, ...] | None] = {
    "setText": (0,), "setWindowTitle": (0,), "setToolTip": (0,), "setStatusTip": (0,),
    "setPlaceholderText": (0,), "setInformativeText": (0,), "setDetailedText": (0,),
    "setSpecialValueText": (0,), "setSuffix": (0,), "setPrefix": (0,), "setTitle": (0,),
    "setAccessibleName": (0,), "setWhatsThis": (0,), "setLabelText": (0,),
    "setItemText": (1,), "setTabText": (1,), "addItem": (0,), "addTab": (1,),
    "addAction": (0,), "addMenu": (0,), "addButton": (0,), "addRow": (0,),
    "setHorizontalHeaderLabels": None, "setVerticalHeaderLabels": None,
    "QLabel": (0,), "QPushButton": (0,), "QCheckBox": (0,), "QRadioButton": (0,),
    "QGroupBox": (0,), "QAction": (0,), "QToolButton": (0,), "QMenu": (0,),
    "QMessageBox": (1, 2), "information": (1, 2), "warning": (1, 2), "critical": (1, 2),
    "question": (1, 2), "about": (1, 2),
    "showMessage": (0,), "say": (0,), "add_field": (0,), "heading": (0,),
    "NoteLabel": (0,), "ErrorLabel": (0,), "EmptyState": None,
    "ValidationError": (1,), "RuleViolation": (0,),
}
LOGGERS = {"log", "logger", "logging"}
# The product's name, and examples of a host or an address, read the same in every language.
NOT_WORDS = re.compile(r"PaidUp|[\w.-]*@?[\w-]+\.[\w.-]*example\.com|[\w.-]+@[\w.-]+\.example")


def _words(node: ast.expr) -> bool:
    """English a person would read: a literal or f-string with letters in it."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and any(c.isalpha() for c in node.value) \
            and not NOT_WORDS.fullmatch(node.value)
    if isinstance(node, ast.JoinedStr):
        return any(_words(v) for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp):
        return _words(node.left) or _words(node.right)
    if isinstance(node, ast.IfExp):
        return _words(node.body) or _words(node.orelse)
    if isinstance(node, ast.Tuple | ast.List):
        return any(_words(e) for e in node.elts)
    return False


def _call_name(call: ast.Call) -> tuple[str, str]:
    func = call.func
    if isinstance(func, ast.Attribute):
        owner = func.value.id if isinstance(func.value, ast.Name) else ""
        return func.attr, owner
    return (func.id, "") if isinstance(func, ast.Name) else ("", "")


def _marked_names(tree: ast.Module) -> set[str]:
    """Module constants marked for translation (``NAME = N_("...")``): still English until
    ``_()`` reads them where they are shown."""
    return {target.id for node in tree.body if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name)
            and node.value.func.id in ("N_", "NC_")
            for target in node.targets if isinstance(target, ast.Name)}


def bare_texts(source: str, name: str) -> list[str]:
    """Where a literal, or a constant only marked with ``N_``, reaches a text call without
    ``_()``: 'file:line call(...)'."""
    found = []
    tree = ast.parse(source)
    marked = _marked_names(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        call, owner = _call_name(node)
        if call not in TEXT_CALLS or owner in LOGGERS:
            continue
        positions = TEXT_CALLS[call]
        args = [a for i, a in enumerate(node.args) if positions is None or i in positions]
        if any(_words(a) or (isinstance(a, ast.Name) and a.id in marked) for a in args):
            found.append(f"{name}:{node.lineno} {call}(...)")
    return found


def test_the_check_finds_a_bare_text() -> None:
    source = ('label.setText("Hello")\nQLabel(f"{n} days")\nbox.addRow(_("Name"), edit)\n'
              'QMessageBox.warning(None, "PaidUp", "Gone " + name)\nlog.warning("x y")\n'
              'HINT = N_("Set up mail")\nNoteLabel(HINT)\nNoteLabel(_(HINT))\n')
    assert bare_texts(source, "m") == ["m:1 setText(...)", "m:2 QLabel(...)",
                                       "m:4 warning(...)", "m:7 NoteLabel(...)"]


def test_no_text_reaches_qt_without_translation() -> None:
    bare = [hit for path in sorted(UI.rglob("*.py"))
            for hit in bare_texts(path.read_text(encoding="utf-8"), str(path.relative_to(UI)))]
    assert not bare, "texts shown without _():\n" + "\n".join(bare)


# Refusals the core raises, and which argument holds the message the window translates.
REFUSALS = {"ValidationError": 1, "NotFound": 1, "RuleViolation": 0, "PaidUpError": 0,
            "BooksTrouble": 1, "NoWayToPay": 0}


def _unmarked(node: ast.expr) -> bool:
    """Text that reaches a refusal without ``N_``: finished English the window cannot
    translate (an f-string inside ``N_`` too: its values belong beside the message)."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "N_":
        return any(isinstance(a, ast.JoinedStr) for a in node.args)
    if isinstance(node, ast.IfExp):
        return _unmarked(node.body) or _unmarked(node.orelse)
    return _words(node)


def unmarked_refusals(source: str, name: str) -> list[str]:
    """Where a refusal is raised with a message not marked for the catalogues."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _call_name(node)[0] in REFUSALS:
            position = REFUSALS[_call_name(node)[0]]
            if len(node.args) > position and _unmarked(node.args[position]):
                found.append(f"{name}:{node.lineno}")
    return found


def test_the_check_finds_an_unmarked_refusal() -> None:
    source = ('raise ValidationError("x", f"{a} is wrong")\nraise RuleViolation("no")\n'
              'raise ValidationError("x", N_("{a} is wrong"), a=a)\n'
              'raise RuleViolation(N_(f"{a}"))\nraise RuleViolation(message)\n'
              'raise RuleViolation(N_("a") if b else "c")\n')
    assert unmarked_refusals(source, "m") == ["m:1", "m:2", "m:4", "m:6"]


def test_the_core_refuses_in_marked_messages() -> None:
    """Every refusal of the services and below is a message the window can translate."""
    bare = [hit for folder in CORE for path in sorted(folder.rglob("*.py"))
            for hit in unmarked_refusals(path.read_text(encoding="utf-8"),
                                         str(path.relative_to(ROOT)))]
    assert not bare, f"{len(bare)} refusals not marked with N_:\n" + "\n".join(bare)


@pytest.fixture(scope="module")
def extracted() -> Catalog:
    return extract_window()


def _catalogue(code: str) -> Catalog:
    with (LOCALE / code / "LC_MESSAGES" / "window.po").open("rb") as handle:
        return read_po(handle, locale=code)


def test_the_catalogues_hold_every_message_of_the_code(extracted: Catalog) -> None:
    for code in LANGUAGES:
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalogue(code) if m.id}
        new = sorted({m.id if isinstance(m.id, str) else m.id[0]
                      for m in extracted if m.id} - known)
        assert not new, f"{code}: run `make messages` and translate: {new[:10]}"


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_message_is_translated(code: str) -> None:
    catalogue = _catalogue(code)
    missing, broken = [], []
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(texts):
            missing.append(ids[0])
            continue
        if len(ids) > 1 and len(texts) != catalogue.num_plurals:
            broken.append(f"{ids[0]!r}: {len(texts)} plural forms, not {catalogue.num_plurals}")
        for text in texts:
            try:
                if _fields(text) != _fields(ids[-1]) and _fields(text) != _fields(ids[0]):
                    broken.append(f"{ids[0]!r} -> {text!r}: other placeholders")
            except ValueError:
                broken.append(f"{ids[0]!r} -> {text!r}: braces do not match")
    assert not missing, f"{code}: {len(missing)} untranslated, e.g. {missing[:5]}"
    assert not broken, f"{code}: " + "\n".join(broken)


def test_chinese_catalogues_use_their_own_script() -> None:
    """Simplified for zh_CN, traditional for zh_TW: a character only the other script uses
    gives a copy away."""
    simplified_only, traditional_only = set("发票户设账单删"), set("發票戶設賬單刪")
    cn = "".join(m.string for m in _catalogue("zh_CN") if isinstance(m.string, str))
    tw = "".join(m.string for m in _catalogue("zh_TW") if isinstance(m.string, str))
    assert not set(cn) & (traditional_only - simplified_only)
    assert not set(tw) & (simplified_only - traditional_only)
    assert "發票" in tw and "发票" in cn


@pytest.mark.parametrize(("code", "counts"), [
    ("ru", {1: "1 день", 3: "3 дня", 5: "5 дней", 21: "21 день"}),
    ("de", {1: "1 Tag", 2: "2 Tage"}),
    ("zh_CN", {1: "1 天", 5: "5 天"}),
])
def test_plural_forms_follow_the_language(code: str, counts: dict[int, str]) -> None:
    from desktop_app.ui import display
    before = translate.current()
    translate.use(translate.Language(code, translate.format_locale(code, "en_US")))
    try:
        assert {n: display.days(n) for n in counts} == counts
    finally:
        translate.use(before)


def test_messages_keep_python_brace_fields() -> None:
    """A translation is filled with str.format: a stray brace would raise in front of the
    user, so the ids themselves must parse."""
    for message in _catalogue("de"):
        for text in (message.id if isinstance(message.id, tuple) else (message.id,)):
            assert not re.search(r"(?<!\{)\{[^}]*$", text or ""), text

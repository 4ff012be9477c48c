"""What every command module shares: argument types, output forms, registration."""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import re
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from desktop_app import files
from desktop_app.clock import day_of
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.money import plain_text, read_whole

if TYPE_CHECKING:
    from desktop_app.services.books import Books

Handler = Callable[["Books", argparse.Namespace], Any]
BooklessHandler = Callable[[str | None, argparse.Namespace], Any]


def lazy_services(*names: str) -> tuple[ModuleType, ...]:
    """Service modules that load on first use (``importlib.util.LazyLoader``).

    A command module names every service its commands call, at its top as usual, but a
    command pays only for the ones it runs: ``followup plan`` never loads ReportLab, pypdf
    or the mail code that ``followup run`` needs, and start-up is most of what a short
    command costs.
    """
    return tuple(_lazy(f"desktop_app.services.{name}") for name in names)


def _lazy(name: str) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(name)
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def iso_date(text: str) -> date:
    """A day as YYYY-MM-DD. A bad one is bad input, not bad usage: ``name_fields`` makes
    the refusal name its option, and the command exits 1 with that one line (CLI.md)."""
    if not re.fullmatch("[0-9]{4}-[0-9]{2}-[0-9]{2}", text.strip()):
        raise ValidationError("date", f"'{text}' is not a date (YYYY-MM-DD)")
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError("date", f"'{text}' is not a day of the calendar") from None


def positive_int(text: str) -> int:
    """An id or a count: ASCII digits, more than zero (see ``iso_date`` for the refusal)."""
    return read_whole(text, "id", minimum=1, what="a positive whole number")


def whole_number(text: str) -> int:
    """A count that may be zero (days of grace): ASCII digits."""
    return read_whole(text, "number", what="a whole number")


_CHECKED_TYPES = (iso_date, positive_int, whole_number)


def _named(check: Callable[[str], Any], field: str) -> Callable[[str], Any]:
    def convert(text: str) -> Any:
        try:
            return check(text)
        except ValidationError as exc:
            raise exc.renamed(field) from None

    convert.__name__ = check.__name__
    return convert


def name_fields(parser: argparse.ArgumentParser) -> None:
    """Every date and id option of every command refuses bad input naming itself
    ('date: '2026-02-30' is not a day of the calendar'); argparse itself would print its
    usage text and exit 2, which CLI.md keeps for bad usage."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                name_fields(sub)
        elif action.type in _CHECKED_TYPES:
            field = (action.option_strings[-1].lstrip("-") if action.option_strings
                     else action.dest.replace("_", "-"))
            action.type = _named(action.type, field)


def today(args: argparse.Namespace) -> date:
    """--as-of when given, else the calendar's date."""
    return day_of(args.as_of)()


class Registry:
    """Adds commands and command groups that all accept the common options."""

    def __init__(self, sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
        self.sub = sub
        self.common = common
        self._groups: dict[str, argparse._SubParsersAction] = {}

    def group(self, name: str, help_: str) -> argparse._SubParsersAction:
        parser = self.sub.add_parser(name, help=help_, description=help_, parents=[self.common])
        self._groups[name] = parser.add_subparsers(dest="action", required=True,
                                                   metavar="ACTION")
        return self._groups[name]

    def subgroup(self, name: str) -> argparse._SubParsersAction:
        """A group another module made, to add commands to it (invoice pdf, ...)."""
        return self._groups[name]

    def command(self, name: str, handler: Handler | BooklessHandler, help_: str,
                where: argparse._SubParsersAction | None = None, *,
                opens_books: bool = True) -> argparse.ArgumentParser:
        """``opens_books=False``: the handler gets the books' location, not open books
        (restore, which must work on books too damaged to open)."""
        parser = (where or self.sub).add_parser(name, help=help_, description=help_,
                                                parents=[self.common])
        parser.set_defaults(handler=handler, opens_books=opens_books)
        return parser

def write_pdf(target: str, pdf: bytes) -> dict[str, str]:
    return {"path": str(write_file(target, pdf))}


def write_file(target: str | Path, content: bytes | str) -> Path:
    """An output file, whole or not at all (a full disk leaves the previous file as it was)."""
    path = Path(target)
    try:
        if isinstance(content, bytes):
            files.write_bytes(path, content)
        else:
            files.write_text(path, content, newline="")
    except OSError as exc:
        raise ValidationError("output", f"cannot write {path}: {exc.strerror}") from None
    return path


def plain(value: Any) -> Any:
    """JSON form: money and rates as exact strings, dates ISO, dataclasses as objects."""
    if value is None or isinstance(value, str | int | float):  # most values of a report
        return value
    if isinstance(value, Decimal):
        return plain_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    names = _field_names(type(value))
    if names is not None:
        return {name: plain(getattr(value, name)) for name in names}
    return value


@cache
def _field_names(kind: type) -> tuple[str, ...] | None:
    """A dataclass's field names (asked once per class, not once per row), but those kept
    for the window alone (``metadata={"window": True}``: a message it translates)."""
    if not dataclasses.is_dataclass(kind):
        return None
    return tuple(f.name for f in dataclasses.fields(kind) if not f.metadata.get("window"))


def text(value: Any, indent: str = "") -> str:
    """Readable text of any result: converted to its plain form once, then laid out (a big
    report is tens of thousands of values)."""
    return _layout(plain(value), indent)


def _layout(shown: Any, indent: str) -> str:
    if isinstance(shown, dict):
        out = []
        for key, item in shown.items():
            if isinstance(item, dict | list) and item:
                out.append(f"{indent}{key}:\n{_layout(item, indent + '  ')}")
            else:
                out.append(f"{indent}{key}: {'' if item is None else item}")
        return "\n".join(out)
    if isinstance(shown, list):
        return "\n".join(
            _layout(item, indent + "  ") if isinstance(item, dict) else f"{indent}- {item}"
            for item in shown
        ) if shown else f"{indent}(none)"
    return f"{indent}{shown}"

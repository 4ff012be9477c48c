"""Templates whose sentences reword themselves when a fact is missing.

A letter or an email is written as plain text with ``{placeholders}``. A part in square
brackets is printed only when every placeholder in it has a value; ``|`` separates
alternatives, the first complete one is printed::

    please contact [{contact_person}|us][ on {contact_phone}[ or at {contact_email}]|
    [ at {contact_email}]].

reads "please contact us." when no person, phone or email is known, never "contact  at
or .". ``{{ }}`` and ``\\[ \\] \\|`` print the characters themselves.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from desktop_app.domain.errors import ValidationError
from desktop_app.messages import N_, Value

_NAME = re.compile(r"[a-z_][a-z0-9_]*")


@dataclass(frozen=True, slots=True)
class _Field:
    name: str


@dataclass(frozen=True, slots=True)
class _Choice:
    """A bracketed part: alternatives, each a sequence of pieces."""

    alternatives: tuple[tuple[_Piece, ...], ...]


_Piece = str | _Field | _Choice


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0

    def fail(self, template: str, /, **values: Value) -> ValidationError:
        return ValidationError("template", template, **values)

    def sequence(self, nested: bool) -> tuple[tuple[_Piece, ...], str]:
        """Pieces up to the end, or (inside brackets) up to ``|`` or ``]``."""
        pieces: list[_Piece] = []
        literal: list[str] = []
        text = self.text
        while self.at < len(text):
            ch = text[self.at]
            pair = text[self.at:self.at + 2]
            if pair in ("{{", "}}", "\\[", "\\]", "\\|"):
                literal.append(pair[1])
                self.at += 2
            elif ch == "{":
                end = text.find("}", self.at)
                if end < 0:
                    raise self.fail(N_("malformed braces (a '{open}' is not closed); write "
                                       "{open}{open} or {close}{close} for a literal brace"),
                                    open="{", close="}")
                name = text[self.at + 1:end]
                if not _NAME.fullmatch(name):
                    raise self.fail(N_("unknown placeholder {{{name}}}"), name=name)
                pieces += ["".join(literal), _Field(name)]
                literal = []
                self.at = end + 1
            elif ch == "}":
                raise self.fail(N_("malformed braces (a '{close}' without its '{open}'); "
                                   "write {close}{close} for a literal brace"),
                                open="{", close="}")
            elif ch == "[":
                self.at += 1
                pieces += ["".join(literal), self.choice()]
                literal = []
            elif nested and ch in "|]":
                pieces.append("".join(literal))
                return tuple(p for p in pieces if p != ""), ch
            elif ch == "]":
                raise self.fail(N_("a ']' closes no '['; write \\] for a literal bracket"))
            else:
                literal.append(ch)
                self.at += 1
        if nested:
            raise self.fail(N_("a '[' is not closed with ']'"))
        pieces.append("".join(literal))
        return tuple(p for p in pieces if p != ""), ""

    def choice(self) -> _Choice:
        alternatives = []
        while True:
            pieces, stop = self.sequence(nested=True)
            self.at += 1
            alternatives.append(pieces)
            if stop == "]":
                return _Choice(tuple(alternatives))


def parse(text: str, known: Collection[str]) -> tuple[_Piece, ...]:
    """The template's pieces; refuses unknown placeholders and unbalanced marks by name."""
    pieces, _ = _Parser(text).sequence(nested=False)
    for name in _names(pieces):
        if name not in known:
            raise ValidationError("template", N_("unknown placeholder {{{name}}}"), name=name)
    return pieces


def _names(pieces: tuple[_Piece, ...]) -> list[str]:
    out: list[str] = []
    for piece in pieces:
        if isinstance(piece, _Field):
            out.append(piece.name)
        elif isinstance(piece, _Choice):
            for alternative in piece.alternatives:
                out += _names(alternative)
    return out


def placeholders(text: str, known: Collection[str]) -> list[str]:
    return _names(parse(text, known))


def _render(pieces: tuple[_Piece, ...], values: Mapping[str, str]) -> tuple[str, bool]:
    """The text, and whether every placeholder directly in it had a value."""
    out: list[str] = []
    complete = True
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece)
        elif isinstance(piece, _Field):
            value = values.get(piece.name, "")
            complete = complete and bool(value.strip())
            out.append(value)
        else:
            for alternative in piece.alternatives:
                text, ok = _render(alternative, values)
                if ok:
                    out.append(text)
                    break
    return "".join(out), complete


def fill(text: str, values: Mapping[str, str]) -> str:
    """The template with its placeholders filled and its optional parts chosen."""
    return _render(parse(text, values.keys()), values)[0]

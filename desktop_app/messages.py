"""Sentences kept as a message and its values rather than as finished English, so that each
face says them in its own language: the window translates the message and writes each value
as its locale does, the CLI and the PDFs read the English the message makes.

``N_`` marks a message where it is written, so ``make messages`` finds it for the
catalogues; it knows nothing of Qt and changes nothing at run time."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


def N_(message: str) -> str:
    """Mark a message for the catalogues; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class Amount:
    """Money in a sentence: the exact amount and its currency."""

    value: Decimal
    currency: str


@dataclass(frozen=True)
class Word:
    """A word from a fixed list (a payment method, a status): translated where shown."""

    text: str


@dataclass(frozen=True)
class Field:
    """The field a refusal names ("date", "due-date"): named in the window's language where
    shown, as the refusal itself names it."""

    name: str


@dataclass(frozen=True)
class Way:
    """Where to do something, as each face offers it: the command line's command (its
    English) or the window's place ("Settings › Mail"), translated where shown."""

    command: str
    window: str


@dataclass(frozen=True)
class Said:
    """A clause that is itself a message, put inside another ("..., as {why}")."""

    message: str
    values: Mapping[str, Value]


# A Decimal is a number with its decimals as written ('300.00'): money whose currency the
# sentence does not name.
Value = str | int | Decimal | date | Amount | Word | Field | Way | Said


def english(value: Value) -> str:
    """A value as the English summaries always wrote it: '5000.00 EUR', '2026-11-23'."""
    if isinstance(value, Amount):
        return f"{value.value} {value.currency}"
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, Field):
        return value.name
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Word):
        return value.text
    if isinstance(value, Way):
        return value.command
    if isinstance(value, Said):
        return say(value.message, value.values)
    return str(value)


def say(message: str, values: Mapping[str, Value],
        write: Callable[[Value], str] = english) -> str:
    """The message with its values put in, each written by ``write``."""
    return message.format_map({name: write(value) for name, value in values.items()})


def dump(values: Mapping[str, Value]) -> str:
    """Values as JSON: amounts as plain decimal text with the currency, days in ISO form."""
    def one(value: Value) -> object:
        if isinstance(value, Amount):
            return {"amount": str(value.value), "currency": value.currency}
        if isinstance(value, date):
            return {"day": value.isoformat()}
        if isinstance(value, Decimal):
            return {"number": f"{value:f}"}
        if isinstance(value, Word):
            return {"word": value.text}
        if isinstance(value, Field):
            return {"field": value.name}
        if isinstance(value, Way):
            return {"command": value.command, "window": value.window}
        if isinstance(value, Said):
            return {"said": value.message,
                    "values": {name: one(inner) for name, inner in value.values.items()}}
        return value
    return json.dumps({name: one(value) for name, value in values.items()},
                      ensure_ascii=False, sort_keys=True)


def stored(message: str | None, params: str | None) -> Said | None:
    """A message and its values as a table keeps them; None where there is none, or its
    values cannot be read (then the English kept beside them is shown)."""
    if not message:
        return None
    try:
        return Said(message, load(params or ""))
    except (ValueError, KeyError, TypeError, ArithmeticError):
        return None


def load(text: str) -> dict[str, Value]:
    """What ``dump`` wrote; empty text is no values."""
    def one(value: object) -> Value:
        if isinstance(value, dict):
            if "amount" in value:
                return Amount(Decimal(str(value["amount"])), str(value["currency"]))
            if "day" in value:
                return date.fromisoformat(str(value["day"]))
            if "number" in value:
                return Decimal(str(value["number"]))
            if "field" in value:
                return Field(str(value["field"]))
            if "command" in value:
                return Way(str(value["command"]), str(value["window"]))
            if "said" in value:
                inner = value.get("values") or {}
                return Said(str(value["said"]), {str(k): one(v) for k, v in inner.items()})
            return Word(str(value["word"]))
        if isinstance(value, bool) or not isinstance(value, int | str):
            return str(value)
        return value
    raw = json.loads(text) if text else {}
    return {str(name): one(value) for name, value in raw.items()}

"""CSV exports, read through a profile per bank: which columns hold what, how dates and
amounts are written, which sign money in has, and the file's encoding.

Banks write these for spreadsheets, not for programs: a few lines about the account before
the header, German amounts with a decimal comma in Windows-1252 with ``;``, US ones with a
point, sometimes money in and out in two columns or a debit/credit mark beside the amount.
The header row is found by the profile's column names, wherever it starts.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from desktop_app.bank.model import BankLine, Statement, compact_account, one_line, refuse
from desktop_app.domain.errors import ValidationError
from desktop_app.messages import N_, Said

SIGNS = ("signed", "inverted", "split", "indicator")
DELIMITERS = (";", ",", "\t", "|")
HEADER_SEARCH_ROWS = 40
# A column the sign needs, refused by name: one whole sentence each, for the translators.
_COLUMN_NEEDED = {
    "amount": N_("name the column of the amount (sign '{sign}' needs it)"),
    "credit": N_("name the column of the credit (sign '{sign}' needs it)"),
    "debit": N_("name the column of the debit (sign '{sign}' needs it)"),
    "indicator": N_("name the column of the indicator (sign '{sign}' needs it)"),
}


@dataclass(frozen=True)
class CsvProfile:
    """How one bank writes its CSV. ``sign``: ``signed`` (money in positive), ``inverted``
    (money out positive), ``split`` (``credit`` and ``debit`` columns), ``indicator``
    (``indicator`` column; ``credit_marks`` say money in)."""

    name: str
    date: str  # column of the booking day
    amount: str = ""  # column of the amount (signs signed, inverted, indicator)
    date_format: str = "%d.%m.%Y"
    decimal: str = ","
    delimiter: str = ";"
    encoding: str = "cp1252"
    sign: str = "signed"
    value_date: str = ""
    credit: str = ""
    debit: str = ""
    indicator: str = ""
    credit_marks: tuple[str, ...] = ("H", "CR", "C", "CREDIT", "HABEN")
    currency: str = ""  # column of the currency; none: the books' currency
    counterparty: str = ""
    counterparty_account: str = ""
    remittance: tuple[str, ...] = ()  # columns joined into the remittance text
    reference: str = ""  # column of the bank's own id of the movement
    builtin: bool = field(default=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("remittance", "credit_marks"):
            value = getattr(self, name)
            object.__setattr__(self, name, tuple(value) if not isinstance(value, str)
                               else (value,))
        self.check()

    def check(self) -> None:
        if not self.name.strip():
            raise ValidationError("name", N_("a profile needs a name"))
        if not self.date.strip():
            raise ValidationError("date", N_("name the column that holds the booking day"))
        if self.sign not in SIGNS:
            raise ValidationError("sign", N_("'{sign}' is not one of {signs}"), sign=self.sign,
                                  signs=", ".join(SIGNS))
        needed = {"split": ("credit", "debit"), "indicator": ("amount", "indicator")}.get(
            self.sign, ("amount",))
        for name in needed:
            if not getattr(self, name).strip():
                raise ValidationError(name, _COLUMN_NEEDED[name], sign=self.sign)
        if self.decimal not in (",", "."):
            raise ValidationError("decimal", N_("is ',' or '.'"))
        if self.delimiter not in DELIMITERS:
            raise ValidationError("delimiter", N_("is one of ; , tab |"))
        try:
            "x".encode(self.encoding)
        except LookupError:
            raise ValidationError("encoding", N_("'{encoding}' is not an encoding"),
                                  encoding=self.encoding) from None
        try:
            datetime.strptime(date(2026, 1, 31).strftime(self.date_format), self.date_format)
        except ValueError:
            raise ValidationError("date_format", N_("'{format}' is not a date format such as "
                                                    "%d.%m.%Y"), format=self.date_format
                                  ) from None

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the profile names (the header must have them all)."""
        named = (self.date, self.amount, self.value_date, self.credit, self.debit,
                 self.indicator, self.currency, self.counterparty, self.counterparty_account,
                 self.reference, *self.remittance)
        return tuple(dict.fromkeys(c for c in named if c))

    def to_dict(self) -> dict[str, Any]:
        body = asdict(self)
        body.pop("builtin")
        return body

    @classmethod
    def from_dict(cls, body: dict[str, Any]) -> CsvProfile:
        known = {f.name for f in fields(cls)} - {"builtin"}
        unknown = set(body) - known
        if unknown:
            raise ValidationError(sorted(unknown)[0], N_("is not a setting of a CSV profile"))
        try:
            return cls(**body)
        except TypeError as exc:
            raise ValidationError("profile", str(exc)) from None


# Two common layouts to start from; a user's own profiles sit beside them in the books.
BUILTIN = {
    p.name: p for p in (
        # The "CSV-CAMT" export of German savings banks: ;, Windows-1252, dd.mm.yy.
        CsvProfile(name="de-csv-camt", date="Buchungstag", value_date="Valutadatum",
                   amount="Betrag", currency="Waehrung", date_format="%d.%m.%y",
                   counterparty="Beguenstigter/Zahlungspflichtiger",
                   counterparty_account="Kontonummer/IBAN",
                   remittance=("Verwendungszweck",), builtin=True),
        # A US checking account export: comma, UTF-8, MM/DD/YYYY, money out negative.
        CsvProfile(name="us-checking", date="Posting Date", amount="Amount",
                   date_format="%m/%d/%Y", decimal=".", delimiter=",", encoding="utf-8-sig",
                   remittance=("Description",), builtin=True),
    )
}


def _amount(text: str, profile: CsvProfile, where: Said) -> Decimal:
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    for symbol in ("€", "$", "EUR", "USD"):
        cleaned = cleaned.replace(symbol, "")
    negative = cleaned.startswith("(") and cleaned.endswith(")")  # US accounting style
    cleaned = cleaned.strip("()")
    thousands = "." if profile.decimal == "," else ","
    cleaned = cleaned.replace(thousands, "").replace(profile.decimal, ".")
    if cleaned.endswith("-"):  # 1.234,56- as some German banks write debits
        cleaned, negative = cleaned[:-1], True
    if not re.fullmatch(r"[+-]?\d+(\.\d+)?", cleaned):
        raise refuse(where, N_("'{text}' is not an amount (decimal '{decimal}')"), text=text,
                     decimal=profile.decimal)
    try:
        value = Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise refuse(where, N_("'{text}' is not an amount"), text=text) from None
    return -value if negative else value


def _day(text: str, profile: CsvProfile, where: Said) -> date:
    try:
        return datetime.strptime(text.strip(), profile.date_format).date()
    except ValueError:
        raise refuse(where, N_("'{text}' is not a date written as {format}"), text=text,
                     format=profile.date_format) from None


def decode(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise refuse(_at_line(name, line), N_("is not {encoding} text; choose the file's "
                                              "encoding in the profile"),
                     encoding=encoding) from None


def _at_line(name: str, number: int) -> Said:
    """Where in the file: its name and the line."""
    return Said(N_("{name} line {line}"), {"name": name, "line": str(number)})


def _header_row(rows: list[list[str]], profile: CsvProfile, name: str) -> int:
    wanted = set(profile.columns)
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if wanted <= {cell.strip() for cell in row}:
            return index
    missing = wanted - {c.strip() for r in rows[:HEADER_SEARCH_ROWS] for c in r}
    if not missing:
        raise refuse(name, N_("has no header row with the columns of profile '{profile}' "
                              "(missing: all on one row)"), profile=profile.name)
    raise refuse(name, N_("has no header row with the columns of profile '{profile}' "
                          "(missing: {missing})"),
                 profile=profile.name, missing=", ".join(sorted(missing)))


def read_csv(data: bytes, name: str, profile: CsvProfile) -> Statement:
    text = decode(data, profile.encoding, name).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=profile.delimiter))
    start = _header_row(rows, profile, name)
    header = {cell.strip(): i for i, cell in enumerate(rows[start])}
    lines = []
    for number, row in enumerate(rows[start + 1:], start + 2):
        if not any(cell.strip() for cell in row):
            continue
        where = _at_line(name, number)

        def cell(column: str, row: list[str] = row, where: Said = where) -> str:
            if not column:
                return ""
            index = header[column]
            if index >= len(row):
                raise refuse(where, N_("has no value in column '{column}'"), column=column)
            return row[index].strip()

        lines.append(_line(cell, profile, where))
    return Statement("csv", tuple(lines))


def _signed(cell: Any, profile: CsvProfile, where: Said) -> Decimal:
    if profile.sign == "split":
        credit, debit = cell(profile.credit), cell(profile.debit)
        money_in = _amount(credit, profile, where) if credit else Decimal(0)
        money_out = _amount(debit, profile, where) if debit else Decimal(0)
        return abs(money_in) - abs(money_out)
    amount = _amount(cell(profile.amount), profile, where)
    if profile.sign == "inverted":
        return -amount
    if profile.sign == "indicator":
        mark = cell(profile.indicator).upper()
        return abs(amount) if mark in {m.upper() for m in profile.credit_marks} else \
            -abs(amount)
    return amount


def _line(cell: Any, profile: CsvProfile, where: Said) -> BankLine:
    booked = _day(cell(profile.date), profile, where)
    value_text = cell(profile.value_date)
    return BankLine(
        booked_on=booked, value_on=_day(value_text, profile, where) if value_text else booked,
        amount=_signed(cell, profile, where), currency=cell(profile.currency).upper(),
        counterparty=one_line(cell(profile.counterparty))[:200],
        counterparty_account=compact_account(cell(profile.counterparty_account)),
        remittance=one_line(*(cell(c) for c in profile.remittance)),
        bank_reference=cell(profile.reference)[:100],
    )


# --- a first profile from a first file ------------------------------------------------------

DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%m/%d/%Y", "%d/%m/%Y", "%m/%d/%y")
_GUESSES = {  # a profile field and the words banks put in its column's name
    "date": ("buchungstag", "buchungsdatum", "posting date", "booking date", "date", "datum"),
    "value_date": ("valuta", "wertstellung", "value date"),
    "amount": ("betrag", "amount", "umsatz"),
    "currency": ("waehrung", "währung", "currency"),
    "counterparty": ("beguenstigter", "begünstigter", "zahlungspflichtiger", "auftraggeber",
                     "payee", "name"),
    "counterparty_account": ("iban", "kontonummer", "account"),
    "remittance": ("verwendungszweck", "description", "memo", "purpose", "text", "details"),
}


@dataclass(frozen=True)
class Sniffed:
    """What a CSV file shows of itself: enough to propose a profile."""

    encoding: str
    delimiter: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # the first rows under the header
    proposal: dict[str, Any]  # CsvProfile fields, without a name


def _encoding(data: bytes) -> str:
    try:
        data.decode("utf-8")
        return "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def sniff(data: bytes) -> Sniffed:
    """Encoding, delimiter, header row and a guess of which column is which."""
    encoding = _encoding(data)
    text = data[:65536].decode(encoding, errors="replace").lstrip("\ufeff")
    lines = [ln for ln in text.splitlines() if ln.strip()][:HEADER_SEARCH_ROWS]
    delimiter = max(DELIMITERS, key=lambda d: sum(ln.count(d) for ln in lines[-10:]) if
                    lines else 0)
    rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
    width = max((len(r) for r in rows), default=0)
    start = next((i for i, r in enumerate(rows) if len([c for c in r if c.strip()]) >= min(
        3, width) and not any(re.search(r"\d[.,]\d\d$", c) for c in r)), 0)
    header = tuple(c.strip() for c in rows[start]) if rows else ()
    sample = tuple(tuple(c.strip() for c in r) for r in rows[start + 1:start + 6])
    proposal: dict[str, Any] = {"encoding": encoding, "delimiter": delimiter}
    taken: set[str] = set()
    for name, words in _GUESSES.items():
        for word in words:
            column = next((h for h in header if word in h.lower() and h not in taken), None)
            if column:
                proposal[name] = (column,) if name == "remittance" else column
                taken.add(column)
                break
    dates = [r[header.index(proposal["date"])] for r in sample
             if "date" in proposal and header.index(proposal["date"]) < len(r)]
    proposal["date_format"] = next((f for f in DATE_FORMATS if dates and all(
        _parses(d, f) for d in dates)), "%d.%m.%Y")
    amounts = [r[header.index(proposal["amount"])] for r in sample
               if "amount" in proposal and header.index(proposal["amount"]) < len(r)]
    proposal["decimal"] = "," if any(re.search(r",\d{1,2}-?$", a) for a in amounts) else "."
    return Sniffed(encoding, delimiter, header, sample, proposal)


def _parses(text: str, fmt: str) -> bool:
    try:
        datetime.strptime(text.strip(), fmt)
    except ValueError:
        return False
    return True

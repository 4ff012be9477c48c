"""One door for every statement file: its format is told from its content, never from its
name, and a ZIP is opened in memory."""

from __future__ import annotations

from desktop_app.bank.camt import read_camt
from desktop_app.bank.csv_reader import CsvProfile, read_csv
from desktop_app.bank.model import Statement, refuse
from desktop_app.bank.mt940_reader import looks_like_mt940, read_mt940
from desktop_app.bank.ofx_reader import looks_like_ofx, read_ofx
from desktop_app.bank.safe import check_size, is_zip, zip_members

_BLANK = b"\xef\xbb\xbf \t\r\n"


def read_statement(data: bytes, name: str, profile: CsvProfile | None = None) -> Statement:
    """Every movement in the file (or in every file of a ZIP), in order; a file that cannot
    be read whole is refused with the place and the reason."""
    check_size(data, name)
    if not is_zip(data):
        return _read_one(data, name, profile)
    formats: list[str] = []
    lines = []
    for member, content in zip_members(data, name):
        statement = _read_one(content, f"{name} › {member}", profile)
        formats.append(statement.format)
        lines.extend(statement.lines)
    return Statement("+".join(dict.fromkeys(formats)), tuple(lines))


def _read_one(data: bytes, name: str, profile: CsvProfile | None) -> Statement:
    head = data.lstrip(_BLANK)[:4096]
    if looks_like_ofx(head):
        return read_ofx(data, name)
    if head.startswith(b"<"):
        return read_camt(data, name)
    if looks_like_mt940(head):
        return read_mt940(data, name)
    if profile is not None:
        return read_csv(data, name, profile)
    if not head:
        raise refuse(name, "is empty")
    raise refuse(name, "is not a camt, MT940 or OFX statement; for a CSV export choose the "
                       "bank's CSV profile")

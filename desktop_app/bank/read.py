"""One door for every statement file: its format is told from its content, never from its
name, and a ZIP is opened in memory. A format's reader loads when a file of it comes
(``ofxtools`` alone takes a third of a second to import)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop_app.bank.model import Statement, refuse
from desktop_app.bank.safe import check_size, is_zip, zip_members
from desktop_app.messages import N_

if TYPE_CHECKING:
    from desktop_app.bank.csv_reader import CsvProfile

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


def looks_like_ofx(head: bytes) -> bool:
    start = head[:4096].upper()
    return b"OFXHEADER" in start or b"<OFX>" in start


def looks_like_mt940(head: bytes) -> bool:
    start = head[:4096]
    return b":20:" in start and b":25:" in start


def _read_one(data: bytes, name: str, profile: CsvProfile | None) -> Statement:
    head = data.lstrip(_BLANK)[:4096]
    if looks_like_ofx(head):
        from desktop_app.bank.ofx_reader import read_ofx

        return read_ofx(data, name)
    if head.startswith(b"<"):
        from desktop_app.bank.camt import read_camt

        return read_camt(data, name)
    if looks_like_mt940(head):
        from desktop_app.bank.mt940_reader import read_mt940

        return read_mt940(data, name)
    if profile is not None:
        from desktop_app.bank.csv_reader import read_csv

        return read_csv(data, name, profile)
    if not head:
        raise refuse(name, N_("is empty"))
    raise refuse(name, N_("is not a camt, MT940 or OFX statement; for a CSV export choose "
                          "the bank's CSV profile"))

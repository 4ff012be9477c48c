"""Reading files from outside without trusting them: XML without a DTD (so without entities),
ZIPs with limits on size, compression ratio and member count, member names never used as
paths."""

from __future__ import annotations

import io
import zipfile
from xml.etree.ElementTree import Element, ParseError, fromstring
from xml.parsers import expat

from desktop_app.bank.model import refuse
from desktop_app.domain.errors import ValidationError
from desktop_app.messages import N_

MAX_FILE_BYTES = 64 * 1024 * 1024  # a month of a busy account is a few MB
MAX_MEMBERS = 1000  # statements in one ZIP: a year of days is 366
MAX_RATIO = 100  # XML compresses 10-20 times; a bomb 1000 times and more
ZIP_MAGIC = b"PK\x03\x04"
_CHUNK = 1024 * 1024


def check_size(data: bytes, name: str) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise refuse(name, N_("is larger than {size} MB; a bank statement is far smaller"),
                     size=MAX_FILE_BYTES // (1024 * 1024))


def is_zip(data: bytes) -> bool:
    return data[:4] == ZIP_MAGIC


def zip_members(data: bytes, name: str) -> list[tuple[str, bytes]]:
    """The files inside a ZIP, in order, as (name, bytes); folders and nested paths are only
    names here, never places on disk. Limits are checked on what is actually inflated, not
    on what the ZIP's directory claims."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise refuse(name, N_("is not a ZIP file that can be read ({error})"),
                     error=str(exc)) from None
    if len(infos) > MAX_MEMBERS:
        raise refuse(name, N_("holds {count} files; at most {limit} are read"),
                     count=len(infos), limit=MAX_MEMBERS)
    if not infos:
        raise refuse(name, N_("is an empty ZIP file"))
    total = 0
    members = []
    for info in infos:
        label = f"{name} › {info.filename}"
        if info.flag_bits & 0x1:
            raise refuse(label, N_("is encrypted; export the statement without a password"))
        if info.file_size > MAX_FILE_BYTES or (
                info.compress_size and info.file_size / info.compress_size > MAX_RATIO):
            raise refuse(label, N_("inflates far beyond a statement's size (a ZIP bomb?)"))
        out = bytearray()
        try:
            with archive.open(info) as member:
                while chunk := member.read(_CHUNK):
                    out += chunk
                    total += len(chunk)
                    if total > MAX_FILE_BYTES or len(out) > MAX_RATIO * max(
                            info.compress_size, 1):
                        raise refuse(label, N_("inflates far beyond a statement's size "
                                               "(a ZIP bomb?)"))
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError,
                ValueError) as exc:
            raise refuse(label, N_("cannot be unpacked ({error})"), error=str(exc)) from None
        if is_zip(bytes(out[:4])):
            raise refuse(label, N_("is a ZIP inside the ZIP; unpack it first"))
        members.append((info.filename, bytes(out)))
    return members


def parse_xml(data: bytes, name: str) -> Element:
    """The document's root; a DTD, and with it any entity or external reference, is refused
    outright. Expat reads the document once with no handler but one for a DTD; without a DTD
    a document can declare no entity and name nothing outside itself, and ElementTree's own
    parser (in C) builds the tree. (defusedxml's parser watched for the same in Python at
    every element: a month's statement took three times as long.)"""
    _refuse_dtd(data, name)
    try:
        return fromstring(data)
    except ParseError as exc:
        raise _not_well_formed(name, *exc.position) from None


class _DtdFound(Exception):
    pass


def _dtd_found(*_declaration: object) -> None:
    raise _DtdFound


def _refuse_dtd(data: bytes, name: str) -> None:
    scan = expat.ParserCreate()
    scan.StartDoctypeDeclHandler = _dtd_found
    try:
        scan.Parse(data, True)
    except _DtdFound:
        raise refuse(name, N_("declares a DTD or entities, which a bank statement never "
                              "does; it was not read")) from None
    except expat.ExpatError as exc:
        raise _not_well_formed(name, exc.lineno, exc.offset) from None


def _not_well_formed(name: str, line: int, column: int) -> ValidationError:
    return refuse(name, N_("is not well-formed XML at line {line}, column {column}"),
                  line=str(line), column=str(column + 1))

"""The readers on their own: every camt version and message, MT940's subfields, OFX, CSV
profiles; and files from outside that try to hurt (XXE, billion laughs, a ZIP bomb), each
refused within a second without reading what they point at."""

from __future__ import annotations

import io
import time
import zipfile
from datetime import date
from decimal import Decimal

import pytest

from desktop_app.bank.csv_reader import BUILTIN, CsvProfile
from desktop_app.bank.read import read_statement
from desktop_app.bank.safe import MAX_MEMBERS
from desktop_app.domain.errors import ValidationError
from tests.support import statements as files
from tests.support.statements import Transfer

DAY = date(2026, 11, 20)
ROWS = [Transfer("1130.50", DAY, text="Rechnung INV-2026-0001", ref="RF18539007547034"),
        Transfer("-50.00", DAY, name="Vermieter", text="Miete")]


@pytest.mark.parametrize("kind", ["052", "053", "054"])
@pytest.mark.parametrize("version", [2, 4, 8])
def test_every_camt_message_and_version_reads_alike(kind, version):
    statement = read_statement(files.camt(ROWS, kind=kind, version=version), "s.xml")
    assert statement.format == f"camt.{kind}"
    paid, rent = statement.lines
    assert (paid.amount, paid.currency, paid.counterparty, paid.counterparty_account) == (
        Decimal("1130.50"), "EUR", "Müller & Söhne GmbH", files.PAYER_IBAN)
    assert (paid.creditor_reference, paid.remittance) == ("RF18539007547034",
                                                          "Rechnung INV-2026-0001")
    assert paid.account == files.OUR_IBAN and paid.bank_reference
    assert (rent.amount, rent.counterparty) == (Decimal("-50.00"), "Vermieter")


def test_camt_is_read_by_element_names_whatever_the_namespace():
    plain = read_statement(files.camt(ROWS, namespace=False), "s.xml")
    other = files.camt(ROWS).replace(b"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08",
                                     b"urn:example:bank:camt")
    assert plain.lines == read_statement(other, "s.xml").lines


def test_a_batch_booking_gives_one_movement_per_transfer_and_must_add_up():
    batch = Transfer("0", DAY, batch=(Transfer("100.00", DAY, text="A"),
                                      Transfer("200.00", DAY, text="B")))
    lines = read_statement(files.camt([batch]), "s.xml").lines
    assert [(ln.amount, ln.remittance) for ln in lines] == [(Decimal("100.00"), "A"),
                                                            (Decimal("200.00"), "B")]
    assert lines[0].bank_reference != lines[1].bank_reference
    bad = files.camt([batch]).replace(b">300.00<", b">301.00<")
    with pytest.raises(ValidationError, match=r"add up to 300\.00, not to the entry.s 301\.00"):
        read_statement(bad, "s.xml")


def test_a_pending_entry_waits_for_the_statement_that_books_it():
    data = files.camt(ROWS).replace(b"<Sts><Cd>BOOK</Cd></Sts>", b"<Sts><Cd>PDNG</Cd></Sts>",
                                    1)
    assert len(read_statement(data, "s.xml").lines) == 1


def test_returns_and_reversals_are_marked():
    back = read_statement(files.camt([Transfer("99.00", DAY, returned=True)]), "s.xml")
    assert back.lines[0].returned
    reversed_ = read_statement(files.mt940([Transfer("-99.00", DAY, returned=True)]), "s")
    assert reversed_.lines[0].returned


def test_mt940_joins_the_purpose_from_its_subfields():
    text = "Rechnungen INV-2026-0001 und INV-2026-0002, Kundennummer 4711, vielen Dank"
    [line] = read_statement(files.mt940([Transfer("10.00", DAY, text=text)]), "s.sta").lines
    assert line.remittance.replace(" ", "") == text.replace(" ", "")
    assert "INV-2026-0001" in line.remittance and "4711" in line.remittance
    assert (line.counterparty, line.counterparty_account) == ("Müller & Söhne GmbH",
                                                              files.PAYER_IBAN)


def test_ofx_transactions():
    [money_in, money_out] = read_statement(files.ofx(ROWS), "s.ofx").lines
    assert (money_in.amount, money_in.currency, money_in.remittance) == (
        Decimal("1130.50"), "USD", "Rechnung INV-2026-0001")
    assert money_out.amount == Decimal("-50.00") and money_in.bank_reference


def test_csv_profiles_read_german_and_us_exports():
    de = read_statement(files.csv_de(ROWS), "u.csv", BUILTIN["de-csv-camt"]).lines
    assert [ln.amount for ln in de] == [Decimal("1130.50"), Decimal("-50.00")]
    assert de[0].counterparty == "Müller & Söhne GmbH" and de[0].booked_on == DAY
    us = read_statement(files.csv_us(ROWS), "u.csv", BUILTIN["us-checking"]).lines
    assert [ln.amount for ln in us] == [Decimal("1130.50"), Decimal("-50.00")]


def test_a_csv_profile_with_split_columns_a_preamble_and_a_mark():
    data = ("Kontoauszug;;;;\nKonto;DE89 3704 0044 0532 0130 00;;;\n;;;;\n"
            "Datum;Text;Soll;Haben;S/H\n"
            "20.11.2026;RE INV-2026-0001;;1.130,50;H\n"
            "21.11.2026;Miete;1.200,00;;S\n").encode("cp1252")
    split = CsvProfile(name="bank-x", date="Datum", credit="Haben", debit="Soll",
                       sign="split", remittance=("Text",))
    assert [ln.amount for ln in read_statement(data, "x.csv", split).lines] == [
        Decimal("1130.50"), Decimal("-1200.00")]
    marked = CsvProfile(name="bank-y", date="Datum", amount="Haben", indicator="S/H",
                        sign="indicator", remittance=("Text",))
    with pytest.raises(ValidationError, match=r"x.csv line 6: '' is not an amount"):
        read_statement(data, "x.csv", marked)


def test_a_bad_csv_line_is_named():
    data = files.csv_de(ROWS).replace(b"20.11.26", b"31.02.26", 1)
    with pytest.raises(ValidationError, match=r"u.csv line 2: '31.02.26' is not a date"):
        read_statement(data, "u.csv", BUILTIN["de-csv-camt"])


def test_a_profile_is_checked_when_made():
    with pytest.raises(ValidationError, match="credit"):
        CsvProfile(name="x", date="Datum", sign="split", debit="Soll")
    with pytest.raises(ValidationError, match="encoding"):
        CsvProfile(name="x", date="Datum", amount="Betrag", encoding="klingon")
    with pytest.raises(ValidationError, match="colour"):
        CsvProfile.from_dict({"name": "x", "date": "D", "amount": "A", "colour": "red"})


# --- files that try to hurt ------------------------------------------------------------------

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Document><BkToCstmrStmt><Stmt><Ntry><Amt Ccy="EUR">1.00</Amt><AddtlNtryInf>&secret;
</AddtlNtryInf></Ntry></Stmt></BkToCstmrStmt></Document>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol">""" + b"".join(
    f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
    for i in range(1, 10)) + b"""]>
<Document><BkToCstmrStmt><Stmt><Ntry><AddtlNtryInf>&lol9;</AddtlNtryInf></Ntry></Stmt>
</BkToCstmrStmt></Document>"""


def bomb() -> bytes:
    """Two hundred MB of zeros in a ZIP of a few hundred kB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive, \
            archive.open("statement.xml", "w") as member:
        zeros = b"\0" * (1024 * 1024)
        for _ in range(200):
            member.write(zeros)
    return out.getvalue()


def lying_bomb() -> bytes:
    """A bomb whose directory claims a small, harmless size: inflating stops there."""
    data = bytearray(bomb())
    # The central directory's uncompressed size is rewritten to look innocent; the reader
    # counts what actually comes out instead.
    for header in (b"PK\x01\x02",):
        at = data.find(header)
        while at != -1:
            data[at + 24:at + 28] = (1000).to_bytes(4, "little")
            at = data.find(header, at + 1)
    return bytes(data)


@pytest.mark.parametrize("name,data,why", [
    ("xxe.xml", XXE, "DTD or entities"),
    ("laughs.xml", LAUGHS, "DTD or entities"),
    ("bomb.zip", bomb(), "ZIP bomb"),
    ("lying-bomb.zip", lying_bomb(), "statement.xml"),
])
def test_hostile_files_are_refused_quickly(name, data, why):
    started = time.monotonic()
    with pytest.raises(ValidationError, match=why):
        read_statement(data, name)
    assert time.monotonic() - started < 1.0


def test_a_zip_of_too_many_files_or_a_zip_inside_a_zip_is_refused():
    many = files.zipped({f"{i}.xml": b"<a/>" for i in range(MAX_MEMBERS + 1)})
    with pytest.raises(ValidationError, match="at most 1000"):
        read_statement(many, "many.zip")
    nested = files.zipped({"inner.zip": files.zipped({"a.xml": files.camt(ROWS)})})
    with pytest.raises(ValidationError, match="ZIP inside the ZIP"):
        read_statement(nested, "nested.zip")


def test_a_member_name_is_only_a_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = files.zipped({"../../escape.xml": files.camt(ROWS), "/abs/x.xml": files.camt(ROWS)})
    assert len(read_statement(data, "s.zip").lines) == 4
    assert list(tmp_path.rglob("*")) == [] and not (tmp_path.parent / "escape.xml").exists()


def test_files_that_are_no_statement_are_named_as_such():
    with pytest.raises(ValidationError, match="not a camt, MT940 or OFX statement"):
        read_statement(b"hello", "notes.txt")
    with pytest.raises(ValidationError, match=r"not a camt\.052, camt\.053 or camt\.054"):
        read_statement(b"<html><body/></html>", "page.html")
    with pytest.raises(ValidationError, match="is empty"):
        read_statement(b"", "empty.xml")

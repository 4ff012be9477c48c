"""The SEPA QR code on a printed invoice, read back by a real decoder (zbarimg) from the
pages rendered at a modest resolution (100 dpi)."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from desktop_app.documents import render_invoice
from desktop_app.documents.samples import sample_company, sample_invoice


def read_code(pdf: bytes, folder: Path) -> str:
    source = folder / "invoice.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "100", "-png", str(source), str(folder / "page")],
                   check=True)
    pages = sorted(str(page) for page in folder.glob("page*.png"))
    # -Sbinary: the bytes as encoded; a banking app decodes them as the payload's third line
    # says (1: UTF-8), where zbar would guess a character set from the bytes.
    found = subprocess.run(["zbarimg", "--quiet", "-Sdisable", "-Sqrcode.enable", "-Sbinary",
                            *pages], capture_output=True, check=False)
    assert found.returncode in (0, 4), found.stderr  # 4: a page without a code
    return found.stdout.decode("utf-8")  # an invoice carries at most one code


@pytest.mark.parametrize("holder", ["Nordlicht Tischlerei GmbH", "Müller & Söhne Tischlerei",
                                    "北京木工坊有限公司 Beijing Woodworks Holding Europe"])
def test_the_printed_code_reads_back_as_the_transfer(tmp_path, holder):
    base = sample_invoice()
    company = replace(base.company, bank=replace(base.company.bank, account_holder=holder))
    payload = read_code(render_invoice(replace(base, company=company)), tmp_path)
    lines = payload.split("\n")
    assert lines[:7] == ["BCD", "002", "1", "SCT", "COBADEFFXXX", holder,
                         "DE89370400440532013000"]
    first = base.installments[0].amount_minor  # the first installment is asked for first
    assert lines[7] == f"EUR{first // 100}.{first % 100:02d}"
    assert base.number in payload


def test_no_code_without_an_iban(tmp_path):
    base = sample_invoice()
    company = replace(base.company, bank=replace(sample_company().bank, iban=""))
    assert read_code(render_invoice(replace(base, company=company)), tmp_path) == ""

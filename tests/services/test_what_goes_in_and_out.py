"""Text that comes in is one clean line where it must be; text that goes out to a
spreadsheet cannot run there; a logo is never read whole to be refused."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from desktop_app.domain.errors import ValidationError
from desktop_app.services import company, customers, invoices, reports, terms
from tests.support.books import draft

EVIL = '=HYPERLINK("http://evil.example/","Click")'


@pytest.mark.parametrize("name", [EVIL, "+1 555 0100 Ltd", "-Minus GmbH", "@Home AG"])
def test_aging_csv_keeps_formula_like_names_as_text(ready, name):
    customer = customers.add_customer(ready, credit_granted=True, name=name).id
    inv = draft(ready, "Work|1|100.00|0", customer_id=customer)
    invoices.issue_invoice(ready, inv, date(2026, 9, 1))
    rows = list(csv.reader(io.StringIO(reports.aging_csv(reports.aging(ready,
                                                                       date(2026, 11, 22))))))
    [row] = [r for r in rows if r[0].endswith(name)]
    assert row[0] == "'" + name
    assert row[-1] == "100.00"


def test_negative_amounts_stay_numbers_in_a_csv():
    assert reports.csv_cell(Decimal("-5.00")) == Decimal("-5.00")
    assert reports.csv_cell("-5.00 credit") == "'-5.00 credit"
    # A book from before names were checked may hold these at the start of a name.
    assert reports.csv_cell("\t=1+1") == "'\t=1+1"
    assert reports.csv_cell("\r=1+1") == "'\r=1+1"


@pytest.mark.parametrize(("field", "value"), [
    ("name", "Acme\r\nBcc: someone@evil.example"),
    ("name", "Acme\x00"),
    ("phone", "+49 30\n123"),
])
def test_control_characters_in_one_line_fields_are_refused(ready, field, value):
    data = {"name": "Acme", field: value}
    with pytest.raises(ValidationError) as refused:
        customers.add_customer(ready, **data)
    assert refused.value.field == field
    assert "must not contain" in refused.value.message
    assert [c.name for c in customers.list_customers(ready)] == ["Müller & <Söhne>"]


def test_addresses_and_notes_keep_their_lines(ready):
    view = customers.add_customer(ready, credit_granted=True,
                                  name="Acme", address="1 Quay\r\nBristol",
                                  notes="Pays late.\nCall Jo.")
    assert view.address == "1 Quay\nBristol"


def test_contact_names_and_terms_names_are_one_line(ready):
    with pytest.raises(ValidationError, match="contact 1 name"):
        customers.add_customer(ready, name="Acme", contacts=["billing:Jo\nX:jo@a.example"])
    with pytest.raises(ValidationError) as refused:
        terms.add_terms(ready, "Net\r30", net_days=30)
    assert refused.value.field == "name"


@pytest.mark.timeout(60)  # /dev/zero never ends: a whole read would fill the memory
def test_a_huge_logo_is_refused_without_reading_it_all(ready, tmp_path):
    with pytest.raises(ValidationError, match="not an image file"):
        company.set_company(ready, logo="/dev/zero")
    big = tmp_path / "logo.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 3_000_000)
    with pytest.raises(ValidationError, match="larger than 2 MB"):
        company.set_company(ready, logo=str(big))

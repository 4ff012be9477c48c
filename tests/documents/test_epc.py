from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.documents.epc import creditor_reference_valid, epc_payload, iban_valid
from desktop_app.domain.errors import ValidationError

IBAN = "DE89 3704 0044 0532 0130 00"


def test_payload_follows_epc069_12():
    payload = epc_payload(name="Nordlicht Tischlerei GmbH", iban=IBAN, bic="COBADEFFXXX",
                          amount_minor=431064, reference="Invoice 2025-0042")
    assert payload.split("\n") == ["BCD", "002", "1", "SCT", "COBADEFFXXX",
                                   "Nordlicht Tischlerei GmbH", "DE89370400440532013000",
                                   "EUR4310.64", "", "", "Invoice 2025-0042"]
    assert len(payload.encode()) <= 331


def test_creditor_reference_goes_to_the_structured_field():
    payload = epc_payload(name="A", iban=IBAN, amount_minor=100, reference="RF18 5390 0754 7034")
    lines = payload.split("\n")
    assert lines[4] == "" and lines[9] == "RF18539007547034" and len(lines) == 10


@pytest.mark.parametrize("kwargs,field", [
    ({"iban": "DE00 3704 0044 0532 0130 00"}, "iban"),
    ({"amount_minor": 0}, "amount"),
    ({"bic": "NOT A BIC"}, "bic"),
    ({"name": "  "}, "account holder"),
])
def test_bad_input_is_refused_naming_the_field(kwargs, field):
    args = {"name": "A", "iban": IBAN, "amount_minor": 100, "reference": "x"} | kwargs
    with pytest.raises(ValidationError) as err:
        epc_payload(**args)
    assert err.value.field == field


@given(st.integers(min_value=1, max_value=99_999_999_999))
def test_amount_is_exact_with_two_decimals(minor):
    line = epc_payload(name="A", iban=IBAN, amount_minor=minor, reference="r").split("\n")[7]
    euros, cents = line.removeprefix("EUR").split(".")
    assert int(euros) * 100 + int(cents) == minor and len(cents) == 2


def test_check_digit_validators():
    assert iban_valid(IBAN) and not iban_valid("DE89 3704 0044 0532 0130 01")
    assert creditor_reference_valid("RF18539007547034")
    assert not creditor_reference_valid("RF19539007547034")

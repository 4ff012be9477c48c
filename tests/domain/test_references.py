"""ISO 11649 creditor references: built for invoices, found again in what banks pass on."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain import references

BODY = st.text(string.ascii_uppercase + string.digits, min_size=1, max_size=21)


def test_the_standards_example_checks_and_a_typo_does_not():
    assert references.build("539007547034") == "RF18539007547034"
    assert references.is_reference("RF18 5390 0754 7034")
    assert not references.is_reference("RF18 5390 0754 7043")  # two digits swapped
    assert references.grouped("RF18539007547034") == "RF18 5390 0754 7034"


def test_an_invoice_number_shows_in_its_reference():
    ref = references.invoice_reference("INV-2026-0042", 42)
    assert ref.endswith("INV20260042") and references.is_reference(ref)


def test_a_number_too_long_or_taken_falls_back_to_the_id():
    long = references.invoice_reference("LINDENHOF-RECHNUNG-2026-000042", 42)
    assert long == references.build("42")
    first = references.invoice_reference("INV-2026-1", 7)
    assert references.invoice_reference("INV2026-1", 8, frozenset({first})) == \
        references.build("8")
    assert references.invoice_reference("8", 9, frozenset({references.build("8"),
                                                            references.build("9")})) == \
        references.build("9X1")


def test_a_number_in_another_script_keeps_its_latin_letters_and_digits():
    assert references.invoice_reference("发票-2026-0001", 3) == references.build("20260001")


@given(BODY)
def test_every_reference_built_checks_and_is_found_however_it_is_written(body):
    ref = references.build(body)
    assert references.is_reference(ref)
    for written in (ref, references.grouped(ref), references.grouped(ref).lower()):
        assert ref in references.find_references(f"Zahlung {written} danke 4711")


def test_references_in_running_text_are_found_once_each():
    text = "RE RF18 5390 0754 7034 UND RF185390075470 34 XRF18539007547034"
    found = references.find_references(text)
    assert found.count("RF18539007547034") == 1
    assert all(references.is_reference(f) for f in found)


def test_text_without_a_valid_reference_gives_none():
    assert references.find_references("Rechnung INV-2026-0042, RF00 1234") == []


# References as banks and people send them, and what is near them: separators, lower case,
# look-alikes of the separators, other ASCII, letters and digits of other scripts.
WRITTEN = st.one_of(
    BODY.map(references.build).map(references.grouped),
    st.text(string.ascii_letters + string.digits + " -.,/:`'_#\t" + "–é٣ſK", max_size=30),
    st.from_regex(r"[Rr][Ff] ?\d\d[ A-Za-z0-9]{0,25}", fullmatch=True),
)


@given(WRITTEN)
def test_references_read_as_python_stdnum_reads_them(text):
    from stdnum import iso11649

    assert references.compact(text) == iso11649.compact(text)
    assert references.is_reference(text) == iso11649.is_valid(text)

"""Tax identities as users type them: an EU VAT ID checked by its digits, another country's
VAT or tax number kept as typed."""

from __future__ import annotations

import pytest

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.parties import check_vat_id


@pytest.mark.parametrize(("typed", "kept"), [
    ("DE 136 695 976", "DE136695976"),
    ("fr40303265045", "FR40303265045"),
    ("EL 094014201", "EL094014201"),
    # Outside the EU: kept as typed (before the fix, each raised from stdnum's compact).
    ("CHE-123.456.788 MWST", "CHE-123.456.788 MWST"),
    ("NO 987 654 325 MVA", "NO 987 654 325 MVA"),
    ("GB123456789", "GB123456789"),
    ("12-3456789", "12-3456789"),
])
def test_a_vat_id_is_checked_where_the_eu_defines_it_and_kept_elsewhere(typed, kept):
    assert check_vat_id(typed) == kept


def test_a_wrong_eu_vat_id_is_refused_with_the_field_named():
    with pytest.raises(ValidationError) as refused:
        check_vat_id("DE123456789")
    assert refused.value.field == "vat-id"

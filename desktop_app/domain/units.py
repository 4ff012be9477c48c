"""Units of measure of invoice lines: UN/ECE Recommendation 20 codes (BT-130), the ones a
small business invoices in. Documents print them in the reader's language."""

from __future__ import annotations

from desktop_app.domain.errors import ValidationError
from desktop_app.messages import N_

# Code -> English name; the documents' catalogues translate the short forms.
UNITS: dict[str, str] = {
    "C62": "piece",  # "one": the default unit of EN 16931 examples
    "H87": "piece",
    "SET": "set",
    "LS": "lump sum",
    "MIN": "minute",
    "HUR": "hour",
    "DAY": "day",
    "WEE": "week",
    "MON": "month",
    "ANN": "year",
    "KGM": "kilogram",
    "TNE": "tonne",
    "MTR": "metre",
    "KMT": "kilometre",
    "MTK": "square metre",
    "MTQ": "cubic metre",
    "LTR": "litre",
}
DEFAULT_UNIT = "C62"


def unit_code(value: str, field: str = "unit") -> str:
    """A Rec. 20 code PaidUp knows, upper case; empty means one piece (C62)."""
    code = value.strip().upper() or DEFAULT_UNIT
    if code not in UNITS:
        raise ValidationError(field, N_("'{value}' is not a unit code PaidUp knows; use one of "
                                        "{codes} (UN/ECE Rec. 20)"),
                              value=value, codes=", ".join(UNITS))
    return code

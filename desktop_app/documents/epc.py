"""The EPC069-12 "BCD" payload behind the SEPA credit-transfer QR code, and its drawing."""

from __future__ import annotations

import re

import segno
from reportlab.platypus import Flowable

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.money import format_plain
from desktop_app.domain.references import is_reference
from desktop_app.messages import N_

_DARK_RUN = re.compile(b"[^\x00]+")  # dark modules side by side in a row of the matrix
MAX_AMOUNT_MINOR = 99_999_999_999  # EUR 999,999,999.99, the standard's ceiling


def iban_valid(iban: str) -> bool:
    """ISO 13616 check digits (mod 97 == 1)."""
    compact = "".join(iban.split()).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", compact):
        return False
    digits = "".join(str(int(c, 36)) for c in compact[4:] + compact[:4])
    return int(digits) % 97 == 1


def creditor_reference_valid(reference: str) -> bool:
    """ISO 11649 structured creditor reference ('RF' + check digits + up to 21 characters)."""
    return is_reference("".join(reference.split()))


def epc_payload(*, name: str, iban: str, amount_minor: int, reference: str, bic: str = ""
                ) -> str:
    """The text a banking app reads: version 002, UTF-8, SEPA credit transfer, EUR.

    An ISO 11649 reference goes into the structured field, anything else into the
    unstructured remittance text (the standard allows one of the two, not both).
    """
    iban_compact = "".join(iban.split()).upper()
    if not iban_valid(iban_compact):
        raise ValidationError("iban", N_("'{iban}' is not a valid IBAN"), iban=iban)
    if not 1 <= amount_minor <= MAX_AMOUNT_MINOR:
        raise ValidationError("amount", N_("must be between 0.01 and 999999999.99 EUR"))
    beneficiary = " ".join(name.split())[:70]
    if not beneficiary:
        raise ValidationError("account holder", N_("must not be empty"))
    bic_compact = "".join(bic.split()).upper()
    if bic_compact and not re.fullmatch(r"[A-Z0-9]{8}([A-Z0-9]{3})?", bic_compact):
        raise ValidationError("bic", N_("'{bic}' is not a valid BIC"), bic=bic)
    text = " ".join(reference.split())
    structured = creditor_reference_valid(text)
    lines = [
        "BCD", "002", "1", "SCT", bic_compact, beneficiary, iban_compact,
        f"EUR{format_plain(amount_minor, 'EUR')}",
        "",  # purpose code: none
        "".join(text.split()).upper() if structured else "",
        "" if structured else text[:140],
    ]
    return "\n".join(lines).rstrip("\n")


# ISO 18004 lets the encoder pick any of the eight data masks; scoring all eight to find
# the one with the fewest penalty patterns was 25 ms of pure Python, more than half of an
# invoice's rendering. Any mask reads: tests/documents/test_qr_reads.py prints codes with
# this one and reads them back from the rendered page with a real decoder.
MASK = 4


class QrCode(Flowable):
    """A square QR code of ``size`` points, error correction level M as EPC069-12 asks.

    The symbol is encoded once (segno, several times faster than ReportLab's encoder) and
    its dark modules are painted as one filled path of horizontal runs: ReportLab's widget
    encoded the payload twice and built a shape object per module.
    """

    def __init__(self, payload: str, size: float) -> None:
        super().__init__()
        self.rows = segno.make_qr(payload, error="m", boost_error=False,
                                  encoding="utf-8", mask=MASK).matrix
        self.width = self.height = size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        module = self.width / len(self.rows)
        path = self.canv.beginPath()
        for y, row in enumerate(self.rows):
            top = self.height - (y + 1) * module
            for run in _DARK_RUN.finditer(bytes(row)):  # found in C, not module by module
                path.rect(run.start() * module, top, (run.end() - run.start()) * module,
                          module)
        self.canv.setFillColorRGB(0, 0, 0)
        self.canv.drawPath(path, stroke=0, fill=1)

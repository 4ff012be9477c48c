"""The ISO 11649 structured creditor reference ("RF" + two check digits + up to 21 letters or
digits) that PaidUp prints on every invoice and finds again in the bank's transfers.

A reference the bank carries in its structured field, or the customer typed into the
remittance text, names one invoice beyond doubt: its check digits catch a mistyped character.
``python-stdnum`` checks them and computes them (ISO 7064 MOD 97-10, as for an IBAN).
"""

from __future__ import annotations

import re
import string

from stdnum import iso11649
from stdnum.iso7064 import mod_97_10

MAX_BODY = 21  # characters after "RF" and the two check digits
# "RF" and two digits where a word starts, then letters and digits with the single spaces a
# person or a bank puts between groups of four (see find_references).
_START = re.compile(r"(?<![A-Z0-9])RF ?\d\d", re.IGNORECASE)
_RUN = re.compile(r"RF ?\d\d(?: ?[A-Z0-9]){1,21}", re.IGNORECASE)


# python-stdnum's reading of ASCII text, done by str.translate: its cleaning looks up every
# character in a table of Unicode look-alikes, which was most of a statement's matching.
_COMPACT = str.maketrans({**dict.fromkeys(" -.,/:"), "`": "'"})
_BASE10 = str.maketrans({letter: str(int(letter, 36)) for letter in string.ascii_uppercase})


def compact(reference: str) -> str:
    """Upper case, without the spaces, dots and dashes people write in."""
    if not reference.isascii():
        return iso11649.compact(reference)
    return reference.translate(_COMPACT).upper().strip()


def is_reference(text: str) -> bool:
    """``iso11649.is_valid``: "RF", two check digits and the body, MOD 97-10."""
    if not text.isascii():
        return iso11649.is_valid(text)
    number = compact(text)
    if not (5 <= len(number) <= 25 and number.startswith("RF") and number.isalnum()):
        return False
    return int((number[4:] + number[:4]).translate(_BASE10)) % 97 == 1


def build(body: str) -> str:
    """The reference for ``body`` (letters and digits, 1 to 21), compact."""
    body = compact(body)
    if not (1 <= len(body) <= MAX_BODY and body.isascii() and body.isalnum()):
        raise ValueError(f"'{body}' cannot be the body of a creditor reference")
    return f"RF{mod_97_10.calc_check_digits(body + 'RF')}{body}"


def grouped(reference: str) -> str:
    """In groups of four, as printed: ``RF18 5390 0754 7034``."""
    return iso11649.format(reference)


def invoice_reference(number: str, invoice_id: int, taken: frozenset[str] = frozenset()
                      ) -> str:
    """The reference of an invoice: its number when that fits (``INV-2026-0042`` becomes
    ``RF.. INV2 0260 042``, so a person still sees the number in it), else its id.

    ``taken`` holds references other invoices already have: a number that reads the same
    without its punctuation as an older one (after a change of number format) falls back
    to the id, which no other invoice has.
    """
    body = "".join(ch for ch in number.upper() if ch.isascii() and ch.isalnum())
    if body and len(body) <= MAX_BODY:
        reference = build(body)
        if reference not in taken:
            return reference
    reference = build(f"{invoice_id}")
    suffix = 0
    while reference in taken:  # only when a number looked like another invoice's id
        suffix += 1
        reference = build(f"{invoice_id}X{suffix}")
    return reference


def find_references(text: str) -> list[str]:
    """Valid creditor references written anywhere in ``text``, compact, once each.

    Spaces inside a reference are allowed (printed groups of four), so a run of groups may
    run on into the words after it ("RF18 5390 0754 7034 THANKS"): every reading of the run
    whose check digits hold is returned, longest first, and the caller keeps the one that
    names an invoice.
    """
    found: list[str] = []
    for start in _START.finditer(text):
        match = _RUN.match(text, start.start())
        if match is None:
            continue
        run = compact(match.group(0))
        for end in range(len(run), 4, -1):
            if run[:end] not in found and is_reference(run[:end]):
                found.append(run[:end])
    return found

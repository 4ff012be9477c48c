"""Invoice status is derived, never typed in: lifecycle plus what has been settled."""

from __future__ import annotations

from enum import StrEnum

from desktop_app.messages import N_, Word


class Lifecycle(StrEnum):
    """What the user did to the invoice; stored."""

    DRAFT = "draft"
    ISSUED = "issued"
    VOID = "void"


# An invoice's state as a refusal names it ("invoice 7 is void"): words the window translates.
_LIFECYCLE_WORDS: dict[str, str] = {Lifecycle.DRAFT: N_("draft"),
                                     Lifecycle.ISSUED: N_("issued"), Lifecycle.VOID: N_("void")}


def lifecycle_word(state: str) -> Word:
    return Word(_LIFECYCLE_WORDS.get(state, state))


class InvoiceStatus(StrEnum):
    """What the invoice is now; derived."""

    DRAFT = "draft"
    ISSUED = "issued"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    WRITTEN_OFF = "written_off"
    VOID = "void"


class InstallmentStatus(StrEnum):
    OPEN = "open"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    WRITTEN_OFF = "written_off"


def invoice_status(lifecycle: Lifecycle, total_minor: int, settled_minor: int,
                   written_off_minor: int = 0) -> InvoiceStatus:
    """settled = paid + discounts granted. What was written off is no longer open, but the
    invoice was not paid: it says so."""
    if lifecycle is Lifecycle.DRAFT:
        return InvoiceStatus.DRAFT
    if lifecycle is Lifecycle.VOID:
        return InvoiceStatus.VOID
    if settled_minor >= total_minor:
        return InvoiceStatus.PAID
    if settled_minor + written_off_minor >= total_minor:
        return InvoiceStatus.WRITTEN_OFF
    if settled_minor > 0:
        return InvoiceStatus.PARTIALLY_PAID
    return InvoiceStatus.ISSUED


def installment_status(amount_minor: int, settled_minor: int, written_off_minor: int = 0
                       ) -> InstallmentStatus:
    if settled_minor >= amount_minor:
        return InstallmentStatus.PAID
    if written_off_minor and settled_minor + written_off_minor >= amount_minor:
        return InstallmentStatus.WRITTEN_OFF
    return InstallmentStatus.PARTIALLY_PAID if settled_minor > 0 else InstallmentStatus.OPEN

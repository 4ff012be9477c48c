"""Invoice status is derived, never typed in: lifecycle plus what has been settled."""

from __future__ import annotations

from enum import StrEnum


class Lifecycle(StrEnum):
    """What the user did to the invoice; stored."""

    DRAFT = "draft"
    ISSUED = "issued"
    VOID = "void"


class InvoiceStatus(StrEnum):
    """What the invoice is now; derived."""

    DRAFT = "draft"
    ISSUED = "issued"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    VOID = "void"


class InstallmentStatus(StrEnum):
    OPEN = "open"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"


def invoice_status(lifecycle: Lifecycle, total_minor: int, settled_minor: int) -> InvoiceStatus:
    """settled = paid + discounts granted (+ amounts written off, once that exists)."""
    if lifecycle is Lifecycle.DRAFT:
        return InvoiceStatus.DRAFT
    if lifecycle is Lifecycle.VOID:
        return InvoiceStatus.VOID
    if settled_minor >= total_minor:
        return InvoiceStatus.PAID
    if settled_minor > 0:
        return InvoiceStatus.PARTIALLY_PAID
    return InvoiceStatus.ISSUED


def installment_status(amount_minor: int, settled_minor: int) -> InstallmentStatus:
    if settled_minor >= amount_minor:
        return InstallmentStatus.PAID
    return InstallmentStatus.PARTIALLY_PAID if settled_minor > 0 else InstallmentStatus.OPEN

"""The payment terms text (BT-20) every syntax carries: the invoice's own words (which state
an early-payment discount in the reader's language), each installment, and for German
receivers the discount once more as the German CIUS reads it (#SKONTO#)."""

from __future__ import annotations

from decimal import Decimal

from desktop_app.documents.einvoice.model import EInvoice, amount_text


def skonto_line(percent: Decimal, days: int) -> str:
    """XRechnung's machine-readable discount (BR-DE-18): upper case, two decimals, '#' at
    both ends, and a line break after it."""
    return f"#SKONTO#TAGE={days}#PROZENT={percent.quantize(Decimal('0.01'))}#"


def terms_description(invoice: EInvoice, *, skonto: bool) -> str:
    cur = invoice.currency
    lines = [line for line in invoice.terms_text.splitlines() if line.strip()]
    if len(invoice.installments) > 1:
        lines += [f"{i.label}: {amount_text(i.amount, cur)} {cur} {i.due_date.isoformat()}"
                  for i in invoice.installments]
    discount = invoice.early_discount
    if discount is None or not skonto:
        return "\n".join(lines)
    # Free words first, then the Skonto line, which must end the text with a line break.
    return "\n".join([*lines, skonto_line(discount.percent, discount.days)]) + "\n"

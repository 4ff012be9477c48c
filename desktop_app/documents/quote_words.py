"""The words of the quote and its emails, as gettext msgids (English is the msgid)."""

from __future__ import annotations

# i18n.MESSAGES includes these: every catalogue must translate them.
QUOTE_MESSAGES: tuple[str, ...] = (
    "Quote number", "Quote date", "Valid until", "Availability", "Share",
    "Thank you for your enquiry. We are pleased to quote as follows.",
    "This quote is valid until %(date)s. Prices and availability may change after that day.",
    "On acceptance we ask for a deposit of %(percent)s (%(amount)s); the rest falls due as "
    "shown below.",
    "On acceptance we send the invoice for the full amount; no deposit is asked.",
    "On acceptance we send the invoice; no deposit is asked, and the amount falls due in "
    "the installments shown below.",
    # When each installment falls due, counted from the acceptance (domain.schedule.When).
    "On acceptance", "One day after acceptance", "%(days)s days after acceptance",
    "One month after acceptance", "%(months)s months after acceptance",
    "One month after the first installment", "%(months)s months after the first installment",
    "Payment on acceptance",
    "To accept, please reply to this quote or return it signed.",
    "Accepted",
    "Quote %(number)s",
    "Quote %(number)s: is the price right?",
    "Quote %(number)s is valid until %(date)s",
    "Please find attached our quote %(number)s of %(date)s for %(amount)s. It is valid "
    "until %(valid)s.",
    "A few days ago we sent you our quote %(number)s for %(amount)s. Is the price right, "
    "and when would you like to order? We are glad to answer any question.",
    "Our quote %(number)s for %(amount)s is valid until %(date)s. If you would like to "
    "order, please let us know by then; after that day prices and availability may change.",
    "Kind regards,",
)

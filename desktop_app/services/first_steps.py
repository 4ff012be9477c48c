"""What a new book still lacks before follow-up can work: a company, a customer, an invoice,
a mail account. Today shows these as first steps instead of "Nothing to do today", which on an
empty book reads as if all were well."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute

from desktop_app.services.books import Books
from desktop_app.services.mail import load_account
from desktop_app.storage.models import Company, Customer, Invoice

STEPS = ("company", "customer", "invoice", "mail")


@dataclass(frozen=True)
class FirstSteps:
    has_company: bool
    has_customer: bool
    has_invoice: bool
    mail_ready: bool

    @property
    def to_do(self) -> tuple[str, ...]:
        """The steps still open, in the order a new user takes them (``STEPS``)."""
        done = (self.has_company, self.has_customer, self.has_invoice, self.mail_ready)
        return tuple(step for step, ok in zip(STEPS, done, strict=True) if not ok)

    @property
    def new_book(self) -> bool:
        """No customer and no invoice yet: the book was just started."""
        return not (self.has_customer or self.has_invoice)


def first_steps(books: Books) -> FirstSteps:
    with books.db.read() as session:
        def exists(column: InstrumentedAttribute[int]) -> bool:
            return session.scalars(select(column).limit(1)).first() is not None

        return FirstSteps(exists(Company.id), exists(Customer.id), exists(Invoice.id),
                          load_account(session) is not None)

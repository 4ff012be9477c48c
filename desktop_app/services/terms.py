"""Named payment terms the user reuses for customers and invoices."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from decimal import Decimal
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain.money import (
    ZERO,
    from_minor,
    parse_amount,
    parse_decimal,
    read_whole,
    to_minor,
)
from desktop_app.domain.parties import optional_text
from desktop_app.domain.terms import FEE_RULES, STATUTORY_FEE_RULE, PaymentTerms
from desktop_app.messages import N_
from desktop_app.services.books import Books, audit, the_company
from desktop_app.services.changes import OpChanges, states
from desktop_app.services.records import TermsView
from desktop_app.storage.models import PaymentTermsRow

DEFAULT_TERMS = PaymentTerms("Net 30", 30)
# The terms of a customer whose credit is not granted, when none are chosen for an invoice.
ON_RECEIPT = PaymentTerms("Due on receipt", 0)


def row_to_terms(row: PaymentTermsRow) -> PaymentTerms:
    return PaymentTerms(
        name=row.name, net_days=row.net_days, discount_percent=row.discount_percent,
        discount_days=row.discount_days, late_fee_minor=row.late_fee_minor,
        interest_annual_percent=row.interest_annual_percent, grace_days=row.grace_days,
        instructions=row.instructions, late_rule=row.late_rule, fee_rule=row.fee_rule,
    )


def terms_view(row: PaymentTermsRow, currency: str, default_id: int | None = None
               ) -> TermsView:
    return TermsView(
        id=row.id, name=row.name, net_days=row.net_days, discount_percent=row.discount_percent,
        discount_days=row.discount_days, late_fee=from_minor(row.late_fee_minor, currency),
        interest_annual_percent=row.interest_annual_percent, grace_days=row.grace_days,
        instructions=row.instructions, is_default=row.id == default_id,
        late_rule=row.late_rule, fee_rule=row.fee_rule,
    )


def _days(value: int | str, field: str) -> int:
    return read_whole(value, field, what=N_("a whole number of days"))


TERMS_FIELDS = ("name", "net_days", "discount_percent", "discount_days", "late_fee_minor",
                "interest_annual_percent", "grace_days", "instructions", "late_rule",
                "fee_rule")


def _checked_terms(currency: str, name: str, net_days: int | str,
                   discount_percent: str | Decimal, discount_days: int | str,
                   late_fee: str | Decimal, interest_annual_percent: str | Decimal,
                   grace_days: int | str, instructions: str, late_rule: str = "",
                   fee_rule: str | None = None) -> PaymentTerms:
    """``fee_rule`` None: statutory terms' flat sum once per invoice, else a fee per
    reminder."""
    late_rule = (late_rule or "").strip()
    if fee_rule is None:
        fee_rule = STATUTORY_FEE_RULE if late_rule else FEE_RULES[0]
    return PaymentTerms(
        name=optional_text(name, "name", max_len=100),
        net_days=_days(net_days, "net-days"),
        discount_percent=parse_decimal(discount_percent, "discount-percent"),
        discount_days=_days(discount_days, "discount-days"),
        late_fee_minor=to_minor(
            parse_amount(late_fee, "late-fee", currency, allow_zero=True), currency),
        interest_annual_percent=parse_decimal(interest_annual_percent, "interest-annual"),
        grace_days=_days(grace_days, "grace-days"),
        instructions=optional_text(instructions, "instructions", multiline=True),
        late_rule=late_rule,
        fee_rule=fee_rule,
    )


@states(OpChanges.TERMS)
def add_terms(
    books: Books,
    name: str,
    *,
    net_days: int | str,
    discount_percent: str | Decimal = ZERO,
    discount_days: int | str = 0,
    late_fee: str | Decimal = ZERO,
    interest_annual_percent: str | Decimal = ZERO,
    grace_days: int | str = 0,
    instructions: str = "",
    make_default: bool = False,
    late_rule: str = "",
    fee_rule: str | None = None,
) -> TermsView:
    with books.db.write() as session:
        company = the_company(session)
        terms = _checked_terms(company.currency, name, net_days, discount_percent,
                               discount_days, late_fee, interest_annual_percent, grace_days,
                               instructions, late_rule, fee_rule)
        if find_terms(session, company.id, terms.name) is not None:
            raise ValidationError("name", N_("terms called '{name}' exist already"),
                                  name=terms.name)
        row = PaymentTermsRow(company_id=company.id,
                              **{f: getattr(terms, f) for f in TERMS_FIELDS})
        session.add(row)
        session.flush()
        if make_default or company.default_terms_id is None:
            company.default_terms_id = row.id
        audit(session, books, "terms.add", "terms", row.id, {"name": row.name})
        return terms_view(row, company.currency, company.default_terms_id)


@states(OpChanges.TERMS)
def update_terms(
    books: Books,
    terms_id: int,
    *,
    name: str,
    net_days: int | str,
    discount_percent: str | Decimal = ZERO,
    discount_days: int | str = 0,
    late_fee: str | Decimal = ZERO,
    interest_annual_percent: str | Decimal = ZERO,
    grace_days: int | str = 0,
    instructions: str = "",
    make_default: bool = False,
    late_rule: str = "",
    fee_rule: str | None = None,
) -> TermsView:
    """Change named terms for the future: drafts and customers using them follow; issued
    invoices keep the copy they were issued with. ``fee_rule`` None keeps the rule (statutory
    terms: once per invoice)."""
    with books.db.write() as session:
        company = the_company(session)
        row = session.get(PaymentTermsRow, terms_id)
        if row is None or row.company_id != company.id:
            raise NotFound("terms", N_("no payment terms with id {id}"), id=str(terms_id))
        terms = _checked_terms(company.currency, name, net_days, discount_percent,
                               discount_days, late_fee, interest_annual_percent, grace_days,
                               instructions, late_rule,
                               row.fee_rule if fee_rule is None and not late_rule else fee_rule)
        other = find_terms(session, company.id, terms.name)
        if other is not None and other.id != row.id:
            raise ValidationError("name", N_("terms called '{name}' exist already"),
                                  name=terms.name)
        before = {f: getattr(row, f) for f in TERMS_FIELDS}
        for f in TERMS_FIELDS:
            setattr(row, f, getattr(terms, f))
        if make_default:
            company.default_terms_id = row.id
        session.flush()
        audit(session, books, "terms.edit", "terms", row.id,
              {"before": before, "after": {f: getattr(row, f) for f in TERMS_FIELDS}})
        return terms_view(row, company.currency, company.default_terms_id)


def find_terms(session: Session, company_id: int, name: str) -> PaymentTermsRow | None:
    return session.scalars(
        select(PaymentTermsRow).where(
            PaymentTermsRow.company_id == company_id, PaymentTermsRow.name == name
        )
    ).first()


def require_terms(session: Session, company_id: int, name: str, field: str = "terms"
                  ) -> PaymentTermsRow:
    row = find_terms(session, company_id, name)
    if row is None:
        raise NotFound(field, N_("no payment terms called '{name}'"), name=name)
    return row


def list_terms(books: Books) -> list[TermsView]:
    with books.db.read() as session:
        company = the_company(session)
        rows = session.scalars(
            select(PaymentTermsRow).where(PaymentTermsRow.company_id == company.id)
            .order_by(PaymentTermsRow.name)
        )
        return [terms_view(r, company.currency, company.default_terms_id) for r in rows]


Key = TypeVar("Key", bound=Hashable)
Terms = TypeVar("Terms")


def terms_that_apply(find: Callable[[Key], Terms | None], chosen: Key | None,
                     customers: Key | None, default: Key | None, *,
                     on_receipt: bool = False) -> Terms | PaymentTerms:
    """The terms a draft uses: those chosen for it, else due on receipt for a customer
    given no credit (``on_receipt``), else the customer's, else the company's default, else
    Net 30. ``find`` looks a key up (an id in the books, a name in a form's list), so the
    draft editor previews with the very terms the draft is saved with."""
    if on_receipt and (chosen is None or find(chosen) is None):
        return ON_RECEIPT
    for key in (chosen, customers, default):
        if key is not None and (found := find(key)) is not None:
            return found
    return DEFAULT_TERMS

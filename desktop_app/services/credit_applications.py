"""Credit applications: a new customer asks for credit, references are called, financial
statements and credit reports are kept, and a person decides the limit and terms.

Until its credit is granted, a customer is invoiced as the company's rule for new customers
says (cash only, or a deposit on issue); ``check_issue`` is that rule at the moment of
issuing, ``draft_warning`` the same rule (and the credit limit) as a warning while drafting.
A decision comes up for review a year later: ``review_tasks`` puts it on Today.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import PurePath

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain import credit_application as rules
from desktop_app.domain.credit import check_credit
from desktop_app.domain.errors import NotFound, PaidUpError, RuleViolation, ValidationError
from desktop_app.domain.money import from_minor, parse_amount, parse_decimal, to_minor
from desktop_app.domain.parties import check_choice, optional_text, require_text
from desktop_app.domain.schedule import PlannedInstallment
from desktop_app.messages import N_, Amount, Said, Way, Word
from desktop_app.services import activity
from desktop_app.services.books import Books, audit, require_customer, the_company
from desktop_app.services.changes import OpChanges, states
from desktop_app.services.credit_rule import RULE_KEY, new_customer_rule
from desktop_app.services.invoice_lookup import customer_open_minor
from desktop_app.services.terms import require_terms
from desktop_app.storage.models import (
    CreditApplication,
    CreditDocument,
    CreditReference,
    Customer,
    PaymentTermsRow,
    Setting,
)

CREDIT_CHANGES = OpChanges.CUSTOMERS
KIND_WORDS = {"financial_statements": "financial statements", "credit_report": "credit report",
              "other": "document"}


@dataclass(frozen=True)
class ReferenceView:
    id: int
    company: str
    person: str
    phone: str
    said: str
    called_on: date


@dataclass(frozen=True)
class DocumentView:
    """A document kept with an application; its bytes come with ``document_content``."""

    id: int
    kind: str
    filename: str
    media_type: str
    size: int
    sha256: str
    added_on: date


@dataclass(frozen=True)
class ApplicationView:
    id: int
    state: str  # open, approved, refused
    opened_on: date
    decided_on: date | None
    decided_by: str
    limit: Decimal | None
    terms: str
    review_on: date | None
    note: str
    references: tuple[ReferenceView, ...]
    documents: tuple[DocumentView, ...]


@dataclass(frozen=True)
class CreditView:
    """A customer's credit: its standing, the application open or last decided, the earlier
    ones, and what may be done now."""

    customer_id: int
    customer_name: str
    # undecided (never decided), approved, refused, or granted (had credit before credit
    # applications, with no application)
    standing: str
    credit_granted: bool
    credit_status: str
    credit_limit: Decimal | None
    terms: str | None
    currency: str
    new_customer_rule: str
    deposit_percent: Decimal
    review_on: date | None
    review_due: bool
    application: ApplicationView | None
    earlier: tuple[ApplicationView, ...]
    allowed_actions: tuple[str, ...]  # apply, reference, document, decide


@dataclass(frozen=True)
class ReviewTask:
    """A customer whose credit decision has come up for review."""

    customer_id: int
    customer_name: str
    decided_on: date
    review_on: date
    state: str
    limit: Decimal | None
    currency: str


# -- the company's rule for customers without credit ------------------------------------------

def get_new_customer_rule(books: Books) -> rules.NewCustomerRule:
    with books.db.read() as session:
        return new_customer_rule(session)


@states(OpChanges.SETTINGS)
def set_new_customer_rule(books: Books, rule: str | None = None,
                          deposit_percent: str | Decimal | None = None
                          ) -> rules.NewCustomerRule:
    """How customers without granted credit are invoiced: ``cash_only`` or ``deposit``."""
    with books.db.write() as session:
        current = new_customer_rule(session)
        percent = current.deposit_percent if deposit_percent is None else parse_decimal(
            deposit_percent, "deposit-percent", allow_zero=False)
        chosen = rules.check_rule(rule or current.rule, percent)
        value = json.dumps({"rule": chosen.rule,
                            "deposit_percent": str(chosen.deposit_percent)})
        row = session.get(Setting, RULE_KEY)
        if row is None:
            session.add(Setting(key=RULE_KEY, value=value))
        else:
            row.value = value
        audit(session, books, "credit.new_customers", "settings", None, json.loads(value))
        return chosen


# -- the application --------------------------------------------------------------------------

def _open_application(session: Session, customer_id: int) -> CreditApplication | None:
    return session.scalars(select(CreditApplication).where(
        CreditApplication.customer_id == customer_id, CreditApplication.state == "open")
        .order_by(CreditApplication.id.desc()).limit(1)).first()


def _require_open(session: Session, customer: Customer) -> CreditApplication:
    application = _open_application(session, customer.id)
    if application is None:
        raise RuleViolation(N_("{name} has no credit application open: start one first "
                               "({start})"), name=customer.name, start=Way(
                                   f"credit apply {customer.id}",
                                   N_("the customer's page › Credit application › Start "
                                      "application")))
    return application


def _last_decided(session: Session, customer_id: int) -> CreditApplication | None:
    return session.scalars(select(CreditApplication).where(
        CreditApplication.customer_id == customer_id, CreditApplication.state != "open")
        .order_by(CreditApplication.decided_on.desc(), CreditApplication.id.desc())
        .limit(1)).first()


@states(CREDIT_CHANGES)
def apply(books: Books, customer_id: int, *, on: date | None = None, note: str = ""
          ) -> CreditView:
    """Open a credit application (a new customer's, or the yearly review of a decided one)."""
    day = on or books.today()
    note = optional_text(note, "note", multiline=True)
    with books.db.write() as session:
        customer = require_customer(session, customer_id)
        current = _open_application(session, customer.id)
        if current is not None:
            raise RuleViolation(N_("{name} has a credit application open since {day}: add its "
                                   "references and documents, then decide it"),
                                name=customer.name, day=current.opened_on)
        application = CreditApplication(customer_id=customer.id, opened_on=day, state="open",
                                        decided_by="", terms_name="", note=note,
                                        created_at=books.clock())
        session.add(application)
        session.flush()
        activity.log(session, books, customer_id=customer.id, kind="credit",
                     message=N_("Credit application opened: {note}") if note
                     else N_("Credit application opened"), values={"note": note},
                     on=day)
        audit(session, books, "credit.apply", "customer", customer.id,
              {"application": application.id})
        return _view(session, customer, books.today())


@states(CREDIT_CHANGES)
def add_reference(books: Books, customer_id: int, *, company: str, person: str = "",
                  phone: str = "", said: str = "", called_on: date | None = None
                  ) -> CreditView:
    """A credit reference called: who, at which company, and what they said of the customer."""
    day = called_on or books.today()
    company = require_text(company, "company")
    person = optional_text(person, "person", max_len=200)
    phone = optional_text(phone, "phone", max_len=64)
    said = optional_text(said, "said", multiline=True)
    if day > books.today():
        raise ValidationError("date", N_("{day} is after today; record a call once it was "
                                         "made"), day=day)
    with books.db.write() as session:
        customer = require_customer(session, customer_id)
        application = _require_open(session, customer)
        session.add(CreditReference(application_id=application.id, company=company,
                                    person=person, phone=phone, said=said, called_on=day))
        activity.log(session, books, customer_id=customer.id, kind="credit",
                     message=_reference_message(bool(person), bool(said)),
                     values={"person": person, "company": company, "said": said},
                     on=day)
        audit(session, books, "credit.reference", "customer", customer.id,
              {"application": application.id, "company": company})
        session.flush()
        return _view(session, customer, books.today())


@states(CREDIT_CHANGES)
def add_document(books: Books, customer_id: int, *, filename: str, content: bytes,
                 kind: str, on: date | None = None) -> CreditView:
    """Keep a financial statement or credit report in the books, with its SHA-256."""
    check_choice(kind, "kind", rules.DOCUMENT_KINDS)
    media_type = rules.media_type(content)
    name = require_text(PurePath(filename).name, "file", max_len=200)
    day = on or books.today()
    with books.db.write() as session:
        customer = require_customer(session, customer_id)
        application = _require_open(session, customer)
        digest = hashlib.sha256(content).hexdigest()
        session.add(CreditDocument(application_id=application.id, kind=kind, filename=name,
                                   media_type=media_type, size=len(content), sha256=digest,
                                   content=content, added_on=day))
        activity.log(session, books, customer_id=customer.id, kind="credit",
                     message=N_("Credit document kept: {kind}, {name}"),
                     values={"kind": Word(KIND_WORDS[kind]), "name": name}, on=day)
        audit(session, books, "credit.document", "customer", customer.id,
              {"application": application.id, "kind": kind, "sha256": digest})
        session.flush()
        return _view(session, customer, books.today())


def document_content(books: Books, document_id: int) -> tuple[DocumentView, bytes]:
    """A kept document and its bytes, to open or save."""
    with books.db.read() as session:
        row = session.get(CreditDocument, document_id)
        if row is None:
            raise NotFound("document", N_("no credit document {id}"), id=str(document_id))
        return _document(row), row.content


@states(CREDIT_CHANGES | OpChanges.INVOICES)
def decide(books: Books, customer_id: int, *, limit: str | Decimal | None = None,
           terms: str | None = None, by: str | None = None, review: date | None = None,
           refuse: bool = False, note: str = "", on: date | None = None) -> CreditView:
    """Decide the open application: approve with a credit limit and terms (the customer gets
    both), or refuse (it keeps paying as new customers do). Who decided is recorded. Either
    decision comes up for review (by default a year on): a customer refused today may have
    the references and the accounts next year."""
    day = on or books.today()
    note = optional_text(note, "note", multiline=True)
    who = require_text(by if by is not None else books.actor, "by", max_len=100)
    review_on = rules.review_day(day, review)
    with books.db.write() as session:
        company = the_company(session)
        customer = require_customer(session, customer_id)
        application = _require_open(session, customer)
        if refuse:
            if limit is not None or terms is not None:
                raise ValidationError("refuse", N_("a refusal gives no limit nor terms"))
            application.state = "refused"
            customer.credit_granted = False
            approved = False
        else:
            if limit is None or (isinstance(limit, str) and not limit.strip()):
                raise ValidationError("limit", N_("must be given to approve credit"))
            if not terms:
                raise ValidationError("terms", N_("must be given to approve credit"))
            limit_minor = to_minor(parse_amount(limit, "limit", company.currency),
                                   company.currency)
            row = require_terms(session, company.id, terms)
            application.state, application.limit_minor = "approved", limit_minor
            application.terms_name = row.name
            customer.credit_granted = True
            customer.credit_limit_minor, customer.terms_id = limit_minor, row.id
            approved = True
        if application.opened_on > day:
            raise ValidationError("date", N_("is before the application was opened ({day})"),
                                  day=application.opened_on)
        application.decided_on, application.decided_by = day, who
        application.review_on = review_on
        if note:
            application.note = f"{application.note}\n{note}".strip()
        limit_said = Amount(from_minor(application.limit_minor or 0, company.currency),
                            company.currency)
        activity.log(session, books, customer_id=customer.id, kind="credit",
                     message=_decision_message(approved, review_on is not None, bool(note)),
                     values={"limit": limit_said, "terms": application.terms_name,
                             "who": who, "day": review_on or day, "note": note}, on=day)
        audit(session, books, "credit.decide", "customer", customer.id,
              {"application": application.id, "state": application.state, "by": who,
               "limit_minor": application.limit_minor, "terms": application.terms_name,
               "review_on": review_on.isoformat() if review_on else None})
        session.flush()
        return _view(session, customer, books.today())


def show(books: Books, customer_id: int) -> CreditView:
    with books.db.read() as session:
        return _view(session, require_customer(session, customer_id), books.today())


# -- what the rule means for an invoice -------------------------------------------------------

def _refused(session: Session, customer: Customer) -> bool:
    last = _last_decided(session, customer.id)
    return last is not None and last.state == "refused"


def check_issue(session: Session, customer: Customer, plan: list[PlannedInstallment],
                issue_date: date, total_minor: int) -> None:
    """Refuse issuing on credit to a customer given no credit, as the company's rule says."""
    if customer.credit_granted:
        return
    rules.check_without_credit(customer=customer.name, refused=_refused(session, customer),
                               rule=new_customer_rule(session), plan=plan,
                               issue_date=issue_date, total_minor=total_minor)


def draft_warning(session: Session, customer: Customer, new_minor: int,
                  plan: list[PlannedInstallment], issue_date: date, currency: str,
                  document: str = "invoice") -> Said | None:
    """The warning for a draft (an invoice, or a quote to become one): no credit yet, on
    hold, or near or over the limit (what is owed on issued invoices and this draft; other
    drafts and quotes owe nothing yet)."""
    return rules.draft_warning(
        customer=customer.name, granted=customer.credit_granted,
        refused=not customer.credit_granted and _refused(session, customer),
        rule=new_customer_rule(session), credit_status=customer.credit_status,
        limit_minor=customer.credit_limit_minor,
        open_minor=customer_open_minor(session, customer.id), new_minor=new_minor,
        on_credit=any(p.due_date > issue_date for p in plan),
        on_issue_minor=rules.due_on_issue(plan, issue_date), currency=currency,
        document=document)


def credit_flag(books: Books, customer_id: int, total: Decimal,
                schedule: Sequence[tuple[date, Decimal]], issue_date: date) -> Said | None:
    """``draft_warning`` for a draft being typed (the window's editor asks as the total and
    its schedule, each share's day and amount, move)."""
    with books.db.read() as session:
        currency = the_company(session).currency
        customer = require_customer(session, customer_id)
        plan = [PlannedInstallment("", day, to_minor(amount, currency))
                for day, amount in schedule]
        return draft_warning(session, customer, to_minor(total, currency), plan, issue_date,
                             currency)


def issue_refusal(session: Session, customer: Customer, plan: list[PlannedInstallment],
                  issue_date: date, total_minor: int, currency: str) -> PaidUpError | None:
    """Why issuing an invoice of this plan and total on ``issue_date`` would be refused for
    the customer's credit (its standing, its limit, the rule for customers without credit),
    as issuing checks it; None when it would pass."""
    try:
        check_credit(customer=customer.name, credit_status=customer.credit_status,
                     limit_minor=customer.credit_limit_minor,
                     open_minor=customer_open_minor(session, customer.id),
                     new_minor=total_minor,
                     on_credit=any(p.due_date > issue_date for p in plan), currency=currency)
        check_issue(session, customer, plan, issue_date, total_minor)
    except PaidUpError as refused:
        return refused
    return None


# -- reviews ----------------------------------------------------------------------------------

def review_tasks(books: Books, as_of: date) -> list[ReviewTask]:
    """Customers whose last decision has come up for review and was not decided again; on
    one day by name as people look names up (the stored key, collation.name_key)."""
    with books.db.read() as session:
        last = (select(CreditApplication.customer_id,
                       func.max(CreditApplication.id).label("last_id"))
                .where(CreditApplication.state != "open")
                .group_by(CreditApplication.customer_id).subquery())
        rows = session.execute(
            select(CreditApplication, Customer.name)
            .join(last, last.c.last_id == CreditApplication.id)
            .join(Customer, Customer.id == CreditApplication.customer_id)
            .where(CreditApplication.review_on.is_not(None),
                   CreditApplication.review_on <= as_of)
            .order_by(CreditApplication.review_on, Customer.name_key, Customer.name)).all()
        if not rows:  # a new book may have no company yet
            return []
        currency = the_company(session).currency
        return [ReviewTask(a.customer_id, name, a.decided_on or a.opened_on,
                           a.review_on or as_of, a.state,
                           None if a.limit_minor is None else from_minor(a.limit_minor,
                                                                         currency), currency)
                for a, name in rows]


# -- views ------------------------------------------------------------------------------------

def _document(row: CreditDocument) -> DocumentView:
    return DocumentView(row.id, row.kind, row.filename, row.media_type, row.size, row.sha256,
                        row.added_on)


def _application(session: Session, row: CreditApplication, currency: str) -> ApplicationView:
    references = session.scalars(select(CreditReference).where(
        CreditReference.application_id == row.id).order_by(CreditReference.called_on,
                                                            CreditReference.id))
    documents = session.scalars(select(CreditDocument).where(
        CreditDocument.application_id == row.id).order_by(CreditDocument.id))
    return ApplicationView(
        id=row.id, state=row.state, opened_on=row.opened_on, decided_on=row.decided_on,
        decided_by=row.decided_by,
        limit=None if row.limit_minor is None else from_minor(row.limit_minor, currency),
        terms=row.terms_name, review_on=row.review_on, note=row.note,
        references=tuple(ReferenceView(r.id, r.company, r.person, r.phone, r.said,
                                       r.called_on) for r in references),
        documents=tuple(_document(d) for d in documents))


def _view(session: Session, customer: Customer, today: date) -> CreditView:
    company = the_company(session)
    rule = new_customer_rule(session)
    applications = list(session.scalars(select(CreditApplication).where(
        CreditApplication.customer_id == customer.id).order_by(CreditApplication.id.desc())))
    views = [_application(session, a, company.currency) for a in applications]
    current = next((v for v in views if v.state == "open"), views[0] if views else None)
    decided = next((v for v in views if v.state != "open"), None)
    if decided is not None:
        standing = "approved" if customer.credit_granted and decided.state == "approved" \
            else decided.state
    else:
        standing = "granted" if customer.credit_granted else "undecided"
    is_open = current is not None and current.state == "open"
    terms = session.get(PaymentTermsRow, customer.terms_id) if customer.terms_id else None
    review_on = decided.review_on if decided else None
    return CreditView(
        customer_id=customer.id, customer_name=customer.name, standing=standing,
        credit_granted=customer.credit_granted, credit_status=customer.credit_status,
        credit_limit=None if customer.credit_limit_minor is None
        else from_minor(customer.credit_limit_minor, company.currency),
        terms=terms.name if terms else None, currency=company.currency,
        new_customer_rule=rule.rule, deposit_percent=rule.deposit_percent,
        review_on=review_on, review_due=review_on is not None and review_on <= today,
        application=current, earlier=tuple(v for v in views if v is not current),
        allowed_actions=("reference", "document", "decide") if is_open else ("apply",))


def _reference_message(person: bool, said: bool) -> str:
    return {
        (True, True): N_("Credit reference called: {person} at {company}: {said}"),
        (True, False): N_("Credit reference called: {person} at {company}"),
        (False, True): N_("Credit reference called: {company}: {said}"),
        (False, False): N_("Credit reference called: {company}"),
    }[(person, said)]


def _decision_message(approved: bool, review: bool, note: bool) -> str:
    """Each variant a whole sentence; {day} is the day of the review."""
    return {
        (True, True, True): N_("Credit approved: limit {limit}, {terms}, decided by {who}; "
                               "review on {day}: {note}"),
        (True, True, False): N_("Credit approved: limit {limit}, {terms}, decided by {who}; "
                                "review on {day}"),
        (True, False, True): N_("Credit approved: limit {limit}, {terms}, decided by {who}: "
                                "{note}"),
        (True, False, False): N_("Credit approved: limit {limit}, {terms}, decided by {who}"),
        (False, True, True): N_("Credit refused, decided by {who}; review on {day}: {note}"),
        (False, True, False): N_("Credit refused, decided by {who}; review on {day}"),
        (False, False, True): N_("Credit refused, decided by {who}: {note}"),
        (False, False, False): N_("Credit refused, decided by {who}"),
    }[(approved, review, note)]

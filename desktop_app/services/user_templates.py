"""The words of letters and emails: the shipped defaults, or the user's own, checked on save.

User templates live in the settings table (``letter:<stage>:<language>`` and
``mail:<stage>:<language>``); a template with an unknown placeholder never gets there.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app import documents as rendering  # renderers load on first use
from desktop_app.documents.data import LANGUAGES, Stage
from desktop_app.documents.letter_templates import PLACEHOLDERS as LETTER_PLACEHOLDERS
from desktop_app.documents.letter_templates import default_template, letter_text, validate_template
from desktop_app.documents.samples import sample_company, sample_letter
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.money import from_minor
from desktop_app.domain.parties import check_choice
from desktop_app.mail.email_templates import PLACEHOLDERS as MAIL_PLACEHOLDERS
from desktop_app.mail.email_templates import STAGES as MAIL_STAGES
from desktop_app.mail.email_templates import (
    DueItem,
    MailContext,
    MailTemplate,
    load_templates,
    render,
)
from desktop_app.messages import N_
from desktop_app.services.books import Books, audit
from desktop_app.services.changes import OpChanges, states
from desktop_app.services.documents import company_doc
from desktop_app.storage.models import Company, Setting

LETTER_TEMPLATES = tuple(s.value for s in Stage)
MAIL_TEMPLATES = MAIL_STAGES


def placeholders(kind: str) -> tuple[str, ...]:
    """The names a letter or mail template may use, in the order an editor lists them."""
    return tuple(LETTER_PLACEHOLDERS) if kind == "letter" else tuple(sorted(MAIL_PLACEHOLDERS))


@dataclass(frozen=True)
class TemplateView:
    kind: str  # letter, mail
    stage: str
    language: str
    text: str  # letter: subject line, blank line, body; mail: subject line, blank, body
    customised: bool


@cache
def _shipped_mail() -> dict[tuple[str, str], MailTemplate]:
    return load_templates()


def _key(kind: str, stage: str, language: str) -> str:
    return f"{kind}:{stage}:{language}"


def _check(kind: str, stage: str, language: str) -> None:
    check_choice(kind, "kind", ("letter", "mail"))
    check_choice(stage, "stage", LETTER_TEMPLATES if kind == "letter" else MAIL_TEMPLATES)
    check_choice(language, "language", LANGUAGES)


def _overrides(session: Session, kind: str) -> dict[tuple[str, str], Any]:
    """The user's templates of one kind by (stage, language), as their JSON was stored: a
    letter's text, or a mail's subject and body."""
    rows = session.scalars(select(Setting).where(Setting.key.like(f"{kind}:%")))
    found: dict[tuple[str, str], Any] = {}
    for row in rows:
        _, stage, language = row.key.split(":")
        found[stage, language] = json.loads(row.value)
    return found


def letter_templates(session: Session) -> Mapping[tuple[str, str], str]:
    """The user's letter texts by (stage, language); stages without one use the default."""
    return {key: str(text) for key, text in _overrides(session, "letter").items()}


def mail_templates(session: Session) -> dict[tuple[str, str], MailTemplate]:
    templates = dict(_shipped_mail())
    for (stage, language), data in _overrides(session, "mail").items():
        shipped = templates.get((stage, language)) or templates[(stage, "en")]
        templates[stage, language] = MailTemplate(stage, language, data["subject"],
                                                  data["body"], shipped.item_line)
    return templates


def get_template(books: Books, kind: str, stage: str, language: str) -> TemplateView:
    _check(kind, stage, language)
    with books.db.read() as session:
        custom = session.get(Setting, _key(kind, stage, language))
        if kind == "letter":
            text = json.loads(custom.value) if custom else default_template(Stage(stage),
                                                                              language)
        else:
            data = json.loads(custom.value) if custom else None
            if data is None:
                shipped = _shipped_mail().get((stage, language)) or _shipped_mail()[(stage,
                                                                                     "en")]
                data = {"subject": shipped.subject, "body": shipped.body}
            text = f"{data['subject']}\n\n{data['body'].strip()}\n"
        return TemplateView(kind, stage, language, text, custom is not None)


@states(OpChanges.SETTINGS)
def save_template(books: Books, kind: str, stage: str, language: str, text: str
                  ) -> TemplateView:
    """Check, then keep; the first line is the subject. Refused with the placeholder named."""
    _check(kind, stage, language)
    subject, _, body = text.strip("\n").partition("\n")
    if not subject.strip() or not body.strip():
        raise ValidationError("template",
                              N_("needs a subject line, a blank line, then the text"))
    value: str | dict[str, str]
    if kind == "letter":
        validate_template(text)
        value = text
    else:
        shipped = _shipped_mail().get((stage, language)) or _shipped_mail()[(stage, "en")]
        MailTemplate(stage, language, subject.strip(), body.strip("\n"), shipped.item_line)
        value = {"subject": subject.strip(), "body": body.strip("\n")}
    with books.db.write() as session:
        key = _key(kind, stage, language)
        row = session.get(Setting, key)
        if row is None:
            session.add(Setting(key=key, value=json.dumps(value, ensure_ascii=False)))
        else:
            row.value = json.dumps(value, ensure_ascii=False)
        audit(session, books, "template.save", "template", None,
              {"kind": kind, "stage": stage, "language": language})
    return get_template(books, kind, stage, language)


@dataclass(frozen=True)
class TemplatePreview:
    """What a template says when filled with example figures (and, for a letter, the page)."""

    subject: str
    body: str
    pdf: bytes = b""


def preview_template(books: Books, kind: str, stage: str, language: str, text: str
                     ) -> TemplatePreview:
    """Fill a template being edited with example invoices, in your letterhead when the
    company is set up: a refusal names the placeholder, as saving would."""
    _check(kind, stage, language)
    subject, _, body = text.strip("\n").partition("\n")
    with books.db.read() as session:
        company = session.scalars(select(Company).limit(1)).first()
        letterhead = company_doc(company) if company else sample_company()
    if kind == "letter":
        letter = replace(sample_letter(Stage(stage), language, letterhead), template=text)
        filled = letter_text(letter)
        return TemplatePreview(filled.subject, filled.body, rendering.render_letter(letter))
    shipped = _shipped_mail().get((stage, language)) or _shipped_mail()[(stage, "en")]
    template = MailTemplate(stage, language, subject.strip(), body.strip("\n"),
                            shipped.item_line)
    example = sample_letter(Stage.REMINDER_2, language, letterhead)
    mail = render(template, MailContext(
        customer_name=example.customer.name, company_name=letterhead.name,
        company_email=letterhead.email, company_phone=letterhead.phone,
        payment_instructions=f"IBAN {letterhead.bank.iban}",
        items=[DueItem(i.invoice_number, i.due_date, from_minor(i.open_minor,
                                                                letterhead.currency),
                       letterhead.currency) for i in example.items],
        as_of=example.letter_date, contact_name=example.contact.name,
        deadline=example.deadline or example.letter_date))
    return TemplatePreview(mail.subject, mail.body)


@states(OpChanges.SETTINGS)
def reset_template(books: Books, kind: str, stage: str, language: str) -> TemplateView:
    """Back to the shipped words."""
    _check(kind, stage, language)
    with books.db.write() as session:
        row = session.get(Setting, _key(kind, stage, language))
        if row is not None:
            session.delete(row)
            audit(session, books, "template.reset", "template", None,
                  {"kind": kind, "stage": stage, "language": language})
    return get_template(books, kind, stage, language)

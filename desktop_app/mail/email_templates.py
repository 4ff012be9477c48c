"""Mail templates per follow-up stage and language, checked when saved, filled when sent.

Placeholders are ``{name}`` from a fixed list, so a user editing a template cannot reach
anything but the values below; an unknown name is refused when the template is saved.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_currency

from desktop_app.domain import wording
from desktop_app.domain.errors import ValidationError
from desktop_app.messages import N_
from desktop_app.resources import MAIL_TEMPLATES

STAGES = ("invoice", "receipt", "upcoming", "due", "reminder_1", "reminder_2", "final_notice",
          "handover")
LANGUAGES = ("en", "de", "ru", "zh_CN", "zh_TW")
FALLBACK_LANGUAGE = "en"

PLACEHOLDERS = frozenset({
    "customer_name", "contact_name", "company_name", "company_email", "company_phone",
    "invoice_numbers", "items", "total_open", "due_date", "days_overdue",
    "payment_instructions", "deadline", "attachments", "previous_reminder",
})
ITEM_PLACEHOLDERS = frozenset({"invoice_number", "due_date", "amount_open", "days_overdue"})

DEFAULT_TEMPLATES_DIR = MAIL_TEMPLATES

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def placeholders_in(text: str) -> list[str]:
    return _PLACEHOLDER.findall(text)


def _check(field: str, text: str, allowed: frozenset[str]) -> None:
    """Unknown placeholders and unbalanced optional parts are refused by name."""
    for name in placeholders_in(text):
        if name not in allowed:
            known = ", ".join("{" + n + "}" for n in sorted(allowed))
            raise ValidationError(field, N_("unknown placeholder {{{name}}}; use one of {known}"),
                                  name=name, known=known)
    try:
        wording.parse(text, allowed)
    except ValidationError as exc:
        raise exc.renamed(field) from None


@dataclass(frozen=True)
class MailTemplate:
    """Subject and plain body of one stage in one language; ``item_line`` lists one item."""

    stage: str
    language: str
    subject: str
    body: str
    item_line: str

    def __post_init__(self) -> None:
        if self.stage not in STAGES:
            raise ValidationError("stage", N_("unknown stage {stage}"), stage=repr(self.stage))
        try:
            Locale.parse(self.language)
        except (ValueError, UnknownLocaleError):
            raise ValidationError("language", N_("unknown language {language}"),
                                  language=repr(self.language)) from None
        if not self.subject.strip() or "\n" in self.subject.strip():
            raise ValidationError("subject", N_("must be one non-empty line"))
        if not self.body.strip():
            raise ValidationError("body", N_("is required"))
        _check("subject", self.subject, PLACEHOLDERS)
        _check("body", self.body, PLACEHOLDERS)
        _check("item_line", self.item_line, ITEM_PLACEHOLDERS)


@dataclass(frozen=True)
class DueItem:
    """One open invoice or installment the message is about."""

    invoice_number: str
    due_date: date
    amount_open: Decimal
    currency: str


@dataclass(frozen=True)
class MailContext:
    """The facts a message states; the caller gathers them, this module formats them."""

    customer_name: str
    company_name: str
    company_email: str
    company_phone: str
    payment_instructions: str
    items: Sequence[DueItem]
    as_of: date
    contact_name: str = ""
    deadline: date | None = None
    attachments: Sequence[str] = ()  # the files the message carries: it says "attached" only then
    # The day of the latest reminder the customer received (None: none was, so the message
    # thanks for none).
    previous_reminder: date | None = None


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    body: str


def _fill(text: str, values: Mapping[str, str]) -> str:
    """Placeholders filled; a part in brackets only when its facts are known."""
    return wording.fill(text, values)


def _money(amount: Decimal, currency: str, locale: Locale) -> str:
    return format_currency(amount, currency, locale=locale)


def render(template: MailTemplate, context: MailContext) -> RenderedMail:
    """Fill a template: one message for all of a customer's items, each listed on its line."""
    if not context.items:
        raise ValidationError("items", N_("a message needs at least one invoice"))
    if "{deadline}" in template.subject + template.body and context.deadline is None:
        raise ValidationError("deadline", N_("is required for the {stage} message"),
                              stage=template.stage)
    locale = Locale.parse(template.language)
    items = sorted(context.items, key=lambda i: (i.due_date, i.invoice_number))

    def when(day: date) -> str:
        # Russian: 05.06.2025, not "5 июня 2025 г.", whose stop doubles at a sentence's end
        return format_date(day, format="dd.MM.yyyy" if locale.language == "ru" else "long",
                           locale=locale)

    lines = [
        "- " + _fill(template.item_line, {
            "invoice_number": item.invoice_number,
            "due_date": when(item.due_date),
            "amount_open": _money(item.amount_open, item.currency, locale),
            "days_overdue": str(max((context.as_of - item.due_date).days, 0)),
        })
        for item in items
    ]
    totals: dict[str, Decimal] = {}
    for item in items:
        totals[item.currency] = totals.get(item.currency, Decimal(0)) + item.amount_open
    values = {
        "customer_name": context.customer_name,
        "contact_name": context.contact_name,  # none known: the general greeting
        "company_name": context.company_name,
        "company_email": context.company_email,
        "company_phone": context.company_phone,
        # Two installments of one invoice name it once.
        "invoice_numbers": ", ".join(dict.fromkeys(item.invoice_number for item in items)),
        "items": "\n".join(lines),
        "total_open": " + ".join(_money(v, c, locale) for c, v in totals.items()),
        "due_date": when(items[0].due_date),
        "days_overdue": str(max((context.as_of - items[0].due_date).days, 0)),
        "payment_instructions": context.payment_instructions.strip(),
        "deadline": when(context.deadline) if context.deadline else "",
        "attachments": ", ".join(context.attachments),
        "previous_reminder": when(context.previous_reminder) if context.previous_reminder
        else "",
    }
    subject = " ".join(_fill(template.subject, values).split())
    return RenderedMail(subject=subject, body=_fill(template.body, values).strip() + "\n")


def load_templates(directory: Path = DEFAULT_TEMPLATES_DIR) -> dict[tuple[str, str], MailTemplate]:
    """Read ``<language>.toml`` files: an ``item_line`` and one table per stage."""
    templates: dict[tuple[str, str], MailTemplate] = {}
    for path in sorted(directory.glob("*.toml")):
        language = path.stem
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        item_line = data.get("item_line", "")
        for stage in STAGES:
            if stage in data:
                section = data[stage]
                templates[stage, language] = MailTemplate(
                    stage, language, section["subject"], section["body"], item_line
                )
    return templates


def template_for(templates: Mapping[tuple[str, str], MailTemplate], stage: str,
                 language: str) -> MailTemplate:
    """The customer's language (or its base, de_AT -> de) when there is one, else English."""
    for candidate in (language, language.split("_")[0], FALLBACK_LANGUAGE):
        found = templates.get((stage, candidate))
        if found is not None:
            return found
    raise ValidationError("stage", N_("no template for {stage}"), stage=repr(stage))

"""The one family of refusals that every face turns into words for a person."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from desktop_app import messages
from desktop_app.messages import N_, Field, Said, Value, say

T = TypeVar("T")


class PaidUpError(Exception):
    """Base of every refusal the user may see.

    ``template`` is an English message marked with ``N_`` where it is raised and ``values``
    fill its fields, so that the window says it in its own language; ``message`` is the
    English sentence they make, which the CLI prints and the log keeps.
    """

    def __init__(self, template: str, /, **values: Value) -> None:
        self.template = template
        self.values = values
        self.message = say(template, values) if values else template
        super().__init__(self.message)


class ValidationError(PaidUpError):
    """A value the user gave is not acceptable; names the field."""

    def __init__(self, field: str, template: str, /, **values: Value) -> None:
        super().__init__(template, **values)
        self.field = field
        self.args = (f"{field}: {self.message}",)

    def renamed(self, field: str) -> ValidationError:
        """The same refusal for the field as the caller names it."""
        return ValidationError(field, self.template, **self.values)


class RuleViolation(PaidUpError):
    """The input is well formed but a business rule forbids the action."""


class NotFound(ValidationError):
    """An id that names nothing."""


class ValidationErrors(ValidationError):
    """Several values refused at once, so a form can show every one beside its field instead
    of one per Save; reads as the first of them where only one line fits."""

    def __init__(self, errors: list[ValidationError]) -> None:
        self.errors = tuple(errors)
        first = errors[0]
        super().__init__(first.field, first.template, **first.values)


class Checks:
    """Runs each field's check and keeps every refusal, then raises them together."""

    def __init__(self) -> None:
        self.errors: list[ValidationError] = []

    def run(self, check: Callable[[], T]) -> T | None:
        try:
            return check()
        except ValidationErrors as several:
            self.errors.extend(several.errors)
        except ValidationError as one:
            self.errors.append(one)
        return None

    def done(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise ValidationErrors(self.errors)


def clause(exc: PaidUpError) -> Value:
    """A refusal as a clause of a longer message, reading as ``str(exc)`` does ('date: ...');
    its English as it is where its message would read otherwise."""
    said = Said(exc.template, exc.values)
    if isinstance(exc, ValidationError):
        # TRANSLATORS: a refused field's name and why, in a longer message (a bank transfer's
        # reason, a retainer invoice that was not issued)
        said = Said(N_("{field}: {why}"), {"field": Field(exc.field), "why": said})
    try:
        same = messages.english(said) == str(exc)
    except (KeyError, IndexError, ValueError):  # braces in a message without values
        same = False
    return said if same else str(exc)

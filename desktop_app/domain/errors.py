"""The one family of refusals that every face turns into words for a person."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class PaidUpError(Exception):
    """Base of every refusal the user may see; the message is already human."""


class ValidationError(PaidUpError):
    """A value the user gave is not acceptable; names the field."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class RuleViolation(PaidUpError):
    """The input is well formed but a business rule forbids the action."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class NotFound(ValidationError):
    """An id that names nothing."""


class ValidationErrors(ValidationError):
    """Several values refused at once, so a form can show every one beside its field instead
    of one per Save; reads as the first of them where only one line fits."""

    def __init__(self, errors: list[ValidationError]) -> None:
        self.errors = tuple(errors)
        super().__init__(errors[0].field, errors[0].message)


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

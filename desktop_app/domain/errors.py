"""The one family of refusals that every face turns into words for a person."""

from __future__ import annotations


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

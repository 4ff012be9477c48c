"""What a use case changed in the books, said by the use case itself (after Anki's OpChanges).

Each service that changes the books states what it changes with :func:`states`; a face runs a
use case through :func:`run_op` and gets its result together with everything the services it
called stated, so that only the views showing those things reload. A use case that fails
states nothing: its transaction was rolled back.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from enum import Flag, auto
from typing import Generic, ParamSpec, TypeVar


class OpChanges(Flag):
    """A small frozen set of what changed; a view reloads for what concerns it."""

    NONE = 0
    COMPANY = auto()
    TERMS = auto()
    CUSTOMERS = auto()
    INVOICES = auto()
    PAYMENTS = auto()
    FOLLOWUP = auto()
    OUTBOX = auto()  # mail queued, sent, failed or decided
    SETTINGS = auto()  # mail account, policies, templates, payment order, bank profiles
    ALL = COMPANY | TERMS | CUSTOMERS | INVOICES | PAYMENTS | FOLLOWUP | OUTBOX | SETTINGS


P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")

# What the services called so far in this operation stated; None outside run_op. Each worker
# thread has its own context, so two operations never mix their changes.
_stated: ContextVar[list[OpChanges] | None] = ContextVar("stated_changes", default=None)


def states(changes: OpChanges) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Declare what a service changes; said when it returns, never when it raises."""
    def declare(service: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(service)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            result = service(*args, **kwargs)
            collected = _stated.get()
            if collected is not None:
                collected.append(changes)
            return result
        run.changes = changes  # type: ignore[attr-defined]
        return run
    return declare


def stated_by(service: Callable[..., object]) -> OpChanges | None:
    """What a service states it changes; None when it states nothing."""
    return getattr(service, "changes", None)


@dataclass(frozen=True)
class Done(Generic[T]):
    """A use case's result and what it changed."""

    result: T
    changes: OpChanges


def run_op(work: Callable[[], T]) -> Done[T]:
    """Run a use case (any call of services) and hand back its result with its changes."""
    token = _stated.set([])
    try:
        result = work()
        said = functools.reduce(lambda a, b: a | b, _stated.get() or (), OpChanges.NONE)
    finally:
        _stated.reset(token)
    return Done(result, said)

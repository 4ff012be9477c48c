"""Where a payment goes: oldest open installment first, the excess to customer credit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class OpenItem:
    """Something a payment can settle, in the order it should be settled."""

    key: int
    due_date: date
    open_minor: int


@dataclass(frozen=True, slots=True)
class Allocation:
    applied: tuple[tuple[int, int], ...]  # (key, minor units applied)
    credit_minor: int  # what was left: the customer's credit


def allocate(amount_minor: int, items: Sequence[OpenItem]) -> Allocation:
    """Fill the oldest due items first; nothing is created or lost: applied + credit = amount."""
    if amount_minor < 0:
        raise ValueError("a payment allocates a non-negative amount")
    remaining = amount_minor
    applied: list[tuple[int, int]] = []
    for item in sorted(items, key=lambda i: (i.due_date, i.key)):
        if remaining == 0:
            break
        take = min(remaining, max(item.open_minor, 0))
        if take:
            applied.append((item.key, take))
            remaining -= take
    return Allocation(tuple(applied), remaining)


def early_discount_minor(
    *,
    discount_minor: int,
    deadline: date | None,
    paid_on: date,
    total_minor: int,
    paid_before_minor: int,
    amount_minor: int,
) -> int:
    """The discount a payment earns: only when it brings the paid sum to the discounted total
    within the discount window (DOMAIN: 2/10 net 30), never partially."""
    if deadline is None or discount_minor <= 0 or paid_on > deadline:
        return 0
    return discount_minor if paid_before_minor + amount_minor == total_minor - discount_minor else 0

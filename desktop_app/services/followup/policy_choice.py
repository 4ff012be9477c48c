"""Which follow-up policy applies to each customer: the default ladder, a policy of its
own, or none (exempt). Read from the tables, with a session or a plain connection, so the
day's plan needs no ORM."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import Connection, or_, select

from desktop_app.domain.followup import Policy, policy_from_json, standard_policy
from desktop_app.storage.tables import companies, customers, policies

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def built_in_policy(db: Connection | Session) -> Policy:
    """The standard ladder with the costs of its steps in the books' currency."""
    currency = db.execute(select(companies.c.currency).order_by(companies.c.id).limit(1)
                          ).scalar()
    return standard_policy(currency or "EUR")


def default_policy(db: Connection | Session) -> Policy:
    body = db.execute(select(policies.c.body).where(policies.c.is_default)).scalar()
    return policy_from_json(body) if body is not None else built_in_policy(db)


def named_policies(db: Connection | Session) -> dict[str, Policy]:
    """Every policy by name, the built-in default among them."""
    built_in = built_in_policy(db)
    named = {built_in.name: built_in}
    for name, body in db.execute(select(policies.c.name, policies.c.body)):
        named[name] = policy_from_json(body)
    return named


def policies_for(db: Connection | Session, customer_ids: Iterable[int]) -> dict[int, Policy]:
    """Each customer's policy; exempt customers are left out (they are never reminded)."""
    wanted = set(customer_ids)
    if not wanted:
        return {}
    named = named_policies(db)
    fallback = default_policy(db)
    chosen = dict.fromkeys(wanted, fallback)
    # Only the few customers with a policy of their own or none at all need reading.
    for cid, name, exempt in db.execute(
            select(customers.c.id, customers.c.policy_name, customers.c.exempt)
            .where(or_(customers.c.policy_name.is_not(None), customers.c.exempt))):
        if cid not in chosen:
            continue
        if exempt:
            del chosen[cid]
        else:
            chosen[cid] = named.get(name, fallback)
    return chosen

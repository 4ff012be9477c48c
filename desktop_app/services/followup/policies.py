"""Follow-up policies the user keeps: the default ladder, others for some customers, or none
(exempt)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain.followup import (
    Policy,
    in_ladder_order,
    policy_from_dict,
    policy_to_dict,
    policy_to_json,
)
from desktop_app.domain.money import from_minor, parse_amount, to_minor
from desktop_app.messages import N_
from desktop_app.services.books import Books, audit, require_customer, the_company
from desktop_app.services.changes import OpChanges, states
from desktop_app.services.followup.policy_choice import default_policy, named_policies
from desktop_app.services.followup.reached_stage import refresh_reached
from desktop_app.services.user_templates import LETTER_TEMPLATES, MAIL_TEMPLATES
from desktop_app.storage.models import FollowupRecord, PolicyRow


@dataclass(frozen=True)
class PolicyView:
    name: str
    is_default: bool
    body: dict[str, Any]
    reordered: bool = False  # saving put its stages in order of their days


def check_templates(policy: Policy) -> None:
    """Every channel of a stage has words to say: a known letter or email template."""
    for stage in policy.stages:
        name = stage.template_name
        if "letter" in stage.channels and stage.anchor != "issue" and name not in (
                LETTER_TEMPLATES):
            raise ValidationError(f"stage {stage.name} template",
                                  N_("'{name}' is not a letter; use one of {templates}"),
                                  name=name, templates=", ".join(LETTER_TEMPLATES))
        if "email" in stage.channels and name not in MAIL_TEMPLATES:
            raise ValidationError(f"stage {stage.name} template",
                                  N_("'{name}' is not an email; use one of {templates}"),
                                  name=name, templates=", ".join(MAIL_TEMPLATES))


def _keep_names_in_use(session: Session, policy: Policy) -> None:
    """Done stages are known by their name: renaming or removing one that was carried out
    would make it look never done, and it would go out again."""
    before = named_policies(session).get(policy.name)
    if before is None:
        return
    gone = {s.name for s in before.stages} - {s.name for s in policy.stages}
    for name in sorted(gone):
        used = session.scalar(select(func.count()).select_from(FollowupRecord)
                              .where(FollowupRecord.stage == name))
        if used:
            raise ValidationError(
                f"stage {name}", N_("was carried out {count} time(s) already; keep its name "
                                    "(its days, channels and words can change) or make a new "
                                    "policy"), count=used)


def list_policies(books: Books) -> list[PolicyView]:
    with books.db.read() as session:
        default = default_policy(session).name
        return [PolicyView(p.name, p.name == default, policy_to_dict(p))
                for p in named_policies(session).values()]


@states(OpChanges.SETTINGS | OpChanges.FOLLOWUP)
def save_policy(books: Books, body: dict[str, Any], *, make_default: bool = False
                ) -> PolicyView:
    policy = policy_from_dict(body)
    check_templates(policy)
    with books.db.write() as session:
        _keep_names_in_use(session, policy)
        # Saving the default policy keeps it the default: the flag is only ever moved by
        # naming another policy the default, never dropped by an edit.
        before = default_policy(session)
        make_default = make_default or before.name == policy.name
        row = session.get(PolicyRow, policy.name)
        if row is None:
            row = PolicyRow(name=policy.name, body="", is_default=False)
            session.add(row)
        row.body = policy_to_json(policy)
        if make_default:
            session.execute(update(PolicyRow).values(is_default=False))
            row.is_default = True
        session.flush()
        if make_default and [s.name for s in before.ladder] != [s.name for s in policy.ladder]:
            refresh_reached(session)  # the stages rank anew
        audit(session, books, "policy.save", "policy", None,
              {"name": policy.name, "default": make_default})
        return PolicyView(policy.name, row.is_default, policy_to_dict(policy))


@states(OpChanges.CUSTOMERS | OpChanges.FOLLOWUP)
def set_customer_policy(books: Books, customer_id: int, *, policy: str | None = None,
                        exempt: bool | None = None) -> None:
    """Give a customer its own policy (None: the default) or exempt it from reminders."""
    with books.db.write() as session:
        customer = require_customer(session, customer_id)
        if policy is not None and policy not in named_policies(session):
            raise NotFound("policy", N_("no policy named '{name}'"), name=policy)
        customer.policy_name = policy
        if exempt is not None:
            customer.exempt = exempt
        audit(session, books, "customer.policy", "customer", customer.id,
              {"policy": policy, "exempt": customer.exempt})


def _for_editing(view: PolicyView, currency: str) -> PolicyView:
    stages = [{**{k: v for k, v in stage.items() if k != "cost_minor"},
               "cost": from_minor(int(stage.get("cost_minor", 0)), currency)}
              for stage in view.body["stages"]]
    return replace(view, body={**view.body, "stages": stages})


def _company_currency(books: Books) -> str:
    with books.db.read() as session:
        return the_company(session).currency


def policies_for_editing(books: Books) -> list[PolicyView]:
    """The policies as a form edits them: each stage's ``cost`` an amount in the company's
    currency, not minor units."""
    currency = _company_currency(books)
    return [_for_editing(view, currency) for view in list_policies(books)]


def save_edited_policy(books: Books, body: dict[str, Any], *, make_default: bool = False
                       ) -> PolicyView:
    """Save a policy as a form edits it: each stage's ``cost`` a plain decimal (text as
    typed, or a Decimal; empty for none) in the company's currency.

    The stages are put in order of their days before the ladder is checked: the days are
    what the user sets, and a table of stages has no other order to keep. The view says
    when the order changed, so the form can tell the user."""
    currency = _company_currency(books)
    stages = []
    for stage in body.get("stages", []):
        clean = {k: v for k, v in stage.items() if k != "cost"}
        if "cost" in stage:
            cost = parse_amount(stage["cost"] or "0", f"stage {stage.get('name', '?')} cost",
                                currency, allow_zero=True)
            clean["cost_minor"] = to_minor(cost, currency)
        stages.append(clean)
    ordered = in_ladder_order(stages)
    saved = save_policy(books, {**body, "stages": ordered}, make_default=make_default)
    return replace(_for_editing(saved, currency), reordered=ordered != stages)

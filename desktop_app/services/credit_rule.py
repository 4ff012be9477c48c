"""The company's rule for customers whose credit is not granted, read where terms are chosen
(drafts, previews) as well as where credit is decided."""

from __future__ import annotations

import json
from decimal import Decimal

from sqlalchemy.orm import Session

from desktop_app.domain import credit_application as rules
from desktop_app.storage.models import Customer, Setting

RULE_KEY = "credit.new_customers"


def new_customer_rule(session: Session) -> rules.NewCustomerRule:
    row = session.get(Setting, RULE_KEY)
    if row is None:
        return rules.NewCustomerRule()
    body = json.loads(row.value)
    return rules.NewCustomerRule(body["rule"], Decimal(body["deposit_percent"]))


def pays_on_receipt(session: Session, customer: Customer) -> bool:
    """Whether the customer's invoices are due on receipt unless terms are chosen for one:
    its credit is not granted and the rule for such customers is cash only."""
    return not customer.credit_granted and new_customer_rule(session).rule == "cash_only"

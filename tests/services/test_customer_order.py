"""Customer lists in dictionary order, on both databases (their own collations differ)."""

from __future__ import annotations

from desktop_app.services import customers


def test_customers_are_listed_as_people_look_them_up(ready) -> None:
    existing = [c.name for c in customers.list_customers(ready)]
    for name in ("Blue Harbor Café", "Bäckerei Schmidt", "zeta Werkstatt", "Zander GmbH"):
        customers.add_customer(ready, name=name, email="ap@example.com")
    listed = [c.name for c in customers.list_customers(ready) if c.name not in existing]
    chosen = [c.name for c in customers.customer_choices(ready) if c.name not in existing]
    assert listed == chosen == ["Bäckerei Schmidt", "Blue Harbor Café", "Zander GmbH",
                                "zeta Werkstatt"]

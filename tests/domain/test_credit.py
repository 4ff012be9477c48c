"""Credit before goods: who may get a new invoice payable later."""

import pytest

from desktop_app.domain.credit import check_credit
from desktop_app.domain.errors import RuleViolation

BASE = {"customer": "Acme", "credit_status": "good", "limit_minor": None, "open_minor": 0,
        "new_minor": 100_00, "on_credit": True, "currency": "EUR"}


@pytest.mark.parametrize("status", ["hold", "cash_only"])
def test_no_new_credit_on_hold_or_cash_only_but_cash_on_the_spot_is_fine(status):
    with pytest.raises(RuleViolation, match="issue this invoice due on receipt"):
        check_credit(**{**BASE, "credit_status": status})
    check_credit(**{**BASE, "credit_status": status, "on_credit": False})


def test_the_credit_limit_counts_what_is_open_plus_the_new_invoice():
    check_credit(**{**BASE, "limit_minor": 500_00, "open_minor": 400_00})
    with pytest.raises(RuleViolation, match=r"would owe 500.01 EUR, over the credit limit of "
                                            r"500.00 EUR"):
        check_credit(**{**BASE, "limit_minor": 500_00, "open_minor": 400_01})

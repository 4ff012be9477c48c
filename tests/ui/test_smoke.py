from tests.ui.conftest import settle


def test_every_page_opens(window):
    for key in ("today", "customers", "invoices", "payments", "reports", "settings"):
        window.go(key)
        settle(window)
        assert window.current_page().key == key

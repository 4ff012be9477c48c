"""Forms as a new user meets them (issue 18): every refusal at once, each beside its field,
gone as soon as that field is edited; a form changed and closed unsaved asks first."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from shiboken6 import isValid

from desktop_app.services import company, customers
from desktop_app.ui.dialogs.customer_form import CustomerForm
from desktop_app.ui.widgets import ErrorLabel
from tests.ui.conftest import settle
from tests.ui.test_customers_ui import open_form
from tests.ui.test_settings_ui import settings_page

LEFT = Qt.MouseButton.LeftButton


def error_of(field) -> ErrorLabel:
    """The error line beneath a form field."""
    return field.parentWidget().findChild(ErrorLabel)


def test_every_refusal_shows_at_once_and_goes_when_its_field_is_edited(qtbot, window,
                                                                       ready_books):
    section = settings_page(qtbot, window, "Company").company
    qtbot.waitUntil(lambda: section.name.text() == "Lindenhof GmbH", timeout=5_000)
    section.email.setText("not an address")
    section.iban.setText("DE00 1234")
    qtbot.mouseClick(section.save, LEFT)
    errors = [error_of(f) for f in (section.email, section.iban)]
    qtbot.waitUntil(lambda: all(e.isVisible() for e in errors), timeout=5_000)
    assert all(e.text() for e in errors)
    assert company.get_company(ready_books).email == ""  # nothing changed
    qtbot.keyClicks(section.iban, "5")
    assert not errors[1].isVisible()
    assert errors[0].isVisible()


def test_the_customer_form_shows_every_refusal_at_once(qtbot, window, ready_books):
    form = open_form(qtbot, window)
    assert isinstance(form, CustomerForm)
    before = customers.list_customers(ready_books)
    form.name.setText("Acme Plumbing Ltd")
    form.email.setText("not an address")
    form.vat_id.setText("DE12")
    form.country.setText("Q")
    form.ok_button.click()
    errors = [error_of(f) for f in (form.email, form.vat_id, form.country)]
    qtbot.waitUntil(lambda: all(e.isVisible() for e in errors))
    assert all(e.text() for e in errors) and not error_of(form.name).text()
    assert customers.list_customers(ready_books) == before  # nothing changed
    qtbot.keyClicks(form.vat_id, "3")
    assert not errors[1].isVisible() and errors[0].isVisible()


def test_a_changed_form_asks_before_it_closes_unsaved(qtbot, window, ready_books):
    form = open_form(qtbot, window)
    assert isinstance(form, CustomerForm)
    qtbot.keyClicks(form.name, "Acme Plumbing Ltd")
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: form.ask is not None and form.ask.isVisible())
    ask = form.ask
    assert isinstance(ask, QMessageBox)
    ask.button(QMessageBox.StandardButton.Cancel).click()
    assert form.isVisible() and form.name.text() == "Acme Plumbing Ltd"
    form.reject()
    qtbot.waitUntil(lambda: form.ask is not ask and form.ask.isVisible())
    save, = [b for b in form.ask.buttons() if b.text() == form.ok_button.text()]
    save.click()
    settle(window)
    qtbot.waitUntil(lambda: not isValid(form) or not form.isVisible())
    assert any(c.name == "Acme Plumbing Ltd" for c in customers.list_customers(ready_books))


def test_an_untouched_form_closes_without_a_question(qtbot, window):
    form = open_form(qtbot, window)
    assert not form.dirty
    form.reject()
    qtbot.waitUntil(lambda: not isValid(form) or not form.isVisible())

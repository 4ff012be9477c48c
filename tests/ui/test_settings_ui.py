"""Settings and the first run, through the window."""

from decimal import Decimal

from PySide6.QtCore import Qt

from desktop_app.domain.credit_application import NewCustomerRule
from desktop_app.services import company, credit_applications, customers, invoices, terms
from desktop_app.services.books import open_books
from desktop_app.ui import translate
from desktop_app.ui.dialogs.first_run import FirstRun
from desktop_app.ui.dialogs.pdf_preview import PdfPreview
from desktop_app.ui.pages.settings import DB_TARGET_KEY
from tests.support.books import fixed_clock
from tests.ui.conftest import find_dialog, settle

PNG_1X1 = bytes.fromhex(  # one green pixel, a valid PNG
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6390cf0ffa0f00037101e0b2d921990000000049454e44ae426082")


def settings_page(qtbot, window, section: str):
    window.go("settings", section=section)
    settle(window)
    return window.pages["settings"]


def test_company_refusal_beside_the_iban_then_saved_with_a_logo(qtbot, window, ready_books,
                                                                 tmp_path):
    page = settings_page(qtbot, window, "Company")
    section = page.company
    qtbot.waitUntil(lambda: section.name.text() == "Lindenhof GmbH", timeout=5_000)
    section.phone.setText("+49 30 1234")
    section.iban.setText("DE00 1234")
    qtbot.mouseClick(section.save, Qt.MouseButton.LeftButton)
    iban_error = section.iban.parentWidget().findChild(type(section.banner))
    qtbot.waitUntil(iban_error.isVisible, timeout=5_000)
    assert iban_error.text() == "'DE00 1234' is not an IBAN."
    assert section.phone.text() == "+49 30 1234"
    assert company.get_company(ready_books).phone == ""

    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG_1X1)
    section.logo_path = str(logo)
    section.iban.setText("DE89 3704 0044 0532 0130 00")
    qtbot.mouseClick(section.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.note.text() == "Saved Lindenhof GmbH.", timeout=5_000)
    saved = company.get_company(ready_books)
    assert (saved.phone, saved.has_logo) == ("+49 30 1234", True)
    assert not iban_error.isVisible()


def test_the_company_legal_data_refused_beside_the_vat_id_then_saved(qtbot, window,
                                                                     ready_books):
    section = settings_page(qtbot, window, "Company").company
    qtbot.waitUntil(lambda: section.name.text() == "Lindenhof GmbH", timeout=5_000)
    section.vat_id.setText("DE123456789")  # a wrong check digit
    section.register.setText("Amtsgericht Berlin, HRB 1")
    qtbot.mouseClick(section.save, Qt.MouseButton.LeftButton)
    vat_error = section.vat_id.parentWidget().findChild(type(section.banner))
    qtbot.waitUntil(vat_error.isVisible, timeout=5_000)
    assert "not a valid VAT ID" in vat_error.text()
    assert section.register.text() == "Amtsgericht Berlin, HRB 1"  # what was typed stays

    section.vat_id.setText("DE 136 695 976")
    section.signer_name.setText("Eva Linde")
    section.small_business.setChecked(True)
    qtbot.mouseClick(section.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.note.text() == "Saved Lindenhof GmbH.", timeout=5_000)
    saved = company.get_company(ready_books)
    assert (saved.vat_id, saved.register, saved.signer_name, saved.small_business) == (
        "DE136695976", "Amtsgericht Berlin, HRB 1", "Eva Linde", True)


def test_terms_added_and_edited(qtbot, window, ready_books):
    section = settings_page(qtbot, window, "Payment terms").terms
    qtbot.waitUntil(lambda: section.table.rowCount() == 2, timeout=5_000)
    section.name.setText("Net 14")
    section.net_days.setText("14")
    section.late_fee.setText("2.50")
    section.fee_rule.setCurrentIndex(section.fee_rule.findData("once_per_invoice"))
    qtbot.mouseClick(section.add, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.table.rowCount() == 3, timeout=5_000)

    section.table.selectRow([section.table.item(r, 0).text()
                             for r in range(3)].index("Net 14"))
    assert section.net_days.text() == "14"
    section.net_days.setText("soon")
    qtbot.mouseClick(section.update_, Qt.MouseButton.LeftButton)
    days_error = section.net_days.parentWidget().findChild(type(section.banner))
    qtbot.waitUntil(days_error.isVisible, timeout=5_000)
    assert days_error.text() == "'soon' is not a whole number of days."
    section.net_days.setText("21")
    section.default.setChecked(True)
    qtbot.mouseClick(section.update_, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.note.text() == "Saved Net 14.", timeout=5_000)
    changed = next(t for t in terms.list_terms(ready_books) if t.name == "Net 14")
    assert (changed.net_days, changed.late_fee, changed.is_default) == (21, Decimal("2.50"),
                                                                          True)
    assert changed.fee_rule == "once_per_invoice"  # how the fee is charged, as chosen


def test_statutory_terms_from_the_window_charge_their_flat_sum_once_per_invoice(
        qtbot, window, ready_books):
    """The law sets the fee and how it is charged: the form rests those fields and the
    terms charge the flat sum once per invoice, never per reminder."""
    section = settings_page(qtbot, window, "Payment terms").terms
    qtbot.waitUntil(lambda: section.table.rowCount() == 2, timeout=5_000)
    section.name.setText("BGB")
    section.net_days.setText("14")
    section.late_fee.setText("5.00")  # typed before choosing the law: not charged
    section.late_rule.setCurrentIndex(section.late_rule.findData("de_288"))
    assert not section.late_fee.isEnabled() and not section.fee_rule.isEnabled()
    qtbot.mouseClick(section.add, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.table.rowCount() == 3, timeout=5_000)
    added = next(t for t in terms.list_terms(ready_books) if t.name == "BGB")
    assert (added.late_rule, added.fee_rule, added.late_fee) == (
        "de_288", "once_per_invoice", Decimal("0.00"))
    row = [section.table.item(r, 0).text() for r in range(3)].index("BGB")
    assert section.table.item(row, 3).text() == "German law, § 288 BGB"


def test_envelope_offsets_and_the_calibration_page(qtbot, window, ready_books):
    section = settings_page(qtbot, window, "Paper and envelopes").paper
    section.paper.setCurrentIndex(section.paper.findData("letter"))
    section.dx.setValue(2.5)
    section.dy.setValue(-1.5)
    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.note.text() == "Saved.", timeout=5_000)
    saved = company.get_company(ready_books)
    assert (saved.paper, saved.envelope_dx_mm, saved.envelope_dy_mm) == (
        "letter", Decimal("2.5"), Decimal("-1.5"))
    section.calibration()
    preview = find_dialog(qtbot, PdfPreview)
    assert "Offsets: right +2.5 mm, down -1.5 mm" in preview.document.getAllText(0).text()
    assert round(preview.document.pagePointSize(0).width()) == 612  # US Letter


def test_backup_now_writes_a_copy(qtbot, window, tmp_path):
    section = settings_page(qtbot, window, "Backups").backups
    target = tmp_path / "copy.sqlite3"
    section.backup_now(target)
    qtbot.waitUntil(lambda: section.note.text() == f"Backup written to {target}.",
                    timeout=10_000)
    restored = open_books(target, actor="tester", clock=fixed_clock)
    assert company.get_company(restored).name == "Lindenhof GmbH"
    restored.close()


def test_database_choice_refuses_a_password_and_is_kept_for_the_next_start(qtbot, window):
    section = settings_page(qtbot, window, "The books").database
    section.shared.setChecked(True)
    section.url.setText("postgresql://office:secret@server/books")
    section.save()
    url_error = section.url.parentWidget().findChild(type(section.banner))
    assert url_error.isVisible() and url_error.text().startswith("Leave the password out")
    assert section.settings.value(DB_TARGET_KEY) in (None, "")
    section.url.setText("postgresql://office@server/books")
    section.save()
    assert section.settings.value(DB_TARGET_KEY) == "postgresql://office@server/books"
    assert section.url.text() == "postgresql://office@server/books"


def test_first_run_sets_up_the_company_and_the_demo(qtbot, open_window, books_file):
    books = open_books(books_file, actor="tester", clock=fixed_clock)
    window = open_window(books, first_run=True)
    wizard = find_dialog(qtbot, FirstRun)
    qtbot.mouseClick(wizard.next, Qt.MouseButton.LeftButton)
    name_error = wizard.name.parentWidget().findChild(type(wizard.banner))
    assert name_error.text() == "Your company needs a name."
    assert wizard.steps.currentIndex() == 0
    qtbot.keyClicks(wizard.name, "Lindenhof GmbH")
    wizard.address.setPlainText("Lindenstr. 1\nBerlin")
    for _ in range(3):
        qtbot.mouseClick(wizard.next, Qt.MouseButton.LeftButton)
    wizard.currency.setText("E1R")
    qtbot.mouseClick(wizard.next, Qt.MouseButton.LeftButton)
    wizard.demo.setChecked(True)
    assert wizard.next.text() == "Start"
    qtbot.mouseClick(wizard.next, Qt.MouseButton.LeftButton)
    currency_error = wizard.currency.parentWidget().findChild(type(wizard.banner))
    qtbot.waitUntil(currency_error.isVisible, timeout=10_000)
    assert wizard.steps.currentIndex() == 3  # back on the step with the field
    assert currency_error.text() == "'E1R' is not a three-letter ISO 4217 code."
    assert wizard.name.text() == "Lindenhof GmbH"

    wizard.currency.setText("CHF")
    qtbot.mouseClick(wizard.next, Qt.MouseButton.LeftButton)
    translate.use(translate.Language("de", "de_DE"))  # the demo is made in German
    try:
        with qtbot.waitSignal(wizard.finished, timeout=60_000):
            qtbot.mouseClick(wizard.next, Qt.MouseButton.LeftButton)
    finally:
        translate.use(translate.Language("en", "en_US"))
    assert {t.name for t in terms.list_terms(books)} == {
        "30 Tage netto", "14 Tage netto", "2 % Skonto binnen 10 Tagen, 30 Tage netto",
        "Zahlbar sofort nach Erhalt"}
    assert company.get_company(books).currency == "CHF"
    assert window.current_page().key == "today"  # the wizard ends on Today
    page = window.pages["invoices"]
    # Sixty invoices, and those of the demo's retainer and accepted quote.
    made = invoices.count_invoices(books)
    assert made >= 60
    qtbot.waitUntil(lambda: page.model.rowCount() == made, timeout=20_000)


def test_the_rule_for_customers_without_credit_is_set_in_the_window(qtbot, window,
                                                                    ready_books):
    newcomer = customers.add_customer(ready_books, name="Neukunde GmbH").id
    section = settings_page(qtbot, window, "Credit for new customers").credit
    qtbot.waitUntil(lambda: section.current is not None, timeout=5_000)
    assert section.rule.currentData() == "cash_only" and not section.deposit.isEnabled()
    assert section.deposit.text() == "30"
    section.rule.setCurrentIndex(section.rule.findData("deposit"))
    assert section.deposit.isEnabled()
    section.deposit.setText("150")
    qtbot.mouseClick(section.buttons.itemAt(0).widget(), Qt.MouseButton.LeftButton)
    percent_error = section.deposit.parentWidget().findChild(type(section.banner))
    qtbot.waitUntil(percent_error.isVisible, timeout=5_000)
    assert percent_error.text() == "Must be more than 0 and at most 100."
    assert credit_applications.get_new_customer_rule(ready_books).rule == "cash_only"
    section.deposit.setText("40")
    qtbot.mouseClick(section.buttons.itemAt(0).widget(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.note.text().startswith("Saved"), timeout=5_000)
    assert section.note.text() == ("Saved: customers without credit pay a deposit of at least "
                                   "40 % on issue.")
    assert credit_applications.get_new_customer_rule(ready_books) == NewCustomerRule(
        "deposit", Decimal(40))
    # The customer's page says the rule as it now is.
    window.go("customers", customer_id=newcomer)
    page = window.pages["customers"]
    qtbot.waitUntil(lambda: page.detail.data is not None
                    and page.detail.data.customer.id == newcomer, timeout=10_000)
    qtbot.waitUntil(lambda: "40 %" in page.detail.credit_application.standing.text(),
                    timeout=10_000)

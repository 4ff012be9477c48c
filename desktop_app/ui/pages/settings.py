"""Settings: company, payment terms, paper and envelopes, backups, the database.

Each section is a small form whose refusals appear beside their fields. The follow-up policy
and the mail account join as further sections (``SettingsPage.add_section``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt
from PySide6.QtGui import QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from desktop_app import paths
from desktop_app.domain.errors import PaidUpError
from desktop_app.services import backups, books_location, company, terms
from desktop_app.services.records import CompanyView, TermsView
from desktop_app.ui import display
from desktop_app.ui.context import Context
from desktop_app.ui.dialogs.invoice_actions import choice_box
from desktop_app.ui.ops import Changes
from desktop_app.ui.pages.base import Page
from desktop_app.ui.pages.section import Section
from desktop_app.ui.pages.settings_credit import CreditSection
from desktop_app.ui.pages.settings_followup import PolicySection, TemplatesSection
from desktop_app.ui.pages.settings_language import LanguageSection
from desktop_app.ui.pages.settings_mail import MailSection, PaymentsSection
from desktop_app.ui.pages.settings_quotes import QuotesSection
from desktop_app.ui.translate import _
from desktop_app.ui.widgets import NoteLabel
from desktop_app.ui.window_state import DB_TARGET_KEY

# The seller's legal data and payment details shown as one-line fields.
LEGAL_FIELDS = ("register", "directors", "signer_name", "signer_title", "bank_name",
                "account_holder", "account_number", "routing_number", "correspondent_account",
                "kpp", "checks_payable_to")


class CompanySection(Section):
    watches = Changes.COMPANY
    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx, _("Your company"),
                         _("Printed on every invoice and letter."))
        self.name = self.add_field(_("Name"), "name", QLineEdit())
        self.address = self.add_field(_("Address"), "address", QPlainTextEdit())
        self.address.setMaximumHeight(80)
        self.email = self.add_field(_("Email"), "email", QLineEdit())
        self.phone = self.add_field(_("Phone"), "phone", QLineEdit())
        self.country = self.add_field(_("Country"), "country", QLineEdit())
        self.country.setMaxLength(2)
        self.country.setToolTip(_("Two-letter code such as DE, FR, US: decides the VAT category "
                                "a customer abroad is proposed and how payment details print"))
        self.vat_id = self.add_field(_("VAT ID"), "vat-id", QLineEdit())
        self.tax_id = self.add_field(_("Tax number"), "tax_id", QLineEdit())
        self.small_business = self.add_field("", "small-business", QCheckBox(
            _("Small business: no VAT charged (§ 19 UStG and the like)")))
        self.register = self.add_field(_("Register"), "register", QLineEdit())
        self.register.setPlaceholderText(_("Amtsgericht Hamburg, HRB 123456"))
        self.directors = self.add_field(_("Managing directors"), "directors", QLineEdit())
        self.signer_name = self.add_field(_("Letters signed by"), "signer-name", QLineEdit())
        self.signer_title = self.add_field(_("Their title"), "signer-title", QLineEdit())
        self.iban = self.add_field(_("IBAN"), "iban", QLineEdit())
        self.bic = self.add_field(_("BIC (BIK in Russia)"), "bic", QLineEdit())
        self.bank_name = self.add_field(_("Bank"), "bank-name", QLineEdit())
        self.account_holder = self.add_field(_("Account holder"), "account-holder", QLineEdit())
        self.account_number = self.add_field(_("Account number"), "account-number", QLineEdit())
        self.routing_number = self.add_field(_("Routing number"), "routing-number", QLineEdit())
        self.correspondent_account = self.add_field(_("Correspondent account"),
                                                    "correspondent-account", QLineEdit())
        self.kpp = self.add_field(_("KPP (Russia)"), "kpp", QLineEdit())
        self.checks_payable_to = self.add_field(_("Checks payable to"), "checks-payable-to",
                                                QLineEdit())
        self.remit_to = self.add_field(_("Remit-to address"), "remit-to", QPlainTextEdit())
        self.remit_to.setMaximumHeight(60)
        self.currency = self.add_field(_("Currency"), "currency", QLineEdit())
        self.currency.setMaxLength(3)
        self.currency.setToolTip(_("Three-letter code such as EUR, USD, GBP; fixed once invoices "
                                 "exist"))
        self.number_format = self.add_field(_("Invoice numbers"), "number-format", QLineEdit())
        self.number_format.setToolTip(_("{year} and {seq} are filled in, e.g. INV-{year}-{seq:04d}"
                                      " gives INV-2026-0001"))
        self.logo = QLabel(_("No logo"))
        self.logo.setMinimumHeight(64)
        self.logo_path = ""
        choose = QPushButton(_("Choose logo…"))
        choose.clicked.connect(self.choose_logo)
        logo_row = QWidget()
        logo_layout = QHBoxLayout(logo_row)
        logo_layout.setContentsMargins(0, 0, 0, 0)
        logo_layout.addWidget(self.logo)
        logo_layout.addWidget(choose)
        logo_layout.addStretch(1)
        self.add_field(_("Logo"), "logo", logo_row)
        self.save = self.button(_("Save company"), self.save_company)

    def refresh(self) -> None:
        self.ctx.ops.query(lambda books: (company.get_company(books),
                                          company.company_logo(books)),
                           self._show, owner=self, on_refused=lambda _exc: None)

    def _show(self, loaded: tuple[CompanyView, bytes | None]) -> None:
        view, logo = loaded
        for widget, value in ((self.name, view.name), (self.email, view.email),
                              (self.phone, view.phone), (self.tax_id, view.tax_id),
                              (self.iban, view.iban), (self.bic, view.bic),
                              (self.currency, view.currency),
                              (self.number_format, view.number_format),
                              (self.country, view.country), (self.vat_id, view.vat_id),
                              *((getattr(self, name), getattr(view, name))
                                for name in LEGAL_FIELDS)):
            widget.setText(value)
        self.address.setPlainText(view.address)
        self.remit_to.setPlainText(view.remit_to)
        self.small_business.setChecked(view.small_business)
        if logo:
            pixmap = QPixmap()
            pixmap.loadFromData(QByteArray(logo))
            self._show_logo(pixmap)

    def _show_logo(self, pixmap: QPixmap) -> None:
        if pixmap.isNull():
            self.logo.setText(_("No logo"))
            return
        ratio = self.devicePixelRatioF()
        scaled = pixmap.scaledToHeight(round(64 * ratio),
                                       Qt.TransformationMode.SmoothTransformation)
        scaled.setDevicePixelRatio(ratio)
        self.logo.setPixmap(scaled)

    def choose_logo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Choose a logo"), "",
                                              _("Images (*.png *.jpg *.jpeg)"))
        if path:
            self.logo_path = path
            self._show_logo(QPixmap(path))

    def save_company(self) -> None:
        values = dict(
            name=self.name.text(), address=self.address.toPlainText(), email=self.email.text(),
            phone=self.phone.text(), tax_id=self.tax_id.text(), iban=self.iban.text(),
            bic=self.bic.text(), currency=self.currency.text().strip().upper(),
            number_format=self.number_format.text(), logo=self.logo_path or None,
            country=self.country.text(), vat_id=self.vat_id.text(),
            small_business=self.small_business.isChecked(),
            remit_to=self.remit_to.toPlainText(),
            **{name: getattr(self, name).text() for name in LEGAL_FIELDS})
        self.run(lambda books: company.set_company(books, **values),
                 lambda view: self.note.setText(_("Saved {name}.").format(name=view.name)))


class TermsSection(Section):
    watches = Changes.TERMS
    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx, _("Payment terms"),
                         _("Named terms you give customers and invoices. Changing terms affects "
                         "drafts and future invoices; issued invoices keep theirs."))
        self.rows: list[TermsView] = []
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels((_("Name"), _("Net days"), _("Early discount"),
                                              _("Late fee"), _("Interest a year"), _("Default")))
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setMaximumHeight(200)
        self.table.itemSelectionChanged.connect(self._picked)
        self.layout_.insertWidget(2, self.table)
        self.name = self.add_field(_("Name"), "name", QLineEdit())
        self.net_days = self.add_field(_("Net days"), "net-days", QLineEdit("30"))
        self.discount = self.add_field(_("Early discount %"), "discount-percent", QLineEdit("0"))
        self.discount_days = self.add_field(_("… if paid within days"), "discount-days",
                                            QLineEdit("0"))
        self.late_rule = self.add_field(_("Paying late"), "late-rule",
                                        choice_box(display.LATE_RULES))
        self.late_rule.currentIndexChanged.connect(self._late_rule_chosen)
        self.late_fee = self.add_field(_("Late fee"), "late-fee", QLineEdit("0"))
        self.fee_rule = self.add_field(_("… charged"), "fee-rule", choice_box(display.FEE_RULES))
        self.interest = self.add_field(_("Interest % a year"), "interest-annual", QLineEdit("0"))
        self.grace = self.add_field(_("Grace days"), "grace-days", QLineEdit("0"))
        self.instructions = self.add_field(_("Payment instructions"), "instructions",
                                           QPlainTextEdit())
        self.instructions.setMaximumHeight(60)
        self.default = self.add_field("", "default", QCheckBox(_("Default for new customers")))
        self.add = self.button(_("Add as new terms"), self.add_terms)
        self.update_ = self.button(_("Save changes"), self.update_terms)
        self.update_.setEnabled(False)

    def refresh(self) -> None:
        self.ctx.ops.query(terms.list_terms, self._show, owner=self,
                           on_refused=lambda _exc: None)

    def _show(self, rows: list[TermsView]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, t in enumerate(rows):
            discount = (_("{number} % in {discount_days} days").format(
                          number=display.number(t.discount_percent), discount_days=t.discount_days)
                        if t.discount_percent else "")
            statutory = display.LATE_RULES[t.late_rule].split(" (")[0] if t.late_rule else ""
            cells = (t.name, str(t.net_days), discount,
                     statutory or (display.number(t.late_fee) if t.late_fee else ""),
                     statutory or (f"{display.number(t.interest_annual_percent)} %"
                                   if t.interest_annual_percent else ""),
                     _("Yes") if t.is_default else "")
            for c, value in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(value))

    def selected(self) -> TermsView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def _picked(self) -> None:
        t = self.selected()
        self.update_.setEnabled(t is not None)
        if t is None:
            return
        self.name.setText(t.name)
        self.net_days.setText(str(t.net_days))
        self.discount.setText(display.number(t.discount_percent))
        self.discount_days.setText(str(t.discount_days))
        self.late_rule.setCurrentIndex(max(self.late_rule.findData(t.late_rule), 0))
        self.late_fee.setText(display.number(t.late_fee))
        self.fee_rule.setCurrentIndex(max(self.fee_rule.findData(t.fee_rule), 0))
        self.interest.setText(display.number(t.interest_annual_percent))
        self.grace.setText(str(t.grace_days))
        self.instructions.setPlainText(t.instructions)
        self.default.setChecked(t.is_default)

    def _late_rule_chosen(self) -> None:
        """The law sets the fee, how it is charged and the rate: those fields rest."""
        statutory = bool(self.late_rule.currentData())
        for field in (self.late_fee, self.fee_rule, self.interest):
            field.setEnabled(not statutory)

    def _typed(self) -> dict[str, Any] | None:
        """The form's values, or None with the refusal beside the field it names."""
        self.errors.clear()
        try:
            return self._values()
        except PaidUpError as exc:
            self.errors.show(exc)
            return None

    def _values(self) -> dict[str, Any]:
        statutory = bool(self.late_rule.currentData())
        return dict(
            name=self.name.text(), net_days=self.net_days.text().strip(),
            discount_percent=display.plain_number(self.discount.text(),
                                                  "discount-percent") or "0",
            discount_days=self.discount_days.text().strip() or "0",
            late_rule=self.late_rule.currentData(),
            late_fee="0" if statutory
            else display.plain_number(self.late_fee.text(), "late-fee") or "0",
            fee_rule=None if statutory else self.fee_rule.currentData(),
            interest_annual_percent=display.plain_number(self.interest.text(),
                                                         "interest-annual") or "0",
            grace_days=self.grace.text().strip() or "0",
            instructions=self.instructions.toPlainText(), make_default=self.default.isChecked())

    def add_terms(self) -> None:
        values = self._typed()
        if values is None:
            return
        self.run(lambda books: terms.add_terms(books, **values),
                 lambda view: self.note.setText(_("Added {name}.").format(name=view.name)))

    def update_terms(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        values = self._typed()
        if values is None:
            return
        self.run(lambda books: terms.update_terms(books, chosen.id, **values),
                 lambda view: self.note.setText(_("Saved {name}.").format(name=view.name)))


class PaperSection(Section):
    watches = Changes.COMPANY
    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx, _("Paper and envelopes"),
                         _("Letters put the customer's address where a window envelope shows it. "
                         "If your printer shifts the page, print the calibration page, measure "
                         "how far the frame is off, and enter that here."))
        self.paper = self.add_field(_("Paper"), "paper", choice_box(display.PAPER, "a4"))
        self.dx = self.add_field(_("Move the address right"), "envelope-dx-mm", self._mm())
        self.dy = self.add_field(_("Move the address down"), "envelope-dy-mm", self._mm())
        self.save_button = self.button(_("Save"), self.save)
        self.button(_("Calibration page…"), self.calibration,
                    _("A test page with the envelope window framed, to print and hold up"))

    @staticmethod
    def _mm() -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(-30, 30)
        spin.setDecimals(1)
        spin.setSingleStep(0.5)
        spin.setSuffix(_(" mm"))
        return spin

    def refresh(self) -> None:
        self.ctx.ops.query(company.get_company, self._show, owner=self,
                           on_refused=lambda _exc: None)

    def _show(self, view: CompanyView) -> None:
        self.paper.setCurrentIndex(max(self.paper.findData(view.paper), 0))
        self.dx.setValue(float(view.envelope_dx_mm))
        self.dy.setValue(float(view.envelope_dy_mm))

    @staticmethod
    def _decimal(spin: QDoubleSpinBox) -> Decimal:
        # The spin box holds a binary float; one decimal place is what the user chose.
        return Decimal(f"{spin.value():.1f}")

    def save(self) -> None:
        paper, dx, dy = self.paper.currentData(), self._decimal(self.dx), self._decimal(self.dy)
        self.run(lambda books: company.set_company(books, paper=paper, envelope_dx_mm=dx,
                                                   envelope_dy_mm=dy),
                 lambda _view: self.note.setText(_("Saved.")))

    def calibration(self) -> None:
        self.ctx.ops.query(company.calibration_pdf,
                           lambda pdf: self.ctx.show_pdf(pdf, _("Envelope calibration page"),
                                                         "calibration.pdf"),
                           owner=self, on_refused=self.errors.show)


class BackupSection(Section):
    def __init__(self, ctx: Context, location: str, is_sqlite: bool) -> None:
        super().__init__(ctx, _("Backups"),
                         _("PaidUp keeps a copy before every upgrade of your books. Make one "
                         "yourself before big changes, and keep copies on another disk."))
        folder = NoteLabel(_("Automatic copies go to {backup_dir}").format(
                             backup_dir=paths.backup_dir()))
        self.form.addRow("", folder)
        self.button(_("Back up now"), self.backup_now)
        self.button(_("Back up to a file…"), self.backup_to)
        restore = self.button(_("Restore from a backup…"), self.restore)
        restore.setEnabled(is_sqlite)
        if not is_sqlite:
            restore.setToolTip(_("A shared PostgreSQL database is restored by its administrator"))
        self.location = location

    def backup_now(self, target: Path | None = None) -> None:
        self.run(lambda books: backups.backup_now(books, target),
                 lambda path: self.note.setText(_("Backup written to {path}.").format(path=path)))

    def backup_to(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Back up to"), "paidup-backup.sqlite3",
                                              _("PaidUp backup (*.sqlite3 *.dump)"))
        if path:
            self.backup_now(Path(path))

    def restore(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Restore from a backup"),
                                              str(paths.backup_dir()),
                                              _("PaidUp backup (*.sqlite3)"))
        if path:
            self.restore_from(Path(path))

    def restore_from(self, source: Path) -> None:
        """Checks the file, keeps a copy of the current books, then puts the backup in place."""
        self.run(lambda books: backups.restore(books, source),
                 lambda safety: self.note.setText(
                     _("Restored from {source}. The books as they were are kept in "
                       "{safety}.").format(source=source, safety=safety)))


@dataclass(frozen=True)
class DatabaseChoice:
    target: str  # a file path or a PostgreSQL URL (without a password)


class DatabaseSection(Section):
    def __init__(self, ctx: Context, location: str, settings: QSettings,
                 reopen: Callable[[str], None]) -> None:
        super().__init__(ctx, _("The books"),
                         _("Where PaidUp keeps your books: a file on this computer, or a "
                         "PostgreSQL server that a small office shares."))
        self.settings, self.reopen = settings, reopen
        self.form.addRow(_("In use now"), NoteLabel(location))
        self.local = QRadioButton(_("A file on this computer"))
        self.shared = QRadioButton(_("A shared PostgreSQL server"))
        group = QButtonGroup(self)
        group.addButton(self.local)
        group.addButton(self.shared)
        self.file = QLineEdit()
        browse = QPushButton(_("Choose…"))
        browse.clicked.connect(self.choose_file)
        file_row = QWidget()
        file_layout = QHBoxLayout(file_row)
        file_layout.setContentsMargins(0, 0, 0, 0)
        file_layout.addWidget(self.file, 1)
        file_layout.addWidget(browse)
        self.url = QLineEdit()
        self.url.setPlaceholderText(books_location.SERVER_EXAMPLE)
        self.form.addRow(self.local)
        self.add_field(_("File"), "file", file_row)
        self.form.addRow(self.shared)
        self.add_field(_("Server"), "url", self.url)
        self.button(_("Use from next start"), self.save,
                    _("PaidUp opens these books the next time it starts"))
        self.button(_("Open now"), self.open_now, _("Close these books and open the chosen ones"))
        saved = str(settings.value(DB_TARGET_KEY, "") or "")
        is_url = "://" in saved
        self.shared.setChecked(is_url)
        self.local.setChecked(not is_url)
        self.url.setText(saved if is_url else "")
        self.file.setText(saved if saved and not is_url else str(paths.default_database()))

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Books file"), self.file.text(), _("PaidUp books (*.sqlite3)"),
            options=QFileDialog.Option.DontConfirmOverwrite)
        if path:
            self.file.setText(path)
            self.local.setChecked(True)

    def choice(self) -> DatabaseChoice | None:
        self.errors.clear()
        try:
            if self.local.isChecked():
                return DatabaseChoice(books_location.check_books_location("file",
                                                                          self.file.text()))
            return DatabaseChoice(books_location.check_books_location("url", self.url.text()))
        except PaidUpError as exc:
            self.errors.show(exc)
            return None

    def save(self) -> None:
        choice = self.choice()
        if choice is not None:
            self.settings.setValue(DB_TARGET_KEY, choice.target)
            self.settings.sync()
            self.note.setText(_("PaidUp opens these books from its next start."))

    def open_now(self) -> None:
        choice = self.choice()
        if choice is not None:
            self.settings.setValue(DB_TARGET_KEY, choice.target)
            self.settings.sync()
            self.reopen(choice.target)


class SettingsPage(Page):
    key = "settings"
    watches = Changes.COMPANY | Changes.TERMS

    def __init__(self, ctx: Context, settings: QSettings, reopen: Callable[[str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        books = ctx.ops.books
        self.nav = QListWidget()
        self.nav.setFixedWidth(190)
        self.nav.setSpacing(2)
        self.nav.setFrameShape(QListWidget.Shape.NoFrame)
        self.nav.viewport().setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.stack = QStackedWidget()
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.company = CompanySection(ctx)
        self.terms = TermsSection(ctx)
        self.paper = PaperSection(ctx)
        self.backups = BackupSection(ctx, books.location, books.db.is_sqlite)
        self.database = DatabaseSection(ctx, books.location, settings, reopen)
        self.sections: list[Section] = []
        self.mail = MailSection(ctx)
        self.payments = PaymentsSection(ctx)
        self.policy = PolicySection(ctx)
        self.templates = TemplatesSection(ctx)
        self.language = LanguageSection(ctx, settings)
        self.quotes = QuotesSection(ctx)
        self.credit = CreditSection(ctx)
        for title, section in ((_("Company"), self.company), (_("Payment terms"), self.terms),
                               (_("Credit for new customers"), self.credit),
                               (_("Payments"), self.payments), (_("Mail"), self.mail),
                               (_("Follow-up policy"), self.policy), (_("Quotes"), self.quotes),
                               (_("Letters and emails"), self.templates),
                               (_("Paper and envelopes"), self.paper), (_("Backups"), self.backups),
                               (_("Language"), self.language),
                               (_("The books"), self.database)):
            self.add_section(title, section, wide=section is self.templates)
        layout = QHBoxLayout(self)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.nav.setCurrentRow(0)

    def add_section(self, title: str, section: Section, wide: bool = False) -> None:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        if not wide:
            section.setMaximumWidth(760)
        scroll.setWidget(section)
        self.stack.addWidget(scroll)
        item = QListWidgetItem(title)
        item.setSizeHint(QSize(0, self.fontMetrics().height() * 2))
        self.nav.addItem(item)
        self.sections.append(section)

    def refresh(self) -> None:
        for section in self.sections:
            section.refresh()

    def on_changed(self, changes: Changes) -> None:
        if self._stale:
            return  # not shown yet: everything loads on first show
        for section in self.sections:
            if section.watches & changes:
                section.refresh()

    def show_item(self, **what: Any) -> None:
        if "section" in what:
            titles = [self.nav.item(i).text() for i in range(self.nav.count())]
            section = what["section"]
            wanted = _(section)  # callers name a section in English
            if wanted in titles:
                self.nav.setCurrentRow(titles.index(wanted))

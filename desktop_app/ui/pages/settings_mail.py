"""Settings › Mail: the account reminders are sent from (password straight to the keyring,
never shown back), a login test with the server's own words, Microsoft 365 sign-in, the Sent
folder; and Settings › Payments: what a payment settles first."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import PaidUpError
from desktop_app.services import mail, payments
from desktop_app.services.books import Books
from desktop_app.services.mail import AccountView, DeviceSignIn, ImapSettings
from desktop_app.services.mail_presets import account_presets, preset_of, signs_in
from desktop_app.ui import display
from desktop_app.ui.context import Context
from desktop_app.ui.dialogs.invoice_actions import choice_box
from desktop_app.ui.ops import Progress
from desktop_app.ui.pages.section import Section
from desktop_app.ui.translate import N_, Words, _
from desktop_app.ui.widgets import NoteLabel

SECURITY = Words({"starttls": N_("STARTTLS (usually port 587)"),
                  "ssl": N_("SSL/TLS (usually port 465)"),
            "plain": N_("None (only a server on this computer)")})
IMAP_SECURITY = Words({"ssl": N_("SSL/TLS (usually port 993)"),
                       "starttls": N_("STARTTLS (usually 143)")})
KEPT = N_("Kept in this computer's keyring; type a new one to replace it")


def _port(value: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(1, 65535)
    spin.setValue(value)
    spin.setMaximumWidth(120)
    return spin


class CancellableFlow(dict):  # type: ignore[type-arg]
    """MSAL polls until the flow's ``expires_at`` has passed (its documented way to stop a
    device-code wait): reading it as 0 once the user cancels ends the wait within a second."""

    def __init__(self, flow: dict[str, Any], progress: Progress) -> None:
        super().__init__(flow)
        self.progress = progress

    def get(self, key: str, default: Any = None) -> Any:
        if key == "expires_at" and self.progress.cancelled:
            return 0
        return super().get(key, default)


class MailSection(Section):
    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx, _("Mail"),
                         _("The account reminders and invoices are sent from. The password "
                         "goes to this computer's keyring, never into the books or a file."))
        self.loaded: AccountView | None = None
        self.sign_in: DeviceSignIn | None = None
        self.preset = self.add_field(_("Provider"), "preset", QComboBox())
        for key, preset in account_presets().items():
            self.preset.addItem(preset.label, key)
        self.preset.setCurrentIndex(self.preset.findData("generic"))
        self.preset.activated.connect(lambda _i: self._preset_chosen())
        self.hint = NoteLabel()  # wraps: a provider's note is longer than a narrow window
        self.hint.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.form.addRow("", self.hint)
        self.host = self.add_field(_("Outgoing server"), "host", QLineEdit())
        self.host.setPlaceholderText("smtp.example.com")
        self.port = self.add_field(_("Port"), "port", _port(587))
        self.security = self.add_field(_("Encryption"), "security",
                                       choice_box(SECURITY, "starttls"))
        self.from_address = self.add_field(_("Send as"), ("from_address", "from-address"),
                                           QLineEdit())
        self.from_address.setPlaceholderText("billing@your-company.example")
        self.from_name = self.add_field(_("Sender name"), "from_name", QLineEdit())
        self.from_name.setPlaceholderText(_("e.g. Lindenhof Billing"))
        self.user = self.add_field(_("Login"), "user", QLineEdit())
        self.user.setPlaceholderText(_("Usually the address above"))
        self.reply_to = self.add_field(_("Replies to"), "reply_to", QLineEdit())
        self.reply_to.setPlaceholderText(_("Optional: another address for answers"))
        self.password = self.add_field(_("Password"), "password", QLineEdit())
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(_("The password or app password"))
        self.client_label = QLabel(_("Microsoft app id"))
        self.client_id = QLineEdit()
        self.client_id.setPlaceholderText(_("The application (client) id your administrator "
                                          "registered"))
        self.form.addRow(self.client_label, self.errors.field(("microsoft-client-id",
                                                               "microsoft_client_id",
                                                               "client_id"), self.client_id))
        ca_row = QWidget()
        ca_layout = QHBoxLayout(ca_row)
        ca_layout.setContentsMargins(0, 0, 0, 0)
        self.ca_file = QLineEdit()
        self.ca_file.setPlaceholderText(_("Only for a server with its own certificate"))
        browse = QPushButton(_("Choose…"))
        browse.clicked.connect(self._choose_ca)
        ca_layout.addWidget(self.ca_file, 1)
        ca_layout.addWidget(browse)
        self.add_field(_("Trusted certificate"), "ca_file", ca_row)
        self.read_receipt = self.add_field("", "read_receipt", QCheckBox(
            _("Ask for a read receipt on invoice emails")))
        self.read_receipt.setToolTip(_("The customer's mail program may then confirm the "
                                       "invoice was read; a customer's own setting wins"))
        self.save_button = self.button(_("Save"), self.save)
        self.test_button = self.button(_("Test"), self.test,
                                       _("Log in to the server and out again, sending nothing"))
        self.sign_in_button = self.button(_("Sign in with Microsoft…"), self.start_sign_in)
        self.code = QLabel()
        self.code.setWordWrap(True)
        self.code.setOpenExternalLinks(True)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.code.setVisible(False)
        self.layout_.insertWidget(self.layout_.count() - 3, self.code)
        self._preset_chosen(fill=False)

        self.sent = SentFolderSection(ctx)
        self.layout_.insertWidget(self.layout_.count() - 1, self.sent)

    # -- loading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        self.ctx.ops.query(mail.get_account, self._show, owner=self,
                           on_refused=lambda _exc: None)
        self.sent.refresh()

    def _show(self, view: AccountView | None) -> None:
        self.loaded = view
        if view is None:
            self.password.setPlaceholderText(_("The password or app password"))
            return
        self.preset.setCurrentIndex(self.preset.findData(preset_of(view.host, view.auth)))
        self._preset_chosen(fill=False)
        self.host.setText(view.host)
        self.port.setValue(view.port)
        self.security.setCurrentIndex(max(self.security.findData(view.security), 0))
        self.user.setText(view.user)
        self.from_address.setText(view.from_address)
        self.from_name.setText(view.from_name)
        self.reply_to.setText(view.reply_to)
        self.ca_file.setText(view.ca_file)
        self.read_receipt.setChecked(view.read_receipt)
        self.password.clear()
        self.password.setPlaceholderText(_(KEPT))

    def _preset_chosen(self, fill: bool = True) -> None:
        preset = account_presets()[self.preset.currentData()]
        self.hint.setText(preset.note)
        oauth = signs_in(self.preset.currentData())
        for widget in (self.client_label, self.client_id, self.client_id.parentWidget(),
                       self.sign_in_button):
            widget.setVisible(oauth)
        self.client_id.setPlaceholderText(
            _("Optional: leave empty to sign in as PaidUp") if mail.ships_microsoft_app() else
            _("The application (client) id of an app registered for personal Microsoft accounts")
            if preset.tenant == "consumers" else
            _("The application (client) id your administrator registered"))
        self.password.parentWidget().setVisible(not oauth)
        self.form.labelForField(self.password.parentWidget()).setVisible(not oauth)
        if fill and preset.host:
            self.host.setText(preset.host)
            self.port.setValue(preset.port)
            self.security.setCurrentIndex(self.security.findData(preset.security.value))

    def _choose_ca(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Trusted certificate"), "",
                                              _("Certificates (*.pem *.crt *.cer)"))
        if path:
            self.ca_file.setText(path)

    # -- saving and testing ------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        return dict(preset=self.preset.currentData(), host=self.host.text().strip(),
                    port=self.port.value(), security=self.security.currentData(),
                    user=self.user.text().strip() or self.from_address.text().strip(),
                    from_address=self.from_address.text().strip(),
                    from_name=self.from_name.text(), reply_to=self.reply_to.text().strip(),
                    ca_file=self.ca_file.text().strip(),
                    read_receipt=self.read_receipt.isChecked(),
                    microsoft_client_id=self.client_id.text().strip())

    def save(self) -> None:
        values = self.values()
        password = self.password.text() or None
        self.password.clear()  # typed once, then only in the keyring
        self.run(lambda books: mail.set_account(books, password=password, **values),
                 self._saved)

    def _saved(self, view: AccountView) -> None:
        self._show(view)
        self.note.setText(_("Saved. Mail goes out from {from_address} through {host}").format(
                            from_address=view.from_address, host=view.host)
                          + (_("; the password is in this computer's keyring.")
                             if view.auth == "password" else "."))

    def test(self) -> None:
        self.errors.clear()
        self.note.setText(_("Logging in to {value}…").format(
                            value=self.host.text().strip() or _("the server")))
        self.test_button.setEnabled(False)
        self.ctx.ops.query(mail.test_account, self._tested, on_refused=self._test_failed,
                           owner=self)

    def _tested(self, result: dict[str, Any]) -> None:
        self.test_button.setEnabled(True)
        self.note.setText(_("The server {result} accepted the login of {result2}. Mail can go "
                            "out.").format(result=result['host'], result2=result['user']))

    def _test_failed(self, exc: PaidUpError) -> None:
        self.test_button.setEnabled(True)
        self.note.setText("")
        self.errors.show(exc)

    # -- Microsoft 365 -----------------------------------------------------------------------

    def start_sign_in(self) -> None:
        """Saves the settings first (the app id with them), then asks Microsoft for a code."""
        values = self.values()
        self.errors.clear()

        def start(books: Books) -> DeviceSignIn:
            mail.set_account(books, **values)
            return mail.start_microsoft_sign_in(books)

        self.ctx.ops.change(start, self._code_shown,
                            on_refused=self.errors.show, owner=self)

    def _code_shown(self, sign_in: DeviceSignIn) -> None:
        self.sign_in = sign_in
        url = sign_in.verification_uri
        self.code.setText(_("Open <a href='{url}'>{url}</a> and enter the code <b>{code}</b>. "
                            "PaidUp waits here until you have signed in.").format(
                            url=url, code=sign_in.user_code))
        self.code.setVisible(True)

        def wait(books: Books, progress: Progress) -> None:
            # The wait touches no books beyond reading the account once; it runs beside the
            # books' thread so that the window keeps working meanwhile.
            watched = replace(sign_in, flow=CancellableFlow(sign_in.flow, progress))
            try:
                mail.finish_microsoft_sign_in(books, watched)
            except PaidUpError:
                progress.check()  # a cancelled wait ends as cancelled, not refused
                raise

        self.ctx.ops.long(wait, _("Waiting for the Microsoft sign-in"), self._signed_in,
                          on_refused=self._sign_in_failed, on_cancelled=self._sign_in_failed,
                          owner=self, books=False)

    def _signed_in(self, _result: None) -> None:
        self.code.setVisible(False)
        self.note.setText(_("Signed in with Microsoft; the sign-in is kept in this computer's "
                          "keyring."))

    def _sign_in_failed(self, exc: PaidUpError | None = None) -> None:
        self.code.setVisible(False)
        if exc is not None:
            self.errors.show(exc)


class SentFolderSection(Section):
    """A copy of each sent reminder in the Sent folder of the same mailbox (IMAP)."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx, _("Sent folder"),
                         _("Optional: PaidUp files a copy of each message it sends in your "
                         "mailbox's Sent folder, so that your mail program shows it too."))
        self.layout_.setContentsMargins(0, 12, 0, 0)
        self.host = self.add_field(_("Incoming (IMAP) server"), ("imap_host", "host"),
                                   QLineEdit())
        self.host.setPlaceholderText("imap.example.com")
        self.port = self.add_field(_("Port"), ("imap_port", "port"), _port(993))
        self.security = self.add_field(_("Encryption"), ("imap_security", "security"),
                                       choice_box(IMAP_SECURITY, "ssl"))
        self.folder = self.add_field(_("Folder"), ("folder", "imap_folder"), QLineEdit())
        self.folder.setPlaceholderText(_("Empty: the one the server calls Sent"))
        self.button(_("Save Sent folder"), self.save)

    def refresh(self) -> None:
        self.ctx.ops.query(mail.get_sent_folder, self._show, owner=self,
                           on_refused=lambda _exc: None)

    def _show(self, settings: ImapSettings | None) -> None:
        if settings is None:
            return
        self.host.setText(settings.host)
        self.port.setValue(settings.port)
        self.security.setCurrentIndex(max(self.security.findData(settings.security.value), 0))
        self.folder.setText(settings.folder)

    def save(self) -> None:
        host, port, security, folder = (self.host.text().strip(), self.port.value(),
                                        self.security.currentData(), self.folder.text().strip())
        self.run(lambda books: mail.set_sent_folder(books, host=host, port=port,
                                                    security=security, folder=folder),
                 lambda saved: self.note.setText(
                     _("Sent copies go to {value} on {host}.").format(
                       value=saved.folder or _("the Sent folder"), host=saved.host)))


class PaymentsSection(Section):
    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx, _("Payments"),
                         _("When a payment does not cover everything, what it settles first."))
        self.choices: dict[str, QRadioButton] = {}
        group = QButtonGroup(self)
        box = QWidget()
        stack = QVBoxLayout(box)
        stack.setContentsMargins(0, 0, 0, 0)
        for key, words in display.PAYMENT_ORDERS.items():
            radio = QRadioButton(words)
            group.addButton(radio)
            stack.addWidget(radio)
            self.choices[key] = radio
        self.add_field(_("A payment settles"), "order", box)
        self.button(_("Save"), self.save)

    def refresh(self) -> None:
        self.ctx.ops.query(payments.get_payment_order, self._show, owner=self,
                           on_refused=lambda _exc: None)

    def _show(self, order: str) -> None:
        if order in self.choices:
            self.choices[order].setChecked(True)

    def save(self) -> None:
        order = next((k for k, radio in self.choices.items() if radio.isChecked()), "")
        self.run(lambda books: payments.set_payment_order(books, order),
                 lambda saved: self.note.setText(
                     _("Saved: {lower}.").format(
                       lower=display.PAYMENT_ORDERS[saved].split(' (')[0].lower())))

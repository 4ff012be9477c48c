"""A message or letter seen before it goes (Today's preview), and a stored message waiting for
a person's decision (did it arrive? why was it refused?)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services import outbox
from desktop_app.services.books import Books
from desktop_app.services.outbox import OutboxView, SendReport
from desktop_app.ui import display
from desktop_app.ui.context import Context
from desktop_app.ui.dialogs.pdf_preview import PdfPane
from desktop_app.ui.mail_view import ShownMessage, parse_message
from desktop_app.ui.translate import _
from desktop_app.ui.widgets import ErrorLabel, NoteLabel, fit_to_screen


def _value(words: str) -> QLabel:
    label = QLabel(words)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class MessageView(QWidget):
    """Recipients, subject and words on the left; the attached PDF (or the letter) on the
    right, as the customer will see it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.to, self.cc, self.subject = _value(""), _value(""), _value("")
        self.subject.setStyleSheet("font-weight: bold;")
        self.body = QPlainTextEdit()
        self.body.setReadOnly(True)
        self.attachment = QComboBox()
        self.attachment.currentIndexChanged.connect(self._attachment_chosen)
        self.pdf = PdfPane()
        self.message_side = QWidget()
        form = QFormLayout()
        form.addRow(_("To"), self.to)
        self.cc_label = QLabel(_("Copy to"))
        form.addRow(self.cc_label, self.cc)
        form.addRow(_("Subject"), self.subject)
        form.addRow(_("Attached"), self.attachment)
        side = QVBoxLayout(self.message_side)
        side.setContentsMargins(0, 0, 0, 0)
        side.addLayout(form)
        side.addWidget(self.body, 1)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.message_side)
        self.splitter.addWidget(self.pdf)
        self.splitter.setSizes([460, 520])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.shown = ShownMessage()

    def show_message(self, message: ShownMessage) -> None:
        self.shown = message
        self.message_side.setVisible(not message.is_letter)
        self.to.setText(", ".join(message.to) or "—")
        self.cc.setText(", ".join(message.cc))
        self.cc.setVisible(bool(message.cc))
        self.cc_label.setVisible(bool(message.cc))
        self.subject.setText(message.subject)
        self.body.setPlainText(message.body)
        self.attachment.blockSignals(True)
        self.attachment.clear()
        for name, _pdf in message.attachments:
            self.attachment.addItem(name)
        if not message.attachments:
            self.attachment.addItem(_("Nothing attached"))
        self.attachment.setEnabled(len(message.attachments) > 1)
        self.attachment.blockSignals(False)
        pdf = message.letter or (message.attachments[0][1] if message.attachments else b"")
        self.pdf.setVisible(bool(pdf))
        self.pdf.view.setZoomMode(QPdfView.ZoomMode.FitInView if message.is_letter
                                  else QPdfView.ZoomMode.FitToWidth)
        self.pdf.set_pdf(pdf)

    def _attachment_chosen(self, index: int) -> None:
        if 0 <= index < len(self.shown.attachments):
            self.pdf.set_pdf(self.shown.attachments[index][1])

    def close_pdf(self) -> None:
        self.pdf.close_pdf()


class BatchPreviewDialog(QDialog):
    """Today's row as it would go out; its button sends (or prints) it, Cancel changes
    nothing."""

    def __init__(self, ctx: Context, title: str, message: ShownMessage, confirm: str,
                 on_confirm: Callable[[], None]) -> None:
        super().__init__(ctx.window)
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.view = MessageView()
        self.view.show_message(message)
        self.note = NoteLabel(_("Nothing has been sent or recorded yet.") if not message.is_letter
                              else _("Nothing has been printed or recorded yet."))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm = self.buttons.addButton(confirm, QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.accepted.connect(on_confirm)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        fit_to_screen(self, *((760, 900) if message.is_letter else (1040, 760)), ctx.window)

    def done(self, result: int) -> None:
        self.view.close_pdf()
        super().done(result)


class MessageDialog(QDialog):
    """One stored message: its words and PDFs, the server's last words, and the choices a
    person has for its state (unknown: it arrived / send again; failed: fix the settings and
    send again; either: discard)."""

    def __init__(self, ctx: Context, message: OutboxView,
                 open_mail_settings: Callable[[], None] | None = None) -> None:
        super().__init__(ctx.window)
        self.ctx, self.message = ctx, message
        self.setWindowTitle(_("Message — {subject}").format(subject=message.subject))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.state = NoteLabel(self._state_words(message))
        self.server = ErrorLabel()
        self.server.say(_("The server said: {last_error}").format(
                          last_error=message.last_error) if message.last_error
                        and message.state in ("failed", "unknown", "retrying") else "")
        self.view = MessageView()
        self.error = ErrorLabel()
        self.loading = NoteLabel(_("Opening the message…"))
        buttons = QHBoxLayout()
        self.choices: dict[str, QPushButton] = {}
        for key, label, tip, states in (
            ("arrived", _("It arrived"), _("You checked with the customer: mark it as sent"),
             ("unknown",)),
            ("resend", _("Send again"), _("Send the same message again (same Message-ID, so a "
             "duplicate can be recognised)"), ("unknown", "failed")),
            ("settings", _("Mail settings…"), _("Check the mail account, then send again"),
             ("failed",)),
            ("discard", _("Discard"), _("Do not send it; it leaves the outbox"),
             ("queued", "retrying", "failed", "unknown")),
        ):
            if message.state not in states or (key == "settings" and not open_mail_settings):
                continue
            button = QPushButton(label)
            button.setToolTip(tip)
            buttons.addWidget(button)
            self.choices[key] = button
        buttons.addStretch(1)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.reject)
        buttons.addWidget(close)
        if "arrived" in self.choices:
            self.choices["arrived"].clicked.connect(lambda: self._decide(
                lambda books: outbox.mark_arrived(books, message.id), _("Marked as arrived.")))
        if "resend" in self.choices:
            self.choices["resend"].clicked.connect(self._resend)
        if "discard" in self.choices:
            self.choices["discard"].clicked.connect(lambda: self._decide(
                lambda books: outbox.discard(books, message.id), _("Message discarded.")))
        if "settings" in self.choices and open_mail_settings is not None:
            self.choices["settings"].clicked.connect(lambda: (self.accept(),
                                                              open_mail_settings()))
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addWidget(self.server)
        layout.addWidget(self.loading)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        fit_to_screen(self, 1040, 760, ctx.window)
        message_id = message.id
        ctx.ops.query(lambda books: parse_message(outbox.message_bytes_of(books, message_id)),
                      self._loaded, owner=self, on_refused=lambda exc: self.error.say(
                          display.refusal(exc)))

    @staticmethod
    def _state_words(message: OutboxView) -> str:
        to = ", ".join(message.recipients)
        return {
            "unknown": _("PaidUp was sending this to {to} when it was interrupted; the server "
                         "may or may not have taken it. Ask the customer, or send it "
                         "again.").format(to=to),
            "failed": _("The mail server refused this message to {to}. Nothing was "
                        "delivered.").format(to=to),
            "retrying": _("Waiting to go out to {to}: the last try did not reach the server. "
                          "PaidUp tries again by itself.").format(to=to),
            "queued": _("Waiting to go out to {to}.").format(to=to),
            "sent": _("Sent to {to}.").format(to=to),
        }.get(message.state, message.state)

    def _loaded(self, shown: ShownMessage) -> None:
        self.loading.setVisible(False)
        self.view.show_message(shown)

    def _set_enabled(self, enabled: bool) -> None:
        for button in self.choices.values():
            button.setEnabled(enabled)

    def _decide(self, call: Callable[[Books], object], said: str) -> None:
        self._set_enabled(False)
        self.error.say("")
        self.ctx.ops.change(call, lambda _r: (self.ctx.say(said), self.accept()),
                            on_refused=self._refused, owner=self)

    def _resend(self) -> None:
        message_id = self.message.id
        self._set_enabled(False)
        self.error.say("")
        self.ctx.ops.change(lambda books: outbox.resend(books, message_id),
                            lambda _view: self.ctx.send_mail(self._resent, self),
                            on_refused=self._refused, owner=self)

    def _resent(self, report: SendReport) -> None:
        self.ctx.say(describe_send(report))
        self.accept()

    def _refused(self, exc: object) -> None:
        self._set_enabled(True)
        self.error.say(display.refusal(exc))  # type: ignore[arg-type]

    def done(self, result: int) -> None:
        self.view.close_pdf()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.view.close_pdf()
        super().closeEvent(event)


def describe_send(report: SendReport | None) -> str:
    """What a round of sending did, in one sentence."""
    if report is None:
        return _("Queued in the outbox.")
    if report.error:
        return display.sentence(report.error)
    parts = []
    if report.sent:
        parts.append(_("{n} sent").format(n=len(report.sent)))
    if report.retrying:
        parts.append(_("{value} waiting: the mail server could not be reached (PaidUp tries "
                       "again by itself)").format(value=len(report.retrying)))
    if report.failed:
        parts.append(_("{value} refused by the server (see Today)").format(
                       value=len(report.failed)))
    if report.unknown:
        parts.append(_("{value} may not have arrived (see Today)").format(
                       value=len(report.unknown)))
    return display.sentence("; ".join(parts)) if parts else _("Nothing was waiting to be sent.")

"""Settings › Follow-up: the ladder of reminders (stages, days, channels, who gets them,
charges, side effects, cost), and the words of each letter and email with a live preview."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import PaidUpError, ValidationError
from desktop_app.services import user_templates
from desktop_app.services.followup import policies
from desktop_app.services.followup.policies import PolicyView
from desktop_app.services.user_templates import TemplatePreview, TemplateView
from desktop_app.ui import display
from desktop_app.ui.context import Context
from desktop_app.ui.dialogs.invoice_actions import choice_box
from desktop_app.ui.dialogs.pdf_preview import PdfPane
from desktop_app.ui.pages.section import Section
from desktop_app.ui.translate import N_, Words, _
from desktop_app.ui.widgets import ErrorLabel, NoteLabel, heading

ANCHORS = Words({"due": N_("days from the due date (before it: negative)"),
                 "issue": N_("days after the invoice is issued"),
                 "sent": N_("days after the invoice went out (asks whether it arrived)")})
ATTACH = Words({"invoice": N_("The invoice"), "letter": N_("The letter")})
PREVIEW_DELAY_MS = 400
NEW_STAGE = {"name": "new_stage", "offset_days": 60, "channels": ["letter"],
             "to_roles": ["billing"], "cc_roles": [], "template": "", "fee": False,
             "interest": False, "hold_customer": False, "stop_work": False, "dossier": False,
             "anchor": "due", "cost": "", "attach": []}


class Checks(QWidget):
    """A row of check boxes standing for a list of names."""

    def __init__(self, words: dict[str, str]) -> None:
        super().__init__()
        self.boxes = {key: QCheckBox(word) for key, word in words.items()}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for box in self.boxes.values():
            layout.addWidget(box)
        layout.addStretch(1)

    def chosen(self) -> list[str]:
        return [key for key, box in self.boxes.items() if box.isChecked()]

    def choose(self, keys: list[str] | tuple[str, ...]) -> None:
        for key, box in self.boxes.items():
            box.setChecked(key in keys)


def _when(stage: dict[str, Any]) -> str:
    days = int(stage["offset_days"])
    if stage.get("anchor") == "issue":
        return _("on issue") if days == 0 else _("{days} after issue").format(
            days=display.days(days))
    if stage.get("anchor") == "sent":
        return _("{days} after the invoice went out").format(days=display.days(days))
    if days == 0:
        return _("on the due day")
    return (_("{days} before due") if days < 0 else _("{days} after due")).format(
        days=display.days(abs(days)))


def _extras(stage: dict[str, Any]) -> str:
    words = [w for key, w in (("fee", "fee"), ("interest", "interest"),
                              ("hold_customer", _("customer on hold")),
                              ("stop_work", _("stop-work notice")), ("dossier", "dossier"))
             if stage.get(key)]
    return ", ".join(words)


class PolicySection(Section):
    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx, _("Follow-up policy"),
                         _("The ladder of reminders an overdue invoice climbs. Each stage goes "
                         "out once per installment; a stage that is not worth what it costs "
                         "suggests a write-off instead."))
        self.views: list[PolicyView] = []
        self.stages: list[dict[str, Any]] = []
        self.current = -1
        self.chooser = QComboBox()
        self.chooser.activated.connect(lambda _i: self._policy_chosen())
        self.layout_.insertWidget(2, self.chooser)
        self.name = self.add_field(_("Policy name"), "policy name", QLineEdit())
        self.name.setToolTip(_("Save under a new name to keep this one and make another"))
        self.default = self.add_field("", "default",
                                      QCheckBox(_("For every customer without a policy of its "
                                                "own")))
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels((_("Stage"), _("When"), _("How"), _("Also")))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.itemSelectionChanged.connect(self._stage_chosen)
        self.table_error = ErrorLabel()
        self.errors.claim("stages", self.table, self.table_error)
        stage_buttons = QHBoxLayout()
        add, remove = QPushButton(_("Add a stage")), QPushButton(_("Remove the stage"))
        add.clicked.connect(self.add_stage)
        remove.clicked.connect(self.remove_stage)
        stage_buttons.addWidget(add)
        stage_buttons.addWidget(remove)
        stage_buttons.addStretch(1)
        self.form.addRow(heading(_("Stages"), factor=1.0))
        self.form.addRow(self.table)
        self.form.addRow(self.table_error)
        self.form.addRow(stage_buttons)

        self.form.addRow(heading(_("The chosen stage"), factor=1.0))
        self.stage_name = self.add_field(_("Name"), self._is(""), QLineEdit())
        when = QWidget()
        when_row = QHBoxLayout(when)
        when_row.setContentsMargins(0, 0, 0, 0)
        self.offset = QSpinBox()
        self.offset.setRange(-365, 3650)
        self.anchor = choice_box(ANCHORS, "due")
        when_row.addWidget(self.offset)
        when_row.addWidget(self.anchor, 1)
        self.add_field(_("When"), self._is("offset", "anchor"), when)
        self.channels = self.add_field(_("Channels"), self._is("channels"),
                                       Checks(display.CHANNELS))
        self.to_roles = self.add_field(_("Addressed to"), self._is("roles"),
                                       Checks(display.CONTACT_ROLES))
        self.cc_roles = self.add_field(_("Copy to"), self._is("cc"), Checks(display.CONTACT_ROLES))
        self.attach = self.add_field(_("Attached PDFs"), self._is("attach"), Checks(ATTACH))
        self.template = self.add_field(_("Words"), self._is("template"), QComboBox())
        self.template.addItem(_("The stage's own"), "")
        for name in dict.fromkeys(user_templates.LETTER_TEMPLATES + user_templates.MAIL_TEMPLATES):
            self.template.addItem(display.stage(name), name)
        self.charges = self.add_field(_("Charges"), self._is("fee"), Checks(
            {"fee": _("The late fee of the terms"), "interest": _("Interest")}))
        self.effects = self.add_field(_("Also"), self._is("hold"), Checks(
            {"hold_customer": _("Customer on hold"), "stop_work": _("Stop-work notice"),
             "dossier": _("Prepare the dossier")}))
        self.cost = self.add_field(_("Costs you"), self._is("cost"), QLineEdit())
        self.cost.setMaximumWidth(160)
        self.cost.setToolTip(_("What carrying out this step costs you (postage, an agency's fee); "
                             "a smaller open balance suggests a write-off instead"))
        self.button(_("Save policy"), self.save)

    def _is(self, *suffixes: str) -> Any:
        """Matches a stage's field in a refusal ('stage reminder_1 channels')."""
        def match(field: str) -> bool:
            words = field.split()
            if len(words) < 2 or words[0] != "stage":
                return False
            rest = " ".join(words[2:])
            return rest in suffixes if suffixes != ("",) else rest == ""
        return match

    # -- loading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        self.ctx.ops.query(policies.policies_for_editing, self._show, owner=self,
                           on_refused=lambda _exc: None)

    def _show(self, views: list[PolicyView]) -> None:
        self.views = views
        keep = self.chooser.currentText()
        self.chooser.clear()
        for view in self.views:
            self.chooser.addItem(view.name + (_(" (the default)") if view.is_default else ""),
                                 view.name)
        index = self.chooser.findData(keep.split(" (")[0]) if keep else -1
        if index < 0:
            index = next((i for i, v in enumerate(self.views) if v.is_default), 0)
        self.chooser.setCurrentIndex(index)
        self._policy_chosen()

    def _policy_chosen(self) -> None:
        name = self.chooser.currentData()
        view = next((v for v in self.views if v.name == name), None)
        if view is None:
            return
        self.name.setText(view.name)
        self.default.setChecked(view.is_default)
        self.stages = [dict(s) for s in view.body["stages"]]
        self.current = -1
        self._fill_table()
        self.table.selectRow(0)

    def _fill_table(self) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.stages))
        for r, stage in enumerate(self.stages):
            how = " + ".join(display.CHANNELS.get(c, c) for c in stage["channels"])
            for c, value in enumerate((display.stage(stage["name"]), _when(stage), how,
                                       _extras(stage))):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.blockSignals(False)
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height()
                                  + sum(self.table.rowHeight(r) for r in range(len(self.stages)))
                                  + 2 * self.table.frameWidth())

    # -- one stage in the form ---------------------------------------------------------------

    def _stage_chosen(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        chosen = rows[0].row() if rows else -1
        if chosen == self.current:
            return
        self._keep_form()
        self.current = chosen
        if 0 <= chosen < len(self.stages):
            self._load_form(self.stages[chosen])

    def _load_form(self, stage: dict[str, Any]) -> None:
        self.stage_name.setText(stage["name"])
        self.offset.setValue(int(stage["offset_days"]))
        self.anchor.setCurrentIndex(max(self.anchor.findData(stage.get("anchor", "due")), 0))
        self.channels.choose(stage["channels"])
        self.to_roles.choose(stage.get("to_roles", ()))
        self.cc_roles.choose(stage.get("cc_roles", ()))
        self.attach.choose(stage.get("attach", ()))
        self.template.setCurrentIndex(max(self.template.findData(stage.get("template", "")), 0))
        self.charges.choose([k for k in ("fee", "interest") if stage.get(k)])
        self.effects.choose([k for k in ("hold_customer", "stop_work", "dossier")
                             if stage.get(k)])
        cost = stage.get("cost", "")  # as typed, or the amount saved
        self.cost.setText(cost if isinstance(cost, str) else display.number(cost) if cost else "")

    def _keep_form(self) -> None:
        """The form's values back into the stage being edited (checked when saved)."""
        if not 0 <= self.current < len(self.stages):
            return
        stage = self.stages[self.current]
        stage.update(name=self.stage_name.text().strip(), offset_days=self.offset.value(),
                     anchor=self.anchor.currentData(), channels=self.channels.chosen(),
                     to_roles=self.to_roles.chosen(), cc_roles=self.cc_roles.chosen(),
                     attach=self.attach.chosen(), template=self.template.currentData())
        for key in ("fee", "interest"):
            stage[key] = key in self.charges.chosen()
        for key in ("hold_customer", "stop_work", "dossier"):
            stage[key] = key in self.effects.chosen()
        stage["cost"] = self.cost.text()

    def add_stage(self) -> None:
        self._keep_form()
        self.stages.append(dict(NEW_STAGE))
        self._fill_table()
        self.table.selectRow(len(self.stages) - 1)

    def remove_stage(self) -> None:
        if 0 <= self.current < len(self.stages):
            del self.stages[self.current]
            self.current = -1
            self._fill_table()
            self.table.selectRow(0)

    # -- saving ------------------------------------------------------------------------------

    def body(self) -> dict[str, Any]:
        """The policy as the service takes it: costs as plain numbers, as typed."""
        self._keep_form()
        stages = [{**stage,
                   "cost": display.plain_number(stage["cost"], f"stage {stage['name']} cost")}
                  if isinstance(stage.get("cost"), str) else dict(stage) for stage in self.stages]
        return {"name": self.name.text().strip(), "stages": stages}

    def save(self) -> None:
        self.errors.clear()
        try:
            body = self.body()
        except PaidUpError as exc:
            self._refused(exc)
            return
        make_default = self.default.isChecked()
        self.ctx.ops.change(lambda books: policies.save_edited_policy(books, body,
                                                                     make_default=make_default),
                            self._saved, on_refused=self._refused, owner=self)

    def _saved(self, view: PolicyView) -> None:
        self.note.setText(_("Saved the policy {name}.").format(name=view.name)
                          + (_(" Its stages are now in order of their days.") if view.reordered
                             else "")
                          + (_(" New customers and those without their own follow it.")
                             if view.is_default else ""))
        self.chooser.addItem(view.name, view.name)  # so that the reload keeps it chosen
        self.chooser.setCurrentIndex(self.chooser.count() - 1)
        self.refresh()

    def _refused(self, exc: PaidUpError) -> None:
        """Show the stage the refusal is about, then the words beside its field."""
        if isinstance(exc, ValidationError) and exc.field.startswith("stage "):
            name = exc.field.split()[1]
            row = next((i for i, s in enumerate(self.stages) if s["name"] == name), -1)
            if row >= 0:
                self.table.selectRow(row)
        self.errors.show(exc)


class TemplatesSection(Section):
    """One letter or email in one language: its words, checked and previewed as you type."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx, _("Letters and emails"),
                         _("The words of each letter and email, per stage and language. "
                         "Placeholders in braces are filled in for each customer."))
        self.loaded: TemplateView | None = None
        choose = QHBoxLayout()
        self.kind = choice_box({"letter": _("Letter"), "mail": _("Email")}, "letter")
        self.stage = QComboBox()
        self.language = choice_box(display.LANGUAGES, "en")
        for widget in (QLabel(_("Which")), self.kind, self.stage, self.language):
            choose.addWidget(widget)
        choose.addStretch(1)
        self.form.addRow(choose)
        self.editor = QPlainTextEdit()
        self.editor.setMinimumHeight(320)
        self.editor.setTabChangesFocus(True)
        self.editor_error = ErrorLabel()
        self.errors.claim(("template", "subject", "body", "item_line"), self.editor,
                          self.editor_error)
        self.placeholders = NoteLabel()
        self.subject = QLabel()
        self.subject.setWordWrap(True)
        self.subject.setStyleSheet("font-weight: bold;")
        self.preview_text = QPlainTextEdit()
        self.preview_text.setReadOnly(True)
        self.pdf = PdfPane()
        self.pdf.setMinimumHeight(320)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(NoteLabel(_("First line: the subject. Then a blank line, then "
                                        "the text.")))
        left_layout.addWidget(self.editor, 1)
        left_layout.addWidget(self.editor_error)
        left_layout.addWidget(self.placeholders)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(NoteLabel(_("Preview with example invoices")))
        right_layout.addWidget(self.subject)
        right_layout.addWidget(self.preview_text, 1)
        right_layout.addWidget(self.pdf, 1)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([420, 420])
        self.form.addRow(split)
        self.custom = NoteLabel()
        self.form.addRow(self.custom)
        self.save_button = self.button(_("Save"), self.save)
        self.reset_button = self.button(_("Back to the shipped words"), self.reset)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.update_preview)
        self.editor.textChanged.connect(lambda: self._timer.start())
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.stage.activated.connect(lambda _i: self.load())
        self.language.activated.connect(lambda _i: self.load())
        self._kind_changed(load=False)

    def which(self) -> tuple[str, str, str]:
        return self.kind.currentData(), self.stage.currentData(), self.language.currentData()

    def _kind_changed(self, load: bool = True) -> None:
        kind = self.kind.currentData()
        names = (user_templates.LETTER_TEMPLATES if kind == "letter"
                 else user_templates.MAIL_TEMPLATES)
        keep = self.stage.currentData()
        self.stage.clear()
        for name in names:
            words = _("Payment plan agreement") if name == "payment_plan" else \
                _("Deposit request") if name == "deposit_request" else display.stage(name)
            self.stage.addItem(words, name)
        self.stage.setCurrentIndex(max(self.stage.findData(keep or "reminder_1"), 0))
        known = user_templates.placeholders(kind)
        self.placeholders.setText(_("Placeholders: ") + ", ".join("{" + n + "}" for n in known))
        self.pdf.setVisible(kind == "letter")
        self.preview_text.setVisible(kind != "letter")  # a letter's preview is its page
        if load:
            self.load()

    def refresh(self) -> None:
        if self.loaded is None:
            self.load()

    def load(self) -> None:
        kind, stage, language = self.which()
        self.errors.clear()
        self.ctx.ops.query(lambda books: user_templates.get_template(books, kind, stage, language),
                           self._loaded, owner=self, on_refused=self.errors.show)

    def _loaded(self, view: TemplateView) -> None:
        self.loaded = view
        self.editor.setPlainText(view.text)
        self.custom.setText(_("Your own words.") if view.customised else _("The shipped words."))
        self.reset_button.setEnabled(view.customised)
        self._timer.stop()
        self.update_preview()

    def update_preview(self) -> None:
        kind, stage, language = self.which()
        words = self.editor.toPlainText()
        self.ctx.ops.query(
            lambda books: user_templates.preview_template(books, kind, stage, language, words),
            self._previewed, owner=self, on_refused=self._not_previewed)

    def _previewed(self, preview: TemplatePreview) -> None:
        self.editor_error.say("")
        self.subject.setText(preview.subject)
        self.preview_text.setPlainText(preview.body)
        if preview.pdf:
            self.pdf.set_pdf(preview.pdf)

    def _not_previewed(self, exc: PaidUpError) -> None:
        self.errors.show(exc)

    def save(self) -> None:
        kind, stage, language = self.which()
        words = self.editor.toPlainText()
        self.run(lambda books: user_templates.save_template(books, kind, stage, language, words),
                 self._saved)

    def _saved(self, view: TemplateView) -> None:
        self._loaded(view)
        self.note.setText(_("Saved. Letters and emails use these words from now on."))

    def reset(self) -> None:
        kind, stage, language = self.which()
        self.run(lambda books: user_templates.reset_template(books, kind, stage, language),
                 lambda view: (self._loaded(view),
                               self.note.setText(_("Back to the shipped words."))))

    def close_pdf(self) -> None:
        self.pdf.close_pdf()

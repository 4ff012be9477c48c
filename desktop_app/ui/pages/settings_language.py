"""Settings › Language: the window's language and formats, from the next start."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox

from desktop_app.domain.money import D
from desktop_app.ui import display, translate
from desktop_app.ui.context import Context
from desktop_app.ui.pages.section import Section
from desktop_app.ui.translate import _
from desktop_app.ui.widgets import NoteLabel


class LanguageSection(Section):
    """The choice is kept with the window's other settings; the first-run wizard offers the
    same through :func:`translate.choose_language`."""

    def __init__(self, ctx: Context, settings: QSettings) -> None:
        super().__init__(ctx, _("Language"),
                         _("The language of the window, and how it writes amounts and dates. "
                           "Letters and emails use each customer's own language."))
        self.settings = settings
        self.language = QComboBox()
        system = translate.language_of(translate.system_locale())
        self.language.addItem(_("As the system ({language})").format(
            language=translate.LANGUAGES[system]), "")
        for code, name in translate.LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(
            max(self.language.findData(translate.chosen_language(settings)), 0))
        self.add_field(_("Language"), "language", self.language)
        self.example = self.add_field(_("Looks like"), "example", NoteLabel())
        self.button(_("Save"), self.save, _("PaidUp speaks the chosen language from its next "
                                            "start"))
        self.note.setText(_("A change takes effect when PaidUp starts again."))
        self.example.setText(_("{money} · {day}").format(
            money=display.money(D("1234.56"), "EUR"), day=display.day(ctx.today())))

    def save(self) -> None:
        code = str(self.language.currentData() or "")
        translate.choose_language(self.settings, code)
        chosen = translate.LANGUAGES[code] if code else self.language.currentText()
        self.note.setText(_("Saved: {language} from the next start of PaidUp.").format(
            language=chosen))

"""Settings › Quotes: how long new quotes hold, what is asked on acceptance, their numbers,
and the days of their follow-up."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLineEdit, QSpinBox

from desktop_app.services import quotes
from desktop_app.services.quotes import QuoteSettings
from desktop_app.ui.context import Context
from desktop_app.ui.ops import Changes
from desktop_app.ui.pages.section import Section
from desktop_app.ui.translate import _


def _days(low: int, high: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setSuffix(_(" days"))
    return box


class QuotesSection(Section):
    watches = Changes.SETTINGS

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx, _("Quotes"), _("Written quotes with a short validity: prices and "
                         "exchange rates move, and a quote that runs out soon makes the "
                         "customer decide. The validity and what is asked on acceptance "
                         "apply to quotes made from now on; the follow-up days to every open "
                         "quote."))
        self.valid_days = self.add_field(_("Valid for"), "valid-days", _days(1, 365))
        self.schedule = self.add_field(_("Asked on acceptance"), "schedule", QLineEdit())
        self.schedule.setPlaceholderText(_("30/30/40 (a 30 % deposit), 50/50, or single"))
        self.number_format = self.add_field(_("Quote numbers"), "number-format", QLineEdit())
        self.steps: dict[str, QSpinBox] = {}
        for name, label, low, high in (
                ("check", _("Friendly check, after sending"), 1, 60),
                ("call", _("Call, after sending"), 1, 60),
                ("last_day", _("Note before it runs out"), 1, 30)):
            self.steps[name] = self.add_field(label, "ladder", _days(low, high))
        self.current: QuoteSettings | None = None
        self.button(_("Save"), self.save, _("Keep these for new quotes"))

    def refresh(self) -> None:
        self.ctx.ops.query(quotes.get_settings, self._show, owner=self)

    def _show(self, settings: QuoteSettings) -> None:
        self.current = settings
        self.valid_days.setValue(settings.validity_days)
        self.schedule.setText(settings.schedule)
        self.number_format.setText(settings.number_format)
        for step in settings.ladder:
            if step.name in self.steps:
                self.steps[step.name].setValue(abs(step.days))

    def _ladder(self) -> list[dict[str, Any]]:
        """The ladder with the days typed; a step of a ladder edited elsewhere stays."""
        assert self.current is not None
        out = []
        for step in self.current.ladder:
            days = step.days
            if step.name in self.steps:
                typed = self.steps[step.name].value()
                days = -typed if step.anchor == "expiry" else typed
            out.append({"name": step.name, "anchor": step.anchor, "days": days,
                        "channel": step.channel})
        return out

    def save(self) -> None:
        if self.current is None:
            return
        values = {"validity_days": self.valid_days.value(), "schedule": self.schedule.text(),
                  "number_format": self.number_format.text().strip(), "ladder": self._ladder()}
        self.run(lambda books: quotes.set_settings(books, **values), self._saved)

    def _saved(self, settings: QuoteSettings) -> None:
        self._show(settings)
        self.note.setText(_("Saved: new quotes get these."))

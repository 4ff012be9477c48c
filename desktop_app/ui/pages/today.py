"""Today: the day's follow-up work. Its list comes from the follow-up plan."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop_app.ui.ops import Changes
from desktop_app.ui.pages.base import Context, Page
from desktop_app.ui.widgets import EmptyState


class TodayPage(Page):
    key = "today"
    title = "Today"
    watches = Changes.FOLLOWUP | Changes.INVOICES | Changes.PAYMENTS

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.empty = EmptyState(
            "Today's follow-up",
            "This page will list the day's work from your follow-up plan: emails to send, "
            "letters to print, calls to make, promises falling due, and anything waiting for "
            "your decision, each with its one-click action.")
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)

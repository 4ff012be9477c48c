"""Reports: aging, expected cash, days sales outstanding, promises kept and broken."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop_app.ui.ops import Changes
from desktop_app.ui.pages.base import Context, Page
from desktop_app.ui.widgets import EmptyState


class ReportsPage(Page):
    key = "reports"
    title = "Reports"
    watches = Changes.INVOICES | Changes.PAYMENTS | Changes.FOLLOWUP

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.empty = EmptyState(
            "Reports",
            "This page will show what is owed by age and customer, the cash you can expect "
            "week by week, your days sales outstanding and the promises kept and broken, "
            "each ready to export as CSV.")
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)

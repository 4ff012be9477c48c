"""Reports: what is owed by age and customer (chart and table), the cash to expect week by
week, days sales outstanding, promises kept and broken; each exported as CSV. Computed off
the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app import files
from desktop_app.domain.errors import ValidationError
from desktop_app.services import reports
from desktop_app.services.books import Books
from desktop_app.services.reports import (
    AgingReport,
    CashReport,
    DsoReport,
    Headline,
    PromiseRecord,
)
from desktop_app.ui import display, theme
from desktop_app.ui.charts import Bar, BarChart, Series, aging_colors
from desktop_app.ui.context import Context
from desktop_app.ui.ops import Changes
from desktop_app.ui.pages.base import Page
from desktop_app.ui.translate import N_, Words, _, ngettext, pgettext
from desktop_app.ui.widgets import EmptyState, NoteLabel, heading

CHART_CUSTOMERS = 8  # the largest debtors drawn; the rest as one bar
BUCKET_WORDS = Words({"current": N_("Not yet due"), "1-30": N_("1–30 days"),
                      "31-60": N_("31–60 days"),
                "61-90": N_("61–90 days"), "90+": N_("Over 90 days")})


@dataclass(frozen=True)
class ReportsData:
    aging: AgingReport
    cash: CashReport
    dso: DsoReport
    promises: list[PromiseRecord]
    headline: Headline


def load(as_of: date) -> Callable[[Books], ReportsData]:
    def work(books: Books) -> ReportsData:
        aging, cash = reports.aging(books, as_of), reports.cash_forecast(books, as_of)
        return ReportsData(aging, cash, reports.days_sales_outstanding(books, as_of),
                           reports.promises_by_customer(books), reports.headline(aging, cash))
    return work


def _write(path: Path, csv_text: str) -> Path:
    try:
        files.write_text(path, csv_text, newline="")
    except OSError as exc:
        raise ValidationError("file", _("cannot write {path}: {reason}").format(
            path=path, reason=exc.strerror)) from None
    return path


def _bucket(name: str) -> str:
    return BUCKET_WORDS.get(name, name)


class Tile(QFrame):
    """One figure with its caption."""

    def __init__(self, caption: str) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.value = QLabel("—")
        self.value.setFont(theme.scaled_font(self.font(), 1.6, bold=True))
        self.caption = NoteLabel(caption)
        self.detail = NoteLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.detail)

    def show_value(self, value: str, detail: str = "") -> None:
        self.value.setText(value)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))


def _table(headers: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return table


def fit(table: QTableWidget) -> None:
    """Every row shown: the page scrolls, not the table."""
    table.setFixedHeight(table.horizontalHeader().sizeHint().height()
                         + table.rowCount() * table.verticalHeader().defaultSectionSize()
                         + 2 * table.frameWidth())


def _cell(value: str, right: bool = False, bold: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(value)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if bold:
        font = item.font()
        font.setBold(True)
        item.setFont(font)
    return item


class ReportsPage(Page):
    key = "reports"
    watches = Changes.INVOICES | Changes.PAYMENTS | Changes.FOLLOWUP | Changes.CUSTOMERS

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.data: ReportsData | None = None
        self.as_of = NoteLabel()
        self.export_buttons: dict[str, QPushButton] = {}
        top = QHBoxLayout()
        top.addWidget(heading(_("Reports"), factor=1.5))
        top.addWidget(self.as_of)
        top.addStretch(1)
        for key, label, tip in (
                ("aging", _("Aging as CSV…"), _("Open amounts by customer and age")),
                ("cash", _("Cash by week as CSV…"), _("Expected cash in, week by week")),
                ("promises", _("Promises as CSV…"), _("Promises kept and broken by customer"))):
            button = QPushButton(label)
            button.setToolTip(_("Save as a spreadsheet file: {lower}").format(lower=tip.lower()))
            button.clicked.connect(lambda _checked=False, k=key: self.export(k))
            button.setEnabled(False)
            self.export_buttons[key] = button
            top.addWidget(button)

        self.owed = Tile(_("Open receivables"))
        self.overdue = Tile(_("Overdue"))
        self.dso = Tile(_("Days sales outstanding"))
        self.soon = Tile(_("Expected in the next {SOON_WEEKS} weeks").format(
                           SOON_WEEKS=reports.SOON_WEEKS))
        tiles = QHBoxLayout()
        for tile in (self.owed, self.overdue, self.dso, self.soon):
            tiles.addWidget(tile, 1)

        self.aging_chart = BarChart(across=True)
        self.cash_chart = BarChart(across=False)
        self.cash_note = NoteLabel()
        self.aging_table = _table((_("Customer"), *BUCKET_WORDS.values(), _("Total")))
        self.promise_table = _table((_("Customer"), _("Kept"), _("Broken"),
                                     pgettext("promises neither kept nor broken yet", "Open")))
        self.promise_empty = NoteLabel(_("No promises to pay written down yet."))

        grid = QGridLayout()
        grid.addWidget(heading(_("Owed by customer and age"), factor=1.1), 0, 0)
        grid.addWidget(heading(_("Expected cash in by week"), factor=1.1), 0, 1)
        grid.addWidget(self.aging_chart, 1, 0)
        cash_box = QVBoxLayout()
        cash_box.addWidget(self.cash_chart, 1)
        cash_box.addWidget(self.cash_note)
        grid.addLayout(cash_box, 1, 1)
        # The aging table has seven columns: across the whole page, a customer's name is
        # never cut short for the amounts beside it.
        grid.addWidget(heading(_("Aging"), factor=1.1), 2, 0, 1, 2)
        grid.addWidget(self.aging_table, 3, 0, 1, 2)
        grid.addWidget(heading(_("Promises kept and broken"), factor=1.1), 4, 0, 1, 2)
        promise_box = QVBoxLayout()
        promise_box.addWidget(self.promise_table)
        promise_box.addWidget(self.promise_empty)
        promise_box.addStretch(1)
        grid.addLayout(promise_box, 5, 0, 1, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)

        content = QWidget()
        body = QVBoxLayout(content)
        body.setContentsMargins(0, 0, 8, 0)
        body.addLayout(tiles)
        body.addLayout(grid)
        body.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setWidget(content)
        self.loading = NoteLabel(_("Adding up…"))
        self.empty = EmptyState(_("Nothing to report yet"),
                                _("Once invoices are issued, this page shows what is owed by "
                                "age and customer, the cash you can expect week by week, "
                                "your days sales outstanding and the promises kept."))
        self.empty.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.loading)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.empty, 1)

    def refresh(self) -> None:
        self.ctx.ops.query(load(self.ctx.today()), self._loaded, owner=self)

    def _loaded(self, data: ReportsData) -> None:
        self.data = data
        self.loading.setVisible(False)
        nothing = not data.aging.rows and not data.dso.credit_sales and not data.promises
        self.empty.setVisible(nothing)
        self.scroll.setVisible(not nothing)
        for button in self.export_buttons.values():
            button.setEnabled(not nothing)
        self.as_of.setText(_("as of {day}").format(day=display.day(data.aging.as_of)))
        self._tiles(data)
        self._aging(data.aging)
        self._cash(data.cash)
        self._promises(data.promises)

    def _tiles(self, data: ReportsData) -> None:
        figures, cur = data.headline, data.headline.currency
        debtors = figures.debtors
        self.owed.show_value(display.money(figures.owed, cur),
                             ngettext("{n} customer", "{n} customers", debtors).format(
                                 n=display.number(debtors)))
        share = _("{overdue_percent} % of what is open").format(
                  overdue_percent=figures.overdue_percent) \
            if figures.overdue_percent is not None else ""
        self.overdue.show_value(display.money(figures.overdue, cur), share)
        self.overdue.value.setStyleSheet(f"color: {theme.error_color().name()};"
                                         if figures.overdue else "")
        dso = data.dso
        self.dso.show_value(display.days(dso.dso) if dso.dso is not None else "—",
                            _("over the last {days} days of sales").format(days=dso.days))
        self.soon.show_value(display.money(figures.soon, cur),
                             _("from due dates and promises"))

    def _aging(self, aging: AgingReport) -> None:
        colours = aging_colors()
        series = [Series(_bucket(b), colours[i % len(colours)])
                  for i, b in enumerate(aging.buckets)]
        cur = aging.currency

        def bar(label: str, buckets: dict[str, Decimal], total: Decimal) -> Bar:
            tip = "\n".join([label] + [f"{_bucket(b)}: {display.money(buckets[b], cur)}"
                                       for b in aging.buckets if buckets[b]])
            return Bar(label, tuple(float(buckets[b]) for b in aging.buckets),
                       display.money(total, cur), tip)

        largest, others = reports.largest_debtors(aging, CHART_CUSTOMERS)
        bars = [bar(r.customer_name, r.buckets, r.total) for r in largest]
        if others is not None:
            bars.append(bar(ngettext("{n} other", "{n} others", len(aging.rows) - len(largest))
                            .format(n=len(aging.rows) - len(largest)), others.buckets,
                            others.total))
        self.aging_chart.set_data(series, bars, _("Nothing is owed."))

        table = self.aging_table
        table.setRowCount(len(aging.rows) + 1)
        for r, row in enumerate(aging.rows):
            table.setItem(r, 0, _cell(row.customer_name))
            for c, b in enumerate(aging.buckets, start=1):
                amount = row.buckets[b]
                table.setItem(r, c, _cell(display.money(amount, cur) if amount else "", True))
            table.setItem(r, len(aging.buckets) + 1, _cell(display.money(row.total, cur), True,
                                                           True))
        last = len(aging.rows)
        table.setItem(last, 0, _cell(_("Total"), bold=True))
        for c, b in enumerate(aging.buckets, start=1):
            table.setItem(last, c, _cell(display.money(aging.totals[b], cur), True, True))
        table.setItem(last, len(aging.buckets) + 1, _cell(display.money(aging.total, cur), True,
                                                          True))
        fit(table)

    def _cash(self, cash: CashReport) -> None:
        colours = aging_colors()
        series = [Series(_("Due by the schedule"), colours[0]),
                  Series(_("Promised"), self.palette().color(QPalette.ColorRole.Highlight))]
        cur = cash.currency
        bars = [Bar(display.short_day(w.week_start),
                    (float(w.from_schedules), float(w.from_promises)),
                    display.money(w.expected, cur),
                    _("Week of {day}: {expected}\ndue {due}, promised {promised}").format(
                        day=display.day(w.week_start), expected=display.money(w.expected, cur),
                        due=display.money(w.from_schedules, cur),
                        promised=display.money(w.from_promises, cur)))
                for w in cash.weeks]
        self.cash_chart.scale = lambda value: display.money_short(Decimal(round(value)), cur)
        self.cash_chart.set_data(series, bars, _("No payments are due in the coming weeks."))
        self.cash_note.setText(
            _("Not counted: {money} overdue without a promise; it may come any day, or "
              "not.").format(money=display.money(cash.overdue, cur)) if cash.overdue else "")

    def _promises(self, records: list[PromiseRecord]) -> None:
        table = self.promise_table
        table.setRowCount(len(records))
        for r, rec in enumerate(records):
            broken = _cell(str(rec.broken), True)
            if rec.broken:
                broken.setForeground(theme.error_color())
            for c, item in enumerate((_cell(rec.customer_name), _cell(str(rec.kept), True),
                                      broken, _cell(str(rec.open), True))):
                table.setItem(r, c, item)
        fit(table)
        table.setVisible(bool(records))
        self.promise_empty.setVisible(not records)

    # -- export ------------------------------------------------------------------------------

    def export(self, key: str) -> None:
        data = self.data
        if data is None:
            return
        day = data.aging.as_of.isoformat()
        csv_text = {"aging": lambda: reports.aging_csv(data.aging),
                    "cash": lambda: reports.rows_csv(data.cash.weeks),
                    "promises": lambda: reports.rows_csv(data.promises)}[key]
        name, _filter = QFileDialog.getSaveFileName(self, _("Save as CSV"), f"{key}-{day}.csv",
                                              _("CSV (*.csv)"))
        if name:
            self.save_csv(Path(name), csv_text)

    def save_csv(self, path: Path, csv_text: Callable[[], str]) -> None:
        """Made and written on the worker thread."""
        self.ctx.ops.query(lambda _books: _write(path, csv_text()),
                           lambda written: self.ctx.say(
                               _("Saved {home_path}.").format(
                                 home_path=display.home_path(str(written)))),
                           owner=self)

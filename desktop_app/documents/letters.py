"""Follow-up letters, deposit requests and payment-plan agreements; one or many per PDF."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from desktop_app.documents.data import InterestStretch, Letter, Stage
from desktop_app.documents.i18n import FEE_RULE_SENTENCES, Lang
from desktop_app.documents.payment import payment_block
from desktop_app.documents.pdf import Part, build
from desktop_app.documents.templates import letter_text
from desktop_app.documents.text import cell, para, table_style
from desktop_app.domain.errors import ValidationError

STAGE_TITLES = {
    Stage.UPCOMING: "Upcoming payment", Stage.DUE: "Payment due",
    Stage.REMINDER_1: "Payment reminder", Stage.REMINDER_2: "Second reminder",
    Stage.FINAL_NOTICE: "Final notice", Stage.HANDOVER: "Notice before handover",
    Stage.DEPOSIT_REQUEST: "Deposit request", Stage.PAYMENT_PLAN: "Payment plan agreement",
}


def render_letter(letter: Letter) -> bytes:
    return render_letters([letter])


def render_letters(letters: Sequence[Letter]) -> bytes:
    """A day's letters as one print job: each starts on a new page and counts its own pages."""
    if not letters:
        raise ValidationError("letters", "there is no letter to print")
    return build([letter_part(letter) for letter in letters], title="Letters")


def letter_part(letter: Letter, note: str = "") -> Part:
    t = Lang(letter.customer.language, letter.customer.babel_locale)
    text = letter_text(letter)
    info = [(t("Date"), t.date(letter.letter_date))]
    if letter.items:
        info.append((t("Invoice"), ", ".join(dict.fromkeys(i.invoice_number
                                                          for i in letter.items))))
    info.append((t("Payment reference"), letter.reference))
    info.append((t("Contact"), "\n".join(x for x in (letter.contact.name, letter.contact.phone)
                                         if x)))
    paragraphs = [p for p in text.body.split("\n\n") if p.strip()]
    # The body's last paragraph is the closing and signature: the figures go before it.
    closing = paragraphs.pop() if len(paragraphs) > 1 else ""
    story: list[Flowable] = [para(text.subject, "title")]
    story += _spaced([para(p.strip()) for p in paragraphs])
    story += _figures(letter, t)
    if letter.total_due_minor > 0 and letter.stage is not Stage.PAYMENT_PLAN:
        story.append(payment_block(letter.company, t, amount_minor=letter.total_due_minor,
                                   currency=letter.currency, reference=letter.reference,
                                   with_qr=False))
    if closing:
        story += [Spacer(1, 4 * mm), para(closing.strip())]
    if letter.plan:
        story.append(_signatures(letter, t))
    return Part(letter.company, t, t(STAGE_TITLES[letter.stage]), story, letter.customer,
                tuple(info), note)


def _spaced(flowables: list[Flowable]) -> list[Flowable]:
    out: list[Flowable] = []
    for flowable in flowables:
        out += [flowable, Spacer(1, 2.5 * mm)]
    return out


def _figures(letter: Letter, t: Lang) -> list[Flowable]:
    if letter.deposit:
        dep = letter.deposit
        rows = [[cell(t("Description")), cell(t("Due date")), cell(t("Amount"))],
                [para(dep.description, "cell"), cell(t.date(dep.due_date)),
                 cell(t.money(dep.amount_minor, letter.currency))]]
        table = Table(rows, colWidths=[None, 35 * mm, 35 * mm], hAlign="LEFT")
        table.setStyle(table_style(2))
        return [table]
    out: list[Flowable] = [_items_table(letter, t)]
    if letter.fee_minor and letter.fee_rule:
        out.append(para(t(FEE_RULE_SENTENCES[letter.fee_rule],
                          fee=t.money(letter.fee_rate_minor, letter.currency)), "small"))
    for item in letter.items:
        if item.interest:
            calc = item.interest
            parts = calc.stretches or (
                InterestStretch(calc.days, calc.principal_minor, calc.amount_minor),)
            for part in parts:  # one line for each amount that was open for a while
                out.append(para(t(
                    "Interest on %(principal)s at %(rate)s a year for %(days)s days: "
                    "%(amount)s", principal=t.money(part.principal_minor, letter.currency),
                    rate=t.percent(calc.rate_percent), days=part.days,
                    amount=t.money(part.amount_minor, letter.currency))
                    + f" ({item.invoice_number})", "small"))
    if letter.plan:
        out.append(_plan_table(letter, t))
    return out


def _items_table(letter: Letter, t: Lang) -> Table:
    cur = letter.currency
    show_interest = letter.interest_minor > 0
    header = [t("Invoice"), t("Issued"), t("Due"), t("Open")]
    header += [t("Interest")] if show_interest else []
    rows: list[list] = [[cell(h) for h in header]]
    for item in letter.items:
        number = item.invoice_number + (f" · {t.label(item.installment_label)}"
                                        if item.installment_label else "")
        row = [para(number, "cell"), cell(t.date(item.issue_date)), cell(t.date(item.due_date)),
               cell(t.money(item.open_minor, cur))]
        row += [cell(t.money(item.interest_minor, cur))] if show_interest else []
        rows.append(row)
    pad = [""] * (len(header) - 2)
    totals = 1
    if letter.fee_minor:
        rows.append([cell(t("Reminder fee")), *pad, cell(t.money(letter.fee_minor, cur))])
        totals += 1
    rows.append([cell(t("Total due"), bold=True), *pad,
                 cell(t.money(letter.total_due_minor, cur), right=True, bold=True)])
    widths = [None, 27 * mm, 27 * mm, 30 * mm] + ([26 * mm] if show_interest else [])
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    style = table_style(1, total_rows=totals)
    for row in range(len(rows) - totals, len(rows)):
        style.add("SPAN", (0, row), (-2, row))
    table.setStyle(style)
    return table


def _plan_table(letter: Letter, t: Lang) -> Flowable:
    assert letter.plan is not None
    cur = letter.currency
    rows: list[list] = [[cell(t("Installment")), cell(t("Due date")), cell(t("Amount"))]]
    for inst in letter.plan.installments:
        rows.append([para(t.label(inst.label), "cell"), cell(t.date(inst.due_date)),
                     cell(t.money(inst.amount_minor, cur))])
    rows.append([cell(t("Total"), bold=True), "",
                 cell(t.money(letter.plan.total_minor, cur), right=True, bold=True)])
    table = Table(rows, colWidths=[None, 35 * mm, 35 * mm], repeatRows=1, hAlign="LEFT")
    table.setStyle(table_style(1, total_rows=1))
    return KeepTogether([para(t("New installments"), "heading"), table])


def _signatures(letter: Letter, t: Lang) -> Flowable:
    """Two signature lines: the company's and the customer's, each with place and date."""
    def block(name: str) -> list:
        return [Spacer(1, 14 * mm), para("_" * 38, "small"),
                para(f"{t('Place, date')} / {t('Signature')}", "small"),
                para(t("For %(name)s", name=name), "small")]
    table = Table([[block(letter.company.name), block(letter.customer.name)]],
                  colWidths=["50%", "50%"])
    return KeepTogether([Spacer(1, 4 * mm), table])

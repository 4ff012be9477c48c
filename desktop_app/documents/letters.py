"""Follow-up letters, deposit requests and payment-plan agreements; one or many per PDF."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from desktop_app.documents.data import InterestStretch, Letter, Stage
from desktop_app.documents.grid import Column, Foot, Grid
from desktop_app.documents.i18n import FEE_RULE_SENTENCES, Lang
from desktop_app.documents.letter_templates import letter_text
from desktop_app.documents.merge import merge_pdfs
from desktop_app.documents.payment import payment_block
from desktop_app.documents.pdf import Part, build
from desktop_app.documents.typesetting import para
from desktop_app.domain.errors import ValidationError
from desktop_app.messages import N_

STAGE_TITLES = {
    Stage.UPCOMING: "Upcoming payment", Stage.DUE: "Payment due",
    Stage.REMINDER_1: "Payment reminder", Stage.REMINDER_2: "Second reminder",
    Stage.FINAL_NOTICE: "Final notice", Stage.HANDOVER: "Notice before handover",
    Stage.DEPOSIT_REQUEST: "Deposit request", Stage.PAYMENT_PLAN: "Payment plan agreement",
}


def render_letter(letter: Letter) -> bytes:
    return render_letters([letter])


def render_letters(letters: Sequence[Letter]) -> bytes:
    """A day's letters as one print job: each starts on a new page and counts its own pages;
    a letter's enclosures (invoice copies) follow it."""
    if not letters:
        raise ValidationError("letters", N_("there is no letter to print"))
    first = letters[0]
    t = Lang(first.customer.language, first.customer.babel_locale)
    title = (f"{t(STAGE_TITLES[first.stage])} {first.reference}" if len(letters) == 1
             else t("Letters sent"))
    if not any(letter.enclosures for letter in letters):
        return build([letter_part(letter) for letter in letters], title=title)
    pdfs: list[bytes] = []
    for letter in letters:
        pdfs.append(build([letter_part(letter)], title=title))
        pdfs += letter.enclosures
    return merge_pdfs(pdfs, title=title)


def letter_part(letter: Letter, note: str = "") -> Part:
    t = Lang(letter.customer.language, letter.customer.babel_locale)
    text = letter_text(letter)
    info = [(t("Date"), t.date(letter.letter_date))]
    if letter.items:
        info.append((t("Invoice"), ", ".join(dict.fromkeys(i.invoice_number
                                                          for i in letter.items))))
    info.append((t("Payment reference"), letter.reference))
    contact = "\n".join(x for x in (letter.contact.name, letter.contact.phone) if x)
    if contact:
        info.append((t("Contact"), contact))
    paragraphs = [p for p in text.body.split("\n\n") if p.strip()]
    # The body's last paragraph is the closing and signature: the figures go before it.
    closing = paragraphs.pop() if len(paragraphs) > 1 else ""
    story: list[Flowable] = [para(text.subject, "title")]
    story += _spaced([para(p.strip()) for p in paragraphs])
    story += _figures(letter, t)
    tail: list[Flowable] = []
    if letter.total_due_minor > 0 and letter.stage is not Stage.PAYMENT_PLAN:
        block = payment_block(letter.company, t, amount_minor=letter.total_due_minor,
                              currency=letter.currency, reference=letter.reference,
                              with_qr=False)
        if block is not None:  # its parts, so that one KeepTogether holds them all
            tail += block._content if isinstance(block, KeepTogether) else [block]
    if letter.plan:  # an agreement closes with both signatures, the signer named under ours
        tail += _signatures(letter, t)
    elif closing:
        tail += _closing(closing.strip())
    # The closing and signature never stand alone on a page: they keep with what precedes.
    story.append(KeepTogether(tail))
    return Part(letter.company, t, t(STAGE_TITLES[letter.stage]), story, letter.customer,
                tuple(info), note)


def _closing(closing: str) -> list[Flowable]:
    """"Kind regards," then room for a handwritten signature, then who signs."""
    greeting, _, signed = closing.partition("\n")
    out: list[Flowable] = [Spacer(1, 3 * mm), para(greeting)]
    if signed.strip():
        out += [Spacer(1, 7 * mm), para(signed.strip(), "note")]
    return out


def _spaced(flowables: list[Flowable]) -> list[Flowable]:
    out: list[Flowable] = []
    for flowable in flowables:
        out += [flowable, Spacer(1, 2.5 * mm)]
    return out


def _figures(letter: Letter, t: Lang) -> list[Flowable]:
    if letter.deposit:
        dep = letter.deposit
        columns = [Column(t("Description"), flex=True), Column(t("Due date"), numeric=True),
                   Column(t("Amount"), numeric=True)]
        return [Grid(columns, [[dep.description, t.date(dep.due_date),
                                t.money(dep.amount_minor, letter.currency)]])]
    if letter.plan:  # an agreement lists what is agreed, on one page with its signatures
        return [_plan_table(letter, t)]
    out: list[Flowable] = [_items_table(letter, t)]
    if letter.fee_minor and letter.late_law:  # the statutory flat sum, by its law
        out.append(para(t("Late payment: a flat compensation of %(flat)s per invoice "
                          "(%(law)s).", flat=t.money(letter.fee_rate_minor, letter.currency),
                          law=letter.late_law), "small"))
    elif letter.fee_minor and letter.fee_rule:
        out.append(para(t(FEE_RULE_SENTENCES[letter.fee_rule],
                          fee=t.money(letter.fee_rate_minor, letter.currency)), "small"))
    for item in letter.items:
        if item.interest:
            calc = item.interest
            parts = calc.stretches or (
                InterestStretch(calc.days, calc.principal_minor, calc.amount_minor),)
            for part in parts:  # one line for each amount (or rate) that held for a while
                out.append(para(t(
                    "Interest on %(principal)s at %(rate)s a year for %(days)s days: "
                    "%(amount)s", principal=t.money(part.principal_minor, letter.currency),
                    rate=t.percent(calc.rate_percent if part.rate_percent is None
                                   else part.rate_percent), days=part.days,
                    amount=t.money(part.amount_minor, letter.currency))
                    + f" ({item.invoice_number})", "small"))
    return out


def _items_table(letter: Letter, t: Lang) -> Flowable:
    cur = letter.currency
    show_interest = letter.interest_minor > 0
    columns = [Column(t("Invoice"), flex=True), Column(t("Issued"), numeric=True),
               Column(t("Due"), numeric=True), Column(t("Open"), numeric=True)]
    columns += [Column(t("Interest"), numeric=True)] if show_interest else []
    body = []
    for item in letter.items:
        number = item.invoice_number + (f" · {t.label(item.installment_label)}"
                                        if item.installment_label else "")
        row = [number, t.date(item.issue_date), t.date(item.due_date),
               t.money(item.open_minor, cur)]
        row += [t.money(item.interest_minor, cur)] if show_interest else []
        body.append(row)
    fee_label = t("Flat compensation") if letter.late_law else t("Reminder fee")
    foot = [Foot(fee_label, t.money(letter.fee_minor, cur))] if letter.fee_minor else []
    foot.append(Foot(t("Total due"), t.money(letter.total_due_minor, cur), bold=True))
    return Grid(columns, body, foot)


def _plan_table(letter: Letter, t: Lang) -> Flowable:
    assert letter.plan is not None
    cur = letter.currency
    columns = [Column(t("Installment"), flex=True), Column(t("Due date"), numeric=True),
               Column(t("Amount"), numeric=True)]
    body = [[t.label(inst.label), t.date(inst.due_date), t.money(inst.amount_minor, cur)]
            for inst in letter.plan.installments]
    foot = [Foot(t("Total"), t.money(letter.plan.total_minor, cur), bold=True)]
    return KeepTogether([para(t("New installments"), "heading"), Grid(columns, body, foot)])


def _signatures(letter: Letter, t: Lang) -> list[Flowable]:
    """Two signature lines side by side on the same rows, the company's and the customer's,
    each with place and date."""
    line = "_" * 36
    signer = ", ".join(x for x in (letter.company.signer.name, letter.company.signer.title) if x)
    rows = [["", ""], [para(line, "small"), para(line, "small")],
            [para(f"{t('Place, date')} / {t('Signature')}", "small")] * 2,
            [para(t("For %(name)s", name=letter.company.name), "small"),
             para(t("For %(name)s", name=letter.customer.name), "small")],
            [para(signer, "small"), para(letter.customer.contact, "small")]]
    table = Table(rows, colWidths=["50%", "50%"],
                  rowHeights=[14 * mm, None, None, None, None])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return [Spacer(1, 4 * mm), table]

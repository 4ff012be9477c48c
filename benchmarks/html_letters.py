"""The peer for the letters figure: the same letters written as HTML and rendered by
WeasyPrint, the usual Python route to a PDF.

Each letter says what PaidUp's letter says, from the same ``Letter`` snapshot, in the same
words (``letter_text`` and the same catalogues and formats), with the same page furniture:
letterhead, DIN 5008 return line and window address, information block, items table with
fee, interest and total, how to pay, closing, a three-column footer, fold marks and
"Page x of y" per letter. The fonts are the ones PaidUp embeds, so both sides draw the same
glyphs.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from desktop_app.documents.data import Letter
from desktop_app.documents.i18n import Lang
from desktop_app.documents.letter_templates import letter_text
from desktop_app.documents.letters import STAGE_TITLES
from desktop_app.documents.paths import FONTS

CSS = f"""
@font-face {{ font-family: PaidUp; src: url("{(FONTS / 'DejaVuSans.ttf').as_uri()}"); }}
@font-face {{ font-family: PaidUp; font-weight: bold;
              src: url("{(FONTS / 'DejaVuSans-Bold.ttf').as_uri()}"); }}
@font-face {{ font-family: PaidUpCJK;
              src: url("{(FONTS / 'DroidSansFallbackFull.ttf').as_uri()}"); }}
@page {{ size: A4; margin: 98.46mm 20mm 34mm 25mm;
         @bottom-center {{ content: element(foot); width: 165mm; vertical-align: top; }}
         @bottom-right-corner {{ content: string(pre) " " counter(page) " "
                                 string(mid) " " counter(pages); font: 8pt PaidUp; color: #595959;
                                 vertical-align: top; padding-top: 9mm; }} }}
html {{ font: 9.5pt/13.5pt PaidUp, PaidUpCJK; }}
.letter {{ position: relative; break-before: page; }}
.letter:first-child {{ break-before: auto; }}
.head {{ position: absolute; top: -86.46mm; left: 0; width: 165mm; }}
.head .name {{ font-size: 15pt; font-weight: bold; line-height: 17pt; }}
.head .line {{ font-size: 8pt; color: #595959; }}
.window {{ position: absolute; top: -35.76mm; left: -0mm; width: 80mm; }}
.window .sender {{ font-size: 6.5pt; color: #595959; text-decoration: underline;
                   margin-bottom: 3mm; white-space: nowrap; overflow: hidden; }}
.window .address {{ font-size: 10pt; line-height: 12pt; }}
.info {{ position: absolute; top: -48.46mm; left: 100mm; width: 65mm; font-size: 8.5pt;
         border-collapse: collapse; }}
.info th {{ font-size: 8pt; color: #595959; font-weight: normal; text-align: left;
            padding: 0 3mm 0 0; vertical-align: top; }}
.info td {{ white-space: pre-line; padding: 0; }}
.marks {{ position: absolute; left: -22mm; width: 5mm; border-top: 0.4pt solid #595959; }}
h1 {{ font-size: 14pt; line-height: 18pt; margin: 0 0 6pt; }}
h2 {{ font-size: 10.5pt; margin: 8pt 0 3pt; }}
p {{ margin: 0 0 2.5mm; }}
table.items {{ border-collapse: collapse; width: 100%; font-size: 8.5pt; margin: 2mm 0; }}
table.items th {{ background: #ededed; text-align: left; padding: 2pt 4pt; }}
table.items td {{ padding: 2pt 4pt; border-bottom: 0.5pt solid #bfbfbf; }}
table.items .num {{ text-align: right; }}
table.items tr.total td {{ font-weight: bold; border-top: 0.8pt solid #595959; }}
.pre {{ string-set: pre content(); }} .mid {{ string-set: mid content(); }}
.label {{ height: 0; overflow: hidden; visibility: hidden; }}
.closing {{ margin-top: 4mm; white-space: pre-line; }}
.small {{ font-size: 8pt; line-height: 10pt; color: #595959; }}
table.bank {{ font-size: 8.5pt; border-collapse: collapse; }}
table.bank th {{ text-align: left; font-weight: normal; width: 35mm; padding: 1pt 0; }}
.foot {{ position: running(foot); display: flex; width: 165mm;
         border-top: 0.5pt solid #bfbfbf; font-size: 6.5pt; line-height: 8pt;
         color: #595959; }}
.foot div {{ flex: 1; white-space: pre-line; padding-top: 2pt; }}
"""


def _cells(*values: str, cls: str = "", tag: str = "td") -> str:
    attr = f' class="{cls}"' if cls else ""
    return "".join(f"<{tag}{attr}>{escape(v)}</{tag}>" for v in values)


def _items(letter: Letter, t: Lang) -> str:
    cur = letter.currency
    interest = letter.interest_minor > 0
    head = [t("Invoice"), t("Issued"), t("Due"), t("Open")] + ([t("Interest")] if interest
                                                               else [])
    rows = [f"<tr>{_cells(*head, tag='th')}</tr>"]
    for item in letter.items:
        number = item.invoice_number + (f" · {t.label(item.installment_label)}"
                                        if item.installment_label else "")
        rows.append("<tr>" + _cells(number, t.date(item.issue_date), t.date(item.due_date))
                    + _cells(t.money(item.open_minor, cur), cls="num")
                    + (_cells(t.money(item.interest_minor, cur), cls="num") if interest
                       else "") + "</tr>")
    span = len(head) - 1
    if letter.fee_minor:
        rows.append(f'<tr><td colspan="{span}">{escape(t("Reminder fee"))}</td>'
                    + _cells(t.money(letter.fee_minor, cur), cls="num") + "</tr>")
    rows.append(f'<tr class="total"><td colspan="{span}">{escape(t("Total due"))}</td>'
                + _cells(t.money(letter.total_due_minor, cur), cls="num") + "</tr>")
    notes = [
        t("Interest on %(principal)s at %(rate)s a year for %(days)s days: %(amount)s",
          principal=t.money(i.interest.principal_minor, cur), rate=t.percent(
              i.interest.rate_percent), days=i.interest.days,
          amount=t.money(i.interest.amount_minor, cur)) + f" ({i.invoice_number})"
        for i in letter.items if i.interest]
    return (f'<table class="items">{"".join(rows)}</table>'
            + "".join(f'<p class="small">{escape(n)}</p>' for n in notes))


def _payment(letter: Letter, t: Lang) -> str:
    company, bank = letter.company, letter.company.bank
    rows = [(t("Account holder"), bank.account_holder or company.name),
            (t("Bank"), bank.bank_name), (t("IBAN"), bank.iban), (t("BIC"), bank.bic),
            (t("Payment reference"), letter.reference)]
    intro = t("Please transfer %(amount)s to the account below, quoting the reference "
              "%(reference)s.", amount=t.money(letter.total_due_minor, letter.currency),
              reference=letter.reference)
    return (f"<h2>{escape(t('How to pay'))}</h2><p>{escape(intro)}</p><table class=\"bank\">"
            + "".join(f"<tr>{_cells(k, tag='th')}{_cells(v)}</tr>" for k, v in rows if v)
            + "</table>")


def _footer(letter: Letter, t: Lang) -> str:
    company, bank = letter.company, letter.company.bank
    columns = [
        [company.name, *company.address],
        [f"{t('Phone')}: {company.phone}" if company.phone else "", company.email,
         f"{t('Tax ID')}: {company.tax_id}" if company.tax_id else ""],
        [bank.account_holder, f"{t('IBAN')}: {bank.iban}" if bank.iban else "",
         f"{t('BIC')}: {bank.bic}" if bank.bic else ""],
    ]
    return '<div class="foot">' + "".join(
        f"<div>{escape(chr(10).join(x for x in col if x))}</div>" for col in columns) + "</div>"


def _page_label(t: Lang) -> str:
    """The words of "Page x of y" in the reader's language, for the page's margin box."""
    before, _, rest = t("Page %(page)s of %(pages)s", page="\0", pages="\1").partition("\0")
    middle = rest.partition("\1")[0]
    return (f'<div class="label"><span class="pre">{escape(before)}</span>'
            f'<span class="mid">{escape(middle)}</span></div>')


def letter_html(letter: Letter) -> str:
    """One letter as a block that starts on a new page."""
    t = Lang(letter.customer.language, letter.customer.babel_locale)
    text = letter_text(letter)
    company = letter.company
    paragraphs = [p.strip() for p in text.body.split("\n\n") if p.strip()]
    closing = paragraphs.pop() if len(paragraphs) > 1 else ""
    info = [(t("Date"), t.date(letter.letter_date)),
            (t("Invoice"), ", ".join(dict.fromkeys(i.invoice_number for i in letter.items))),
            (t("Payment reference"), letter.reference),
            (t("Contact"), "\n".join(x for x in (letter.contact.name, letter.contact.phone)
                                     if x))]
    details = [" · ".join(company.address),
               " · ".join(x for x in (company.phone, company.email) if x)]
    return "".join([
        '<section class="letter">',
        f'<div class="head"><div class="name">{escape(company.name)}</div>',
        *(f'<div class="line">{escape(d)}</div>' for d in details), "</div>",
        '<div class="window"><div class="sender">',
        escape(" · ".join([company.name, *company.address])), '</div><div class="address">',
        "<br>".join(escape(x) for x in (letter.customer.name, *letter.customer.address)),
        "</div></div>",
        '<table class="info">', *(f"<tr>{_cells(k, tag='th')}{_cells(v)}</tr>"
                                  for k, v in info), "</table>",
        '<div class="marks" style="top:6.54mm"></div>',
        '<div class="marks" style="top:111.54mm"></div>',
        f"<h1 title=\"{escape(t(STAGE_TITLES[letter.stage]))}\">{escape(text.subject)}</h1>",
        *(f"<p>{escape(p)}</p>" for p in paragraphs),
        _items(letter, t), _payment(letter, t),
        f'<p class="closing">{escape(closing)}</p>' if closing else "",
        _page_label(t), _footer(letter, t), "</section>",
    ])


def letters_html(letters: Sequence[Letter]) -> str:
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Letters</title>"
            f"<style>{CSS}</style></head><body>"
            + "".join(letter_html(letter) for letter in letters) + "</body></html>")


def render_letters_html(letters: Sequence[Letter]) -> bytes:
    """The WeasyPrint side of the comparison: HTML to one PDF, all letters in one job."""
    from weasyprint import HTML  # the peer is loaded only for this figure

    return HTML(string=letters_html(letters)).write_pdf()

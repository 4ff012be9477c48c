"""The handover dossier: one PDF with everything a lawyer or agency needs to act.

A cover lists the invoices and every document sent with its date and SHA-256, and the
customer's credit application (the decision, the references called, the documents kept); the
documents sent follow byte for byte as the customer received them (never rendered again),
then the activity log and a statement of account.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from desktop_app.documents.data import CreditRecord, Dossier, SentCopy, Stage
from desktop_app.documents.grid import Column, Grid
from desktop_app.documents.i18n import Lang
from desktop_app.documents.letters import STAGE_TITLES
from desktop_app.documents.merge import merge_pdfs
from desktop_app.documents.pdf import Part, build
from desktop_app.documents.statement import statement_part
from desktop_app.documents.typesetting import para


def render_dossier(dossier: Dossier) -> bytes:
    # The dossier is read by the user's lawyer: in the company's words, i.e. the language
    # of the documents it contains (the customer's).
    t = Lang(dossier.customer.language, dossier.customer.babel_locale)
    title = f"{t('Collection dossier')} {dossier.customer.name}"
    cover = build([_cover(dossier, t)], title=title)
    tail = build([_activity(dossier, t), statement_part(dossier.statement)], title=title)
    pages = [copy.pdf for copy in dossier.copies if copy.pdf.startswith(b"%PDF-")]
    files = [(copy.filename, copy.pdf) for copy in dossier.copies
             if not copy.pdf.startswith(b"%PDF-")]
    return merge_pdfs([cover, *pages, tail], title=title, attachments=files)


def grouped(sha256: str) -> str:
    """A fingerprint in groups of eight, as people compare them (and lines may break)."""
    return " ".join(sha256[i:i + 8] for i in range(0, len(sha256), 8))


def copy_title(copy: SentCopy, t: Lang) -> str:
    if copy.kind == "invoice":
        return f"{t('Invoice')} {copy.reference}"
    if copy.kind == "einvoice":  # an XML: attached to the dossier, not printed in it
        return f"{t('E-invoice')} {copy.filename} ({copy.reference})"
    if copy.stage in {s.value for s in Stage}:
        return f"{t(STAGE_TITLES[Stage(copy.stage)])} ({copy.reference})"
    return copy.reference


def _cover(dossier: Dossier, t: Lang) -> Part:
    title = t("Collection dossier")
    open_by_number: dict[str, int] = {}
    for item in dossier.statement.items:
        open_by_number[item.invoice_number] = open_by_number.get(item.invoice_number, 0) + \
            item.open_minor
    inv_table = Grid(
        [Column(t("Invoice"), flex=True), Column(t("Invoice date"), numeric=True),
         Column(t("Due date"), numeric=True), Column(t("Total"), numeric=True),
         Column(t("Open"), numeric=True)],
        [[inv.number, t.date(inv.issue_date), t.date(inv.due_date),
          t.money(inv.total_minor, inv.currency),
          t.money(open_by_number.get(inv.number, 0), inv.currency)]
         for inv in dossier.invoices])
    sent_table = Grid(
        [Column(t("Date"), numeric=True), Column(t("Letter")),
         Column(t("SHA-256 of the PDF sent"), flex=True)],
        [[t.date(copy.sent_on), copy_title(copy, t), grouped(copy.sha256)]
         for copy in dossier.copies])
    customer = dossier.customer
    story: list[Flowable] = [
        para(title, "title"), para(t("Customer"), "heading"),
        para("\n".join([customer.name, *customer.address])),
        *_credit(dossier, t),
        para(t("Invoices"), "heading"), inv_table,
        *_receipts(dossier, t),
        para(t("Letters sent"), "heading"), sent_table,
        para(t("Total open"), "heading"),
        para(t.money(dossier.statement.open_minor, dossier.statement.currency), bold=True),
    ]
    info = ((t("As of"), t.date(dossier.as_of)),)
    return Part(dossier.company, t, title, story, None, info)


VIA_WORDS = {"email": "By email", "phone": "By phone", "letter": "By letter"}


def _receipts(dossier: Dossier, t: Lang) -> list[Flowable]:
    """The invoices the customer confirmed receiving: it answers "we never got it"."""
    received = [inv for inv in dossier.invoices if inv.received_on is not None]
    if not received:
        return []
    table = Grid(
        [Column(t("Invoice"), flex=True), Column(t("Received on"), numeric=True),
         Column(t("Confirmed by"), flex=True), Column(t("How"))],
        [[inv.number, t.date(inv.received_on), inv.received_by,
          t(VIA_WORDS.get(inv.received_via, inv.received_via))]
         for inv in received if inv.received_on is not None])
    return [para(t("Receipt confirmed"), "heading"),
            para(t("The customer confirmed that these invoices arrived.")), table]


KIND_WORDS = {"financial_statements": "Financial statements", "credit_report": "Credit report",
              "other": "Other document"}
# The decision in one sentence, for what it gave: (limit, terms) -> words.
APPROVED = {
    (True, True): "Credit approved on %(date)s by %(who)s, with a limit of %(limit)s and the "
                  "payment terms %(terms)s.",
    (True, False): "Credit approved on %(date)s by %(who)s, with a limit of %(limit)s.",
    (False, True): "Credit approved on %(date)s by %(who)s, with the payment terms %(terms)s.",
    (False, False): "Credit approved on %(date)s by %(who)s.",
}
# A reference called, for whom and which number the call names: (person, phone) -> words.
CALLED = {
    (True, True): "On %(date)s we called %(person)s at %(company)s, phone %(phone)s.",
    (True, False): "On %(date)s we called %(person)s at %(company)s.",
    (False, True): "On %(date)s we called %(company)s, phone %(phone)s.",
    (False, False): "On %(date)s we called %(company)s.",
}


def _sentences(t: Lang, sentences: list[str]) -> str:
    """Sentences in a row: Chinese ones end in a full-width stop and take no space."""
    return ("" if t.language.startswith("zh") else " ").join(sentences)


def _credit(dossier: Dossier, t: Lang) -> list[Flowable]:
    """The credit applications: on what the customer was given credit (or refused it), who
    decided, whom we asked about the customer and what we kept. Seed 003."""
    if not dossier.credit:
        return []
    out: list[Flowable] = [para(t("Credit application"), "heading")]
    for number, record in enumerate(dossier.credit):
        out += [Spacer(1, 2 * mm)] if number else []
        out += _credit_record(record, t)
    return out


def _credit_record(record: CreditRecord, t: Lang) -> list[Flowable]:
    said = [t("Credit application opened on %(date)s.", date=t.date(record.opened_on))
            if record.decided_on is not None and record.state != "open" else
            t("Credit application opened on %(date)s; not decided yet.",
              date=t.date(record.opened_on))]
    if record.decided_on is not None and record.state == "approved":
        given = record.limit_minor is not None, bool(record.terms)
        said.append(t(APPROVED[given], date=t.date(record.decided_on), who=record.decided_by,
                      limit=t.money(record.limit_minor or 0, record.currency),
                      terms=t.terms_name(record.terms)))
    elif record.decided_on is not None and record.state == "refused":
        said.append(t("Credit refused on %(date)s by %(who)s.", date=t.date(record.decided_on),
                      who=record.decided_by))
    if record.review_on is not None:
        said.append(t("To be reviewed from %(date)s.", date=t.date(record.review_on)))
    out: list[Flowable] = [para(_sentences(t, said))]
    if record.note:
        out.append(para(t("Note: %(note)s", note=record.note)))
    out.append(para(t("References called"), bold=True))
    if not record.references:
        out.append(para(t("No references were called.")))
    for ref in record.references:
        words = [t(CALLED[bool(ref.person), bool(ref.phone)], date=t.date(ref.called_on),
                   person=ref.person, company=ref.company, phone=ref.phone)]
        if ref.said:
            words.append(t("They said: “%(said)s”", said=ref.said))
        out.append(para(_sentences(t, words)))
    out.append(para(t("Documents kept"), bold=True))
    if not record.documents:
        return [*out, para(t("No documents were kept."))]
    out.append(Grid(
        [Column(t("Date"), numeric=True), Column(t("Kind")), Column(t("File"), flex=True),
         Column(t("SHA-256 (first 16 digits)"))],
        [[t.date(d.added_on), t(KIND_WORDS.get(d.kind, "Other document")), d.filename,
          grouped(d.sha256[:16])] for d in record.documents]))
    return out


def _activity(dossier: Dossier, t: Lang) -> Part:
    title = t("Activity log")
    table = Grid([Column(t("Date"), numeric=True), Column(t("Kind")),
                  Column(t("Summary"), flex=True)],
                 [[t.date(entry.on), entry.kind, entry.summary]
                  for entry in sorted(dossier.activity, key=lambda e: e.on)])
    return Part(dossier.company, t, title, [para(title, "title"), table], None,
                ((t("Customer"), dossier.customer.name),))

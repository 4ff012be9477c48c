"""Credit applications through the services: each step refused with a reason and nothing
changed when it does not fit, the decision recorded with who made it, a refusal keeping the
customer without credit, and every step in the customer's log."""

import hashlib
from datetime import date
from decimal import Decimal

import pytest

from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.services import activity, credit_applications, customers, documents, invoices
from desktop_app.services.changes import OpChanges, run_op
from tests.support.books import ISSUE, draft

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def newcomer(ready):
    return customers.add_customer(ready, name="Neukunde GmbH", terms="Net 30").id


def test_each_step_needs_its_place_and_says_so(ready, newcomer):
    with pytest.raises(RuleViolation, match=rf"no credit application open: start one first "
                                            rf"\(credit apply {newcomer}\)"):
        credit_applications.add_reference(ready, newcomer, company="Nord AG")
    with pytest.raises(RuleViolation, match="no credit application open"):
        credit_applications.decide(ready, newcomer, limit="1000", terms="Net 30")
    credit_applications.apply(ready, newcomer)
    with pytest.raises(RuleViolation, match="has a credit application open since 2026-11-22"):
        credit_applications.apply(ready, newcomer)
    with pytest.raises(ValidationError, match="company: must not be empty"):
        credit_applications.add_reference(ready, newcomer, company=" ")
    with pytest.raises(ValidationError, match="date: 2026-11-23 is after today"):
        credit_applications.add_reference(ready, newcomer, company="Nord AG",
                                          called_on=date(2026, 11, 23))
    with pytest.raises(ValidationError, match="kind: 'bank_statement' is not one of"):
        credit_applications.add_document(ready, newcomer, filename="x.pdf", content=PDF,
                                          kind="bank_statement")
    with pytest.raises(ValidationError, match="limit: must be given to approve credit"):
        credit_applications.decide(ready, newcomer, terms="Net 30")
    with pytest.raises(ValidationError, match="terms: no payment terms called 'Net 99'"):
        credit_applications.decide(ready, newcomer, limit="1000", terms="Net 99")
    with pytest.raises(ValidationError, match="refuse: a refusal gives no limit nor terms"):
        credit_applications.decide(ready, newcomer, limit="1000", refuse=True)
    shown = credit_applications.show(ready, newcomer)
    assert (shown.standing, shown.application.state, shown.application.references) == (
        "undecided", "open", ())


def test_a_document_is_kept_byte_for_byte_with_its_sha256(ready, newcomer):
    credit_applications.apply(ready, newcomer)
    view = credit_applications.add_document(ready, newcomer, filename="/scans/Bilanz 2025.pdf",
                                            content=PDF, kind="financial_statements")
    (doc,) = view.application.documents
    assert (doc.filename, doc.size, doc.sha256, doc.media_type) == (
        "Bilanz 2025.pdf", len(PDF), hashlib.sha256(PDF).hexdigest(), "application/pdf")
    kept, content = credit_applications.document_content(ready, doc.id)
    assert (kept, content) == (doc, PDF)
    log = [e.summary for e in activity.timeline(ready, newcomer)]
    assert "Credit document kept: financial statements, Bilanz 2025.pdf" in log


def test_approval_gives_the_customer_its_limit_and_terms_and_names_who_decided(ready,
                                                                             newcomer):
    credit_applications.apply(ready, newcomer)
    done = run_op(lambda: credit_applications.decide(ready, newcomer, limit="2500.00",
                                                     terms="2/10 net 30", by="Anna Berg"))
    assert OpChanges.CUSTOMERS in done.changes
    view = done.result
    assert (view.standing, view.credit_limit, view.terms, view.review_on) == (
        "approved", Decimal("2500.00"), "2/10 net 30", date(2027, 11, 22))
    customer = customers.show_customer(ready, newcomer)
    assert (customer.terms, str(customer.credit_limit)) == ("2/10 net 30", "2500.00")
    assert any(e.summary.startswith("Credit approved: limit 2500.00 EUR, 2/10 net 30, "
                                    "decided by Anna Berg; review on 2027-11-22")
               for e in activity.timeline(ready, newcomer))


def test_a_refused_customer_goes_on_paying_as_new_customers_do(ready, newcomer):
    credit_applications.apply(ready, newcomer)
    view = credit_applications.decide(ready, newcomer, refuse=True, note="no references")
    assert (view.standing, view.credit_granted) == ("refused", False)
    inv = draft(ready, "Beratung|1|100.00|19", customer_id=newcomer, terms="Net 30")
    assert "credit application was refused" in invoices.show_invoice(ready, inv).credit_flag
    with pytest.raises(RuleViolation, match="Neukunde GmbH's credit application was refused, "
                                            "so it pays on receipt"):
        invoices.issue_invoice(ready, inv, ISSUE)
    assert invoices.show_invoice(ready, inv).status == "draft"
    credit_applications.set_new_customer_rule(ready, "deposit", "50")
    with pytest.raises(RuleViolation, match="a deposit of at least 50 % on issue"):
        invoices.issue_invoice(ready, draft(ready, "Beratung|1|100.00|19",
                                            customer_id=newcomer, schedule="30/30/40"), ISSUE)
    issued = invoices.issue_invoice(ready, draft(ready, "Beratung|1|100.00|19",
                                                 customer_id=newcomer, schedule="50/50"),
                                    ISSUE)
    assert issued.number


def test_a_refusal_comes_up_for_review_a_year_later_like_an_approval(ready, newcomer):
    """A customer refused today may have the references and the accounts next year."""
    credit_applications.apply(ready, newcomer)
    view = credit_applications.decide(ready, newcomer, refuse=True, by="Anna Berg")
    assert (view.standing, view.review_on, view.review_due) == (
        "refused", date(2027, 11, 22), False)
    assert any(e.summary == "Credit refused, decided by Anna Berg; review on 2027-11-22"
               for e in activity.timeline(ready, newcomer))
    assert credit_applications.review_tasks(ready, date(2027, 11, 21)) == []
    (task,) = credit_applications.review_tasks(ready, date(2027, 11, 22))
    assert (task.customer_id, task.state, task.review_on) == (newcomer, "refused",
                                                              date(2027, 11, 22))


def test_the_dossier_names_the_decision_the_references_and_the_documents(ready, newcomer,
                                                                        read_pdf):
    """A lawyer reads on what credit was given: who decided, when, the limit and terms,
    whom we called and what they said, and which documents were kept (by fingerprint)."""
    credit_applications.apply(ready, newcomer, on=date(2026, 11, 2))
    credit_applications.add_reference(ready, newcomer, company="Nord AG", person="Eva Krause",
                                      phone="+49 40 555 0101", said="pays in 30 days",
                                      called_on=date(2026, 11, 3))
    credit_applications.add_reference(ready, newcomer, company="Süd GmbH",
                                      called_on=date(2026, 11, 4))
    credit_applications.add_document(ready, newcomer, filename="Bilanz 2025.pdf", content=PDF,
                                     kind="financial_statements", on=date(2026, 11, 3))
    credit_applications.decide(ready, newcomer, limit="2500.00", terms="Net 30",
                               by="Anna Berg", on=date(2026, 11, 5))
    inv = invoices.issue_invoice(ready, draft(ready, "Beratung|1|100.00|19",
                                              customer_id=newcomer), ISSUE)
    text = " ".join(read_pdf(documents.dossier_pdf(ready, inv.id, date(2026, 11, 22)))
                    .pages[0].split())
    sha = hashlib.sha256(PDF).hexdigest()
    for said in ("Credit application opened on Nov 2, 2026. Credit approved on Nov 5, 2026 "
                 "by Anna Berg, with a limit of €2,500.00 and the payment terms Net 30. To be "
                 "reviewed from Nov 5, 2027.",
                 "On Nov 3, 2026 we called Eva Krause at Nord AG,",
                 "phone +49 40 555 0101. They said: “pays in 30 days”",
                 "On Nov 4, 2026 we called Süd GmbH.",
                 f"Nov 3, 2026 Financial statements Bilanz 2025.pdf {sha[:8]} {sha[8:16]}"):
        assert said in text, said


def test_customers_known_from_before_are_added_with_their_credit(ready):
    known = customers.add_customer(ready, name="Stammkunde KG", terms="Net 30",
                                   credit_granted=True).id
    assert credit_applications.show(ready, known).standing == "granted"
    inv = draft(ready, "Beratung|1|100.00|19", customer_id=known)
    assert invoices.show_invoice(ready, inv).credit_flag == ""
    assert invoices.issue_invoice(ready, inv, ISSUE).due_date > ISSUE

"""A new customer's first quarter replayed day by day through paidup-cli, on SQLite and
PostgreSQL: refused credit terms (cash only, then a deposit) until its credit application is
decided, then invoiced on terms, flagged near its limit and refused over it; its credit
comes up for review a year after the decision, on Today and in ``credit reviews``."""

import hashlib
from datetime import date, timedelta

from desktop_app.services.books import open_books
from desktop_app.services.followup.today import today as today_view
from tests.support.books import fixed_clock

FIRST, LAST = date(2026, 1, 5), date(2026, 3, 31)
DECIDED = date(2026, 2, 2)
# A small real PDF, as a scanner's export starts: the books keep it byte for byte.
STATEMENTS = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
              b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def refused_line(cli, *args: str) -> str:
    """The command is refused with exit 1 and one line on stderr."""
    out = cli(*args, ok=False)
    assert out.returncode == 1, out
    assert out.stderr.strip() and "\n" not in out.stderr.strip(), out.stderr
    assert "Traceback" not in out.stderr
    return out.stderr.strip()


def test_a_new_customer_gets_credit_terms_only_once_its_application_is_approved(
        cli, db_url, tmp_path):
    cli("company", "set", "--name", "Lindenhof GmbH", "--currency", "EUR",
        "--iban", "DE89370400440532013000", "--address", "Lindenstr. 1\n10969 Berlin")
    cli("terms", "add", "Net 30", "--net-days", "30", "--default")
    at = ("--as-of", FIRST.isoformat())
    customer = str(cli.js(*at, "customer", "add", "--name", "Neukunde GmbH",
                          "--address", "Hafenweg 2\n20457 Hamburg")["id"])
    assert cli.js("credit", "show", customer)["standing"] == "undecided"
    assert cli.js("credit", "new-customers")["rule"] == "cash_only"  # the default

    # Cash only: an invoice given terms is flagged when drafted and refused when issued.
    drafted = cli.js(*at, "invoice", "add", "--customer", customer, "--terms", "Net 30",
                     "--line", "Montage|1|1000.00|19")
    on_terms = str(drafted["id"])
    assert "no credit decision yet" in drafted["credit_flag"]
    reason = refused_line(cli, *at, "invoice", "issue", on_terms)
    assert reason.endswith("Neukunde GmbH has no credit decision yet, so it pays on "
                           "receipt: choose no terms for this invoice (it is then due on "
                           "receipt), or approve its credit application first (credit "
                           "decide)"), reason
    assert cli.js("invoice", "show", on_terms)["status"] == "draft"  # nothing changed
    # An invoice given no terms is due on receipt, though the books have no such terms.
    trial = cli.js(*at, "invoice", "add", "--customer", customer,
                   "--line", "Probelieferung|1|200.00|19")
    assert trial["credit_flag"] == ("Neukunde GmbH has no credit decision yet: its invoices "
                                    "are due on receipt until its credit is granted")
    issued = cli.js(*at, "invoice", "issue", str(trial["id"]))
    assert (issued["total"], issued["due_date"]) == ("238.00", FIRST.isoformat())
    # A quote is flagged as a draft is. Accepted, it makes its draft and asks the deposit
    # all the same (the customer said yes), and says why the draft cannot be issued as it
    # is and what to do.
    quoted = cli.js(*at, "quote", "add", "--customer", customer,
                    "--line", "Montage|1|1000.00|19")
    assert quoted["credit_flag"] == ("Neukunde GmbH has no credit decision yet: the invoice "
                                     "for this quote can only be issued due on receipt, not "
                                     "on the quote's schedule")
    accepted = cli.js(*at, "quote", "accept", str(quoted["id"]))
    assert accepted["quote"]["status"] == "accepted" and accepted["deposit_letter_id"]
    assert accepted["warning"].startswith(
        f"Quote {quoted['number']} is accepted, but draft invoice {accepted['invoice_id']} "
        "cannot be issued as it is: Neukunde GmbH has no credit decision yet")
    assert "(credit new-customers --rule deposit)" in accepted["warning"]
    refusal = refused_line(cli, *at, "invoice", "issue", str(accepted["invoice_id"]))
    assert accepted["warning"].endswith(refusal.removeprefix("paidup-cli: "))
    assert "warning: Quote" in cli(*at, "quote", "accept", str(cli.js(
        *at, "quote", "add", "--customer", customer, "--line", "Montage|1|10.00|19")["id"])
        ).stdout  # the text output says it too

    # Deposit required: terms pass only with a deposit of 30 % or more due on issue.
    at = ("--as-of", "2026-01-06")
    cli(*at, "credit", "new-customers", "--rule", "deposit")
    assert "deposit of at least 30 %" in refused_line(cli, *at, "invoice", "issue", on_terms)
    project = str(cli.js(*at, "invoice", "add", "--customer", customer, "--schedule",
                         "30/30/40", "--line", "Projekt|1|1000.00|19")["id"])
    issued = cli.js(*at, "invoice", "issue", project)
    assert (issued["total"], issued["due_date"]) == ("1190.00", "2026-03-07")

    statements = tmp_path / "Jahresabschluss 2025.pdf"
    statements.write_bytes(STATEMENTS)
    day = date(2026, 1, 7)
    flags = {}
    while day <= LAST:
        at = ("--as-of", day.isoformat())
        if day == date(2026, 1, 8):
            cli(*at, "payment", "add", "--invoice", str(trial["id"]), "--amount", "238.00",
                "--date", day.isoformat())
        if day == date(2026, 1, 12):
            assert cli.js(*at, "credit", "apply", customer)["application"]["state"] == "open"
        if day == date(2026, 1, 14):
            shown = cli.js(*at, "credit", "reference", "add", customer, "--company",
                           "Baustoffe Nord AG", "--person", "Jana Krüger", "--phone",
                           "+49 40 123456", "--said", "pays within 30 days, six years a "
                           "customer", "--date", "2026-01-13")
            ref = shown["application"]["references"][0]
            assert (ref["company"], ref["called_on"]) == ("Baustoffe Nord AG", "2026-01-13")
        if day == date(2026, 1, 15):
            shown = cli.js(*at, "credit", "document", "add", customer, str(statements),
                           "--kind", "financial_statements")
            doc = shown["application"]["documents"][0]
            assert doc["sha256"] == hashlib.sha256(STATEMENTS).hexdigest()
            assert (doc["filename"], doc["size"]) == (statements.name, len(STATEMENTS))
        if day == date(2026, 1, 20):
            cli(*at, "payment", "add", "--invoice", project, "--amount", "1190.00",
                "--date", day.isoformat())
            # Still undecided: the invoice on terms is still refused.
            assert "no credit decision yet" in refused_line(cli, *at, "invoice", "issue",
                                                            on_terms)
        if day == DECIDED:
            decided = cli.js(*at, "credit", "decide", customer, "--limit", "5000",
                             "--terms", "Net 30", "--by", "Anna Berg")
            assert (decided["standing"], decided["credit_limit"], decided["terms"],
                    decided["review_on"]) == ("approved", "5000.00", "Net 30", "2027-02-02")
            assert decided["application"]["decided_by"] == "Anna Berg"
        if day == date(2026, 2, 3):
            issued = cli.js(*at, "invoice", "issue", on_terms)
            assert issued["due_date"] == "2026-03-05"
        if day == date(2026, 3, 2):
            quoted = cli.js(*at, "quote", "add", "--customer", customer,
                            "--line", "Material|1|2500.00|19")
            flags["quote"] = quoted["credit_flag"]
            flags["quote shown"] = cli(*at, "quote", "show", str(quoted["id"])).stdout
            near = cli.js(*at, "invoice", "add", "--customer", customer,
                          "--line", "Material|1|2500.00|19")
            flags["near"] = near["credit_flag"]
            cli(*at, "invoice", "issue", str(near["id"]))
        if day == date(2026, 3, 3):
            over = cli.js(*at, "invoice", "add", "--customer", customer,
                          "--line", "Nachtrag|1|1000.00|19")
            flags["over"] = over["credit_flag"]
            flags["refused"] = refused_line(cli, *at, "invoice", "issue", str(over["id"]))
        assert cli.js(*at, "credit", "reviews") == []  # no review within the quarter
        day += timedelta(days=1)

    assert flags["near"] == ("Neukunde GmbH is near its credit limit: with this invoice it "
                             "would owe 4165.00 EUR, 83 % of its limit of 5000.00 EUR")
    assert flags["quote"] == ("Neukunde GmbH is near its credit limit: with this quote it "
                              "would owe 4165.00 EUR, 83 % of its limit of 5000.00 EUR")
    assert f"credit_flag: {flags['quote']}\n" in flags["quote shown"]
    assert flags["over"].startswith("Neukunde GmbH would owe 5355.00 EUR")
    assert "over the credit limit of 5000.00 EUR" in flags["refused"]

    # A year after the decision the question re-opens: on Today and in credit reviews.
    assert cli.js("--as-of", "2027-02-01", "credit", "reviews") == []
    due = cli.js("--as-of", "2027-02-02", "credit", "reviews")
    assert [(r["customer_name"], r["decided_on"], r["state"]) for r in due] == [
        ("Neukunde GmbH", "2026-02-02", "approved")]
    books = open_books(db_url, actor="tester", clock=fixed_clock)
    try:
        rows = [r for r in today_view(books, date(2027, 2, 2)).calls
                if r.kind == "credit_review"]
        assert [(r.customer_name, r.days_late) for r in rows] == [("Neukunde GmbH", 0)]
        assert not [r for r in today_view(books, date(2027, 2, 1)).calls
                    if r.kind == "credit_review"]
    finally:
        books.close()
    # Reviewed: a new application decided again takes it off the list.
    at = ("--as-of", "2027-02-03")
    cli(*at, "credit", "apply", customer)
    renewed = cli.js(*at, "credit", "decide", customer, "--limit", "8000", "--terms",
                     "Net 30", "--by", "Anna Berg")
    assert renewed["review_on"] == "2028-02-03"
    assert [a["state"] for a in renewed["earlier"]] == ["approved"]
    assert cli.js(*at, "credit", "reviews") == []

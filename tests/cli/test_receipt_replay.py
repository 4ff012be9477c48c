"""A quarter replayed day by day through paidup-cli, on SQLite and PostgreSQL: the question
whether the invoice arrived goes out once, three days after the invoice, and only to the
customers who have not confirmed receipt; a confirmed receipt shows in the dossier."""

import email
from collections import defaultdict
from datetime import date, timedelta

import pypdf
from sqlalchemy import select

from desktop_app.services.books import open_books
from desktop_app.storage.models import OutboxMessage

D0 = date(2026, 1, 5)
QUARTER = 91


def on(n: int) -> str:
    return (D0 + timedelta(days=n)).isoformat()


def setup_books(cli) -> dict[str, int]:
    cli("company", "set", "--name", "Lindenhof GmbH", "--currency", "EUR",
        "--iban", "DE89370400440532013000", "--email", "billing@lindenhof.example",
        "--address", "Lindenstr. 1\n10969 Berlin")
    cli("terms", "add", "Net 30", "--net-days", "30", "--default")
    cli("terms", "add", "Net 7", "--net-days", "7")
    cli("mail", "set", "--host", "127.0.0.1", "--port", "2525", "--security", "plain",
        "--user", "billing", "--from", "billing@lindenhof.example")
    plans = {  # name: (issued on day, terms)
        "silent": (0, "Net 30"), "confirmed_early": (0, "Net 30"), "by_phone": (0, "Net 30"),
        "read_receipt": (0, "Net 30"), "due_soon": (0, "Net 7"),
        "confirmed_after": (0, "Net 30"), "later": (20, "Net 30"),
        "language_zh": (40, "Net 30"),
    }
    ids = {}
    for n, (name, (day, terms)) in enumerate(plans.items(), start=1):
        extra = ["--language", "zh_CN"] if name == "language_zh" else []
        customer = cli.js("customer", "add", "--name", f"Customer {name}",
                          "--email", f"ap{n}@example.com", "--address", f"Street {n}\nTown",
                          "--contact", f"billing:Billing {n}:bill{n}@example.com",
                          *extra)["id"]
        invoice = cli.js("invoice", "add", "--customer", str(customer), "--terms", terms,
                         "--line", f"Work {name}|10|100.00|19")["id"]
        cli("--as-of", on(day), "invoice", "issue", str(invoice), "--date", on(day))
        ids[name] = invoice
        ids[f"customer_{name}"] = customer
    cli("customer", "receipt", str(ids["customer_by_phone"]), "--ask", "call")
    cli("customer", "receipt", str(ids["customer_read_receipt"]), "--read-receipt", "on")
    return ids


def test_a_quarter_asks_only_those_who_have_not_confirmed(cli, db_url, tmp_path):
    ids = setup_books(cli)
    by_invoice = {v: k for k, v in ids.items() if not k.startswith("customer_")}
    asked: dict[str, list[tuple[int, tuple[str, ...]]]] = defaultdict(list)
    events = {
        2: [("invoice", "receipt", str(ids["confirmed_early"]), "--by", "Anna Berg",
             "--via", "phone")],
        5: [("invoice", "receipt", str(ids["confirmed_after"]), "--by", "Jonas Weber",
             "--via", "email", "--date", on(4))],
    }
    for n in range(QUARTER):
        today = on(n)
        for command in events.get(n, []):
            cli("--as-of", today, *command)
        report = cli.js("--as-of", today, "followup", "run")
        for action in report["actions"]:
            if action["stage"] == "receipt":
                asked[by_invoice[action["invoice_id"]]].append((n, tuple(action["channels"])))
        if report["actions"]:  # a second run the same day finds nothing to do
            assert cli.js("--as-of", today, "followup", "run")["actions"] == []

    assert dict(asked) == {
        "silent": [(3, ("email",))], "by_phone": [(3, ("call",))],
        "read_receipt": [(3, ("email",))], "later": [(23, ("email",))],
        "confirmed_after": [(3, ("email",))], "language_zh": [(43, ("email",))],
    }
    # Asked once and then confirmed: the word is kept; asking again is refused.
    again = cli("--as-of", on(60), "invoice", "receipt", str(ids["confirmed_after"]),
                "--by", "Someone", "--via", "letter", ok=False)
    assert again.returncode == 1
    assert "already confirmed received on 2026-01-09 by Jonas Weber" in again.stderr

    with open_books(db_url) as books, books.db.read() as session:
        raw = {row.subject: email.message_from_bytes(row.raw)
               for row in session.scalars(select(OutboxMessage))}
    invoice_mails = {s: m for s, m in raw.items() if s.startswith("Invoice ")}
    asking = [m for m in invoice_mails.values()
              if m["Disposition-Notification-To"] is not None]
    assert [m["To"] for m in asking] == ["bill4@example.com"]
    assert "billing@lindenhof.example" in asking[0]["Disposition-Notification-To"]
    questions = [s for s in raw if "reach you" in s or "收到" in s]
    assert len(questions) == 5  # the call is a task, not a message
    assert any("请确认是否已收到" in s for s in questions)

    target = tmp_path / "dossier.pdf"
    cli("--as-of", on(60), "dossier", str(ids["confirmed_early"]), "-o", str(target))
    text = "".join(page.extract_text() for page in pypdf.PdfReader(target).pages)
    assert "Receipt confirmed" in text and "Anna Berg" in text and "By phone" in text
    target = tmp_path / "silent.pdf"
    cli("--as-of", on(60), "dossier", str(ids["silent"]), "-o", str(target))
    text = "".join(page.extract_text() for page in pypdf.PdfReader(target).pages)
    assert "Receipt confirmed" not in text


def test_recording_receipt_refuses_what_cannot_be_true(cli):
    ids = setup_books(cli)
    draft = cli.js("invoice", "add", "--customer", str(ids["customer_silent"]),
                   "--line", "More|1|10.00|19")["id"]
    for args, message in (
            ((str(draft), "--by", "A", "--via", "email"), "is a draft"),
            ((str(ids["silent"]), "--by", "A", "--via", "email", "--date", on(9)),
             "date: cannot be after today"),
            ((str(ids["later"]), "--by", "A", "--via", "email", "--date", on(3)),
             "date: is before invoice"),
            ((str(ids["silent"]), "--by", "A", "--via", "fax"), "invalid choice"),
            (("999", "--by", "A", "--via", "email"), "no invoice with id 999")):
        outcome = cli("--as-of", on(5), "invoice", "receipt", *args, ok=False)
        assert outcome.returncode in (1, 2) and message in outcome.stderr, outcome.stderr
    shown = cli.js("--as-of", on(5), "invoice", "receipt", str(ids["silent"]), "--by",
                   "  Eva   Roth ", "--via", "letter")
    assert (shown["received_by"], shown["via"], shown["received_on"]) == (
        "Eva Roth", "letter", on(5))

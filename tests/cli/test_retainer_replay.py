"""A quarter of a monthly retainer replayed day by day through paidup-cli, on SQLite and
PostgreSQL: three invoices exactly, each for its own month, the one that fell due while the
computer was off caught up once, a price change from its day, each invoice mailed once."""

from datetime import UTC, date, datetime, timedelta

from desktop_app.services.books import open_books
from desktop_app.services.followup import run as followup
from desktop_app.services.followup.today import today

FIRST, LAST = date(2026, 1, 1), date(2026, 3, 31)
OFF = {date(2026, 2, 1) + timedelta(days=n) for n in range(7)}  # a week away


def _billing_and_customer(cli, *customer_options: str) -> int:
    """A company with its default terms and a mail account, and one customer with credit."""
    cli("company", "set", "--name", "Lindenhof GmbH", "--currency", "EUR",
        "--iban", "DE89370400440532013000", "--email", "billing@lindenhof.example",
        "--address", "Lindenstr. 1\n10969 Berlin")
    cli("terms", "add", "Net 14", "--net-days", "14", "--default")
    cli("mail", "set", "--host", "127.0.0.1", "--port", "2525", "--security", "plain",
        "--user", "billing", "--from", "billing@lindenhof.example")
    return cli.js("customer", "add", "--credit-granted", "--name", "Ostwind KG", "--email",
                  "ap@ostwind.example", "--address", "Hafenweg 2\n20457 Hamburg",
                  *customer_options)["id"]


def test_a_quarter_of_a_monthly_retainer_gives_three_invoices_exactly(cli):
    customer = _billing_and_customer(cli, "--language", "de")
    retainer = cli.js("--as-of", "2025-12-20", "recurring", "add", "--customer",
                      str(customer), "--line", "Wartung und Support|1|500.00|19", "--every",
                      "month", "--day", "1", "--start", "2026-01-01")
    assert [c["period_start"] for c in retainer["coming"]] == ["2026-01-01", "2026-02-01",
                                                               "2026-03-01"]
    issued: list[tuple[str, dict]] = []
    day = FIRST
    while day <= LAST:
        if day == date(2026, 2, 20):
            cli("--as-of", day.isoformat(), "recurring", "price", str(retainer["id"]),
                "--from", "2026-03-01", "--line", "Wartung und Support|1|550.00|19")
        if day.day == 12 and issued:  # the customer pays each month's invoice
            cli("--as-of", day.isoformat(), "payment", "add", "--invoice",
                str(issued[-1][1]["invoice_id"]), "--amount", issued[-1][1]["total"],
                "--date", day.isoformat())
        if day not in OFF:
            for _ in range(2 if day.day in (1, 8) else 1):  # a second run does nothing
                run = cli.js("--as-of", day.isoformat(), "followup", "run")
                issued += [(day.isoformat(), i) for i in run["retainer_invoices"]]
                assert run["failed"] == []
        day += timedelta(days=1)

    assert [(on, i["period_start"], i["period_end"], i["total"]) for on, i in issued] == [
        ("2026-01-01", "2026-01-01", "2026-01-31", "595.00"),
        ("2026-02-08", "2026-02-01", "2026-02-28", "595.00"),  # caught up once
        ("2026-03-01", "2026-03-01", "2026-03-31", "654.50"),
    ]
    listed = cli.js("invoice", "list", "--customer", str(customer))
    assert len(listed) == 3
    for on, item in issued:
        shown = cli.js("invoice", "show", str(item["invoice_id"]))
        assert (shown["issue_date"], shown["period_start"], shown["number"]) == (
            on, item["period_start"], item["number"])
    subjects = [m["subject"] for m in cli.js("outbox")]
    for _, item in issued:  # each invoice mailed once, beside the follow-up's notes
        assert sum(s.startswith(f"Rechnung {item['number']} ") for s in subjects) == 1, \
            subjects
    shown = cli.js("--as-of", LAST.isoformat(), "recurring", "show", str(retainer["id"]))
    assert [p["number"] for p in shown["invoiced"]] == [i["number"] for _, i in issued]
    assert shown["coming"][0]["period_start"] == "2026-04-01"
    assert shown["coming"][0]["total"] == "654.50"


def test_recurring_commands_refuse_bad_input_in_one_line(cli):
    cli("company", "set", "--name", "Lindenhof GmbH", "--currency", "EUR")
    customer = cli.js("customer", "add", "--credit-granted", "--name", "Ostwind KG")["id"]
    bad = cli("recurring", "add", "--customer", str(customer), "--line", "Support|1|x",
              "--every", "month", ok=False)
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1 and "line 1" in bad.stderr
    bad = cli("recurring", "add", "--customer", str(customer), "--line", "Support|1|10",
              "--every", "month", "--day", "40", ok=False)
    assert bad.returncode == 1 and "day" in bad.stderr
    bad = cli("recurring", "pause", "7", ok=False)
    assert bad.returncode == 1 and "no retainer with id 7" in bad.stderr
    assert cli.js("recurring", "list") == []


def test_pause_resume_and_end_from_the_command_line(cli):
    cli("company", "set", "--name", "Lindenhof GmbH", "--currency", "EUR",
        "--iban", "DE89370400440532013000")
    customer = cli.js("customer", "add", "--credit-granted", "--name", "Ostwind KG")["id"]
    rid = cli.js("--as-of", "2026-01-01", "recurring", "add", "--customer", str(customer),
                 "--line", "Support|1|100.00", "--every", "quarter", "--day", "10",
                 "--deliver", "today")["id"]
    paused = cli.js("--as-of", "2026-03-01", "recurring", "pause", str(rid))
    assert (paused["status"], paused["allowed_actions"]) == ("paused", ["price", "resume",
                                                                        "end"])
    run = cli.js("--as-of", "2026-04-10", "followup", "run")
    # Q1 fell due before the pause and is caught up; Q2's day fell in the pause: skipped
    assert [i["period_start"] for i in run["retainer_invoices"]] == ["2026-01-01"]
    resumed = cli.js("--as-of", "2026-05-01", "recurring", "resume", str(rid))
    assert resumed["coming"][0]["period_start"] == "2026-07-01"
    ended = cli.js("--as-of", "2026-05-02", "recurring", "end", str(rid), "--date",
                   "2026-12-31")
    assert [p["period_start"] for p in ended["coming"]] == ["2026-07-01", "2026-10-01"]
    (listed,) = cli.js("recurring", "list", "--customer", str(customer))
    assert listed["ends_on"] == "2026-12-31"
    again = cli("--as-of", "2026-05-02", "recurring", "resume", str(rid), ok=False)
    assert again.returncode == 1 and "not paused" in again.stderr


def test_a_retainer_delivered_to_today_waits_there_when_the_day_is_run(cli, db_url):
    """The run issues the invoice on its day but does not mail it: it waits on Today until a
    person sends it, and then goes out once."""
    customer = _billing_and_customer(cli)
    cli("--as-of", "2026-01-01", "recurring", "add", "--customer", str(customer), "--line",
        "Support|1|100.00|19", "--every", "month", "--day", "1", "--deliver", "today")
    for day in ("2026-01-01", "2026-01-02"):  # on its day, and the day after
        run = cli.js("--as-of", day, "followup", "run")
        assert run["emails_queued"] == [] and run["failed"] == []
        assert [a["stage"] for a in run["actions"]] == []
        assert any("wait on Today" in line for line in run["waiting"])
    (issued,) = cli.js("invoice", "list", "--customer", str(customer))
    assert cli.js("outbox") == []

    books = open_books(db_url, actor="tester", clock=lambda: datetime(2026, 1, 2, 9, 0, tzinfo=UTC),
                       today=lambda: date(2026, 1, 2))
    try:
        (row,) = today(books, date(2026, 1, 2)).emails
        assert (row.numbers, row.stage, row.customer_id) == (issued["number"], "invoice",
                                                             customer)
        sent = followup.run_day(books, date(2026, 1, 2), customer_id=customer,
                                channels=["email"], installment_ids=row.installment_ids)
        assert len(sent.emails_queued) == 1
        assert today(books, date(2026, 1, 2)).emails == ()
    finally:
        books.close()
    (mail,) = cli.js("outbox")
    assert issued["number"] in mail["subject"]

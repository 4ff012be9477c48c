"""A quarter of quotes replayed day by day through paidup-cli with --as-of, on SQLite and
PostgreSQL: each quote is followed up and expires on its days, once, whatever else happens;
the daily follow-up run carries the ladder out (run twice on some days: the second does
nothing), and the report adds up at the end."""

from collections import defaultdict
from datetime import date, timedelta

D0 = date(2026, 1, 5)
QUARTER = 91


def day(offset: int) -> str:
    return (D0 + timedelta(days=offset)).isoformat()


def setup_books(cli) -> dict[str, int]:
    cli("company", "set", "--name", "Lindenhof GmbH", "--currency", "EUR",
        "--iban", "DE89370400440532013000", "--email", "sales@lindenhof.example",
        "--address", "Lindenstr. 1\n10969 Berlin")
    cli("terms", "add", "Net 14", "--net-days", "14", "--default")
    cli("mail", "set", "--host", "127.0.0.1", "--port", "2525", "--security", "plain",
        "--user", "sales", "--from", "sales@lindenhof.example")
    customers = {}
    for n, (name, language) in enumerate((("declines", "de"), ("accepts", "en"),
                                          ("short", "ru"), ("no_mail", "zh_CN"),
                                          ("never_sent", "zh_TW"), ("later", "en")), 1):
        email = [] if name == "no_mail" else ["--email", f"buyer{n}@example.com"]
        customers[name] = cli.js("customer", "add", "--name", f"Customer {name}",
                                 "--address", f"Street {n}\nTown", "--language", language,
                                 *email)["id"]
    return customers


def quote(cli, customer: int, on: int, *extra: str) -> int:
    return cli.js("--as-of", day(on), "quote", "add", "--customer", str(customer),
                  "--line", "Pump P-40|2|450.00|19|||limited stock",
                  "--line", "Fitting|6|85|19|HUR||3 weeks if ordered", *extra)["id"]


def test_a_quarter_of_quotes_is_followed_up_and_expires_on_its_days(cli, tmp_path):
    c = setup_books(cli)
    ids = {name: quote(cli, c[name], 0, *(["--valid-days", "3"] if name == "short" else []))
           for name in ("declines", "accepts", "short", "no_mail", "never_sent")}
    for name in ("declines", "accepts", "short"):
        cli("--as-of", day(0), "quote", "send", str(ids[name]))
    cli("--as-of", day(0), "quote", "send", str(ids["no_mail"]), "--by", "hand")
    by_id = {v: k for k, v in ids.items()}
    seen: dict[str, dict[str, tuple[int, str, str]]] = defaultdict(dict)
    letter = tmp_path / "deposit.pdf"
    for offset in range(QUARTER):
        if offset == 3:
            accepted = cli.js("--as-of", day(3), "quote", "accept", str(ids["accepts"]),
                              "--letter", str(letter))
            assert accepted["quote"]["status"] == "accepted" and letter.stat().st_size > 0
            assert accepted["deposit_letter_id"] is not None
            draft = cli.js("invoice", "show", str(accepted["invoice_id"]))
            assert draft["status"] == "draft" and draft["total"] == "1677.90"
        if offset == 5:
            cli("--as-of", day(5), "quote", "decline", str(ids["declines"]), "--reason",
                "Price too high")
        if offset == 30:
            ids["later"] = quote(cli, c["later"], 30)
            by_id[ids["later"]] = "later"
            cli("--as-of", day(30), "quote", "send", str(ids["later"]))
        if offset == 33:
            cli("--as-of", day(33), "quote", "accept", str(ids["later"]))
        for run in range(2 if offset % 4 == 0 else 1):
            report = cli.js("--as-of", day(offset), "followup", "run")
            if run == 1:
                assert report["quotes"] == [], day(offset)
            for step in report["quotes"]:
                name = by_id[step["quote_id"]]
                assert step["step"] not in seen[name], (name, step)
                seen[name][step["step"]] = (offset, step["outcome"], step["channel"])
        tasks = cli.js("--as-of", day(offset), "quote", "tasks")
        for task in tasks:  # a call is made the day it comes up, except the one nobody takes
            if by_id[task["quote_id"]] == "declines":
                cli("--as-of", day(offset), "quote", "log", str(task["quote_id"]), "--note",
                    "Comparing with another offer; decides Friday")
        if offset == 4:
            assert sorted((by_id[t["quote_id"]], t["step"]) for t in tasks) == [
                ("declines", "call"), ("no_mail", "call"), ("no_mail", "check")]

    assert dict(seen) == {
        "declines": {"check": (2, "done", "email"), "call": (4, "open", "call")},
        "accepts": {"check": (2, "done", "email")},
        "short": {"check": (2, "skipped", "email"), "last_day": (2, "done", "email"),
                  "call": (4, "skipped", "call"), "expired": (4, "done", "none")},
        "no_mail": {"check": (2, "open", "task"), "call": (4, "open", "call"),
                    "last_day": (6, "open", "task"), "expired": (8, "done", "none")},
        "never_sent": {"check": (8, "skipped", "email"), "call": (8, "skipped", "call"),
                       "last_day": (8, "skipped", "email"), "expired": (8, "done", "none")},
        "later": {"check": (32, "done", "email")},
    }
    shown = cli.js("--as-of", day(QUARTER), "quote", "show", str(ids["declines"]))
    assert [s["step"] for s in shown["steps"]] == ["sent", "check", "call"]
    assert shown["steps"][2]["note"].startswith("Comparing") and shown["status"] == "declined"
    assert cli.js("--as-of", day(QUARTER), "quote", "tasks") == []  # expiry closed the rest
    report = {r["status"]: (r["count"], r["value"])
              for r in cli.js("--as-of", day(QUARTER), "quote", "report")}
    assert report == {"open": (0, "0.00"), "won": (2, "3355.80"), "lost": (1, "1677.90"),
                      "expired": (3, "5033.70")}
    # the mail went into the outbox once per step: four quotes sent, three checks, one note
    assert len(cli.js("outbox")) == 8
    numbers = [q["number"] for q in cli.js("--as-of", day(QUARTER), "quote", "list")]
    assert sorted(numbers) == [f"Q-2026-{n:04d}" for n in range(1, 7)]

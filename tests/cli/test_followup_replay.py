"""A season replayed day by day through paidup-cli with --as-of, on SQLite and PostgreSQL.

Seven invoices, one customer each, all issued on the same day under Net 30: one never paid,
one paid late, one with a kept and one with a broken promise, one on 30/30/40, one disputed,
one on a payment plan that breaks. Every day the follow-up runs (twice on some days: the
second run must do nothing); the stages each invoice went through must be exactly these.
"""

from collections import defaultdict
from datetime import date, timedelta

import pytest

D0 = date(2026, 1, 5)
DUE = D0 + timedelta(days=30)
LAST_DAY = DUE + timedelta(days=100)


def day(offset: int) -> str:
    return (DUE + timedelta(days=offset)).isoformat()


def setup_books(cli) -> dict[str, int]:
    cli("company", "set", "--name", "Lindenhof GmbH", "--currency", "EUR",
        "--iban", "DE89370400440532013000", "--email", "billing@lindenhof.example",
        "--address", "Lindenstr. 1\n10969 Berlin")
    cli("terms", "add", "Net 30", "--net-days", "30", "--late-fee", "5", "--interest-annual",
        "8", "--default")
    cli("mail", "set", "--host", "127.0.0.1", "--port", "2525", "--security", "plain",
        "--user", "billing", "--from", "billing@lindenhof.example")
    names = ("never_paid", "paid_late", "kept_promise", "broken_promise", "schedule",
             "disputed", "plan")
    ids = {}
    for n, name in enumerate(names, start=1):
        customer = cli.js("customer", "add", "--name", f"Customer {name}",
                          "--email", f"ap{n}@example.com", "--address", f"Street {n}\nTown",
                          "--contact", f"accounts_payable:AP {n}:pay{n}@example.com")["id"]
        extra = ["--schedule", "30/30/40"] if name == "schedule" else []
        invoice = cli.js("invoice", "add", "--customer", str(customer),
                         "--line", f"Work {name}|10|100.00|19", *extra)["id"]
        cli("--as-of", D0.isoformat(), "invoice", "issue", str(invoice), "--date",
            D0.isoformat())
        ids[name] = invoice
    return ids


def test_a_season_of_follow_up_goes_exactly_as_the_policy_says(cli, tmp_path):
    ids = setup_books(cli)
    by_invoice = {v: k for k, v in ids.items()}
    seen: dict[str, list[tuple[int, str, str, tuple[str, ...]]]] = defaultdict(list)
    asked: list[tuple[str, int]] = []
    events = {
        day(6): [("promise", "add", "--invoice", str(ids["kept_promise"]), "--date", day(12),
                  "--amount", "1190.00", "--excuse", "cheque_in_mail"),
                 ("promise", "add", "--invoice", str(ids["broken_promise"]), "--date", day(10),
                  "--excuse", "cash_tight")],
        day(3): [("dispute", "open", str(ids["disputed"]), "--reason", "Wrong quantity")],
        day(10): [("payment", "add", "--invoice", str(ids["paid_late"]), "--amount", "1190.00",
                   "--date", day(10))],
        day(11): [("payment", "add", "--invoice", str(ids["kept_promise"]), "--amount",
                   "1190.00", "--date", day(11))],
        day(15): [("plan", "create", "--invoice", str(ids["plan"]), "--schedule", "monthly:2",
                   "--start", day(20))],
        day(19): [("payment", "add", "--invoice", str(ids["plan"]), "--amount", "595.00",
                   "--date", day(19))],
    }
    current = D0
    while current <= LAST_DAY:
        today = current.isoformat()
        for command in events.get(today, []):
            cli("--as-of", today, *command)
        report = cli.js("--as-of", today, "followup", "run", "--letters",
                        str(tmp_path / f"letters-{today}.pdf"))
        for action in report["actions"]:
            offset = (current - DUE).days
            if action["stage"] == "receipt":  # asked whether the invoice arrived
                asked.append((by_invoice[action["invoice_id"]], offset))
                continue
            seen[by_invoice[action["invoice_id"]]].append(
                (offset, action["installment"], action["stage"], tuple(action["channels"])))
        if report["actions"]:  # a second run the same day finds nothing to do
            again = cli.js("--as-of", today, "followup", "run")
            assert again["actions"] == [] and again["emails_queued"] == []
        current += timedelta(days=1)

    # Three days after the invoice went out each customer is asked whether it arrived; not
    # on 30/30/40, whose deposit is due on issue (too soon for the question to help).
    assert sorted(asked) == sorted((name, -27) for name in ids if name != "schedule")

    def stages(name: str) -> list[tuple[int, str]]:
        return [(offset, stage) for offset, _, stage, _ in seen[name]]

    ladder = [(-30, "invoice"), (-7, "upcoming"), (0, "due"), (5, "reminder_1"), (8, "call"),
              (14, "reminder_2"), (30, "final_notice"), (45, "handover")]
    assert stages("never_paid") == ladder
    assert seen["never_paid"][3][3] == ("email", "letter")
    assert seen["never_paid"][-1][3] == ("letter", "task")
    assert stages("paid_late") == ladder[:5]
    # Paused from the promise (day 6) to its date plus two days; paid on day 11: kept.
    assert stages("kept_promise") == ladder[:4]
    # Promised for day 10, not paid: broken on day 13, the next stage (the call) at once,
    # then the ladder goes on on its own days.
    assert stages("broken_promise") == [*ladder[:4], (13, "call"), *ladder[5:]]
    assert stages("disputed") == ladder[:3]

    schedule = [(o, inst, s) for o, inst, s, _ in seen["schedule"]]
    deposit = [(o, s) for o, inst, s in schedule if inst == "Deposit"]
    progress = [(o, s) for o, inst, s in schedule if inst == "Progress payment 1"]
    final = [(o, s) for o, inst, s in schedule if inst == "Final payment"]
    # The deposit falls due on issue: its invoice goes out, then only reminders.
    assert deposit == [(-30, "invoice"), (-25, "reminder_1"), (-22, "call"),
                       (-16, "reminder_2"), (0, "final_notice"), (15, "handover")]
    assert progress == [(o, s) for o, s in ladder[1:]]
    assert final == [(o + 30, s) for o, s in ladder[1:]]

    plan = [(o, inst, s) for o, inst, s, _ in seen["plan"]]
    assert plan[:6] == [(o, "Payment", s) for o, s in ladder[:6]]
    # The plan (from day 20, monthly) takes over on day 15; the first installment is paid,
    # the second missed: five days' grace, then the ladder resumes above reminder_2.
    assert plan[6:] == [(15, "Plan 1 of 2", "upcoming"), (41, "Plan 2 of 2", "upcoming"),
                        (48, "Plan 2 of 2", "due"), (54, "Plan 2 of 2", "final_notice"),
                        (93, "Plan 2 of 2", "handover")]

    customers = {c["name"]: c for c in cli.js("customer", "list")}
    assert customers["Customer broken_promise"]["credit_status"] == "cash_only"
    assert customers["Customer never_paid"]["credit_status"] == "hold"  # final notice
    assert customers["Customer kept_promise"]["credit_status"] == "good"


def test_a_skipped_stretch_sends_the_first_reminder_then_only_the_latest_stage(cli):
    """Issue 14: a run skipped for weeks skipped the first reminder, so the customer's first
    reminder read "Second reminder ... despite our earlier reminder", with a fee."""
    ids = setup_books(cli)
    first = cli.js("--as-of", D0.isoformat(), "followup", "run")
    assert {a["stage"] for a in first["actions"]} == {"invoice"}
    # Nobody opened PaidUp for seven weeks: the first reminder, friendly and without a fee.
    late = cli.js("--as-of", day(15), "followup", "run", "--customer", "1")
    action, call = late["actions"]
    assert (call["stage"], call["channels"]) == ("call", ["call"])  # due on day 8, not lost
    assert action["invoice_id"] == ids["never_paid"]
    assert (action["stage"], action["skipped"], action["fee"]) == (
        "reminder_1", ["upcoming", "due"], "0.00")
    assert cli.js("--as-of", day(15), "followup", "plan", "--customer", "1") == []
    # Then the ladder keeps its spacing from that day: the second reminder nine days later.
    assert cli.js("--as-of", day(23), "followup", "run", "--customer", "1",
                  "--channel", "letter")["actions"] == []
    # Another month skipped: the second reminder collapses into the final notice (the call
    # went on the list with the first reminder and is not asked for again).
    (final,) = cli.js("--as-of", day(45), "followup", "run", "--customer", "1")["actions"]
    assert (final["stage"], final["skipped"], final["fee"]) == (
        "final_notice", ["reminder_2"], "5.00")
    # 1190.00 x 8 % / 365 x 45 days = 11.74: one fee, interest for every day.
    assert final["interest"] == "11.74"


def test_the_invoice_always_goes_out_even_when_the_first_run_is_late(cli):
    setup_books(cli)
    late = cli.js("--as-of", day(6), "followup", "run", "--customer", "1")
    (action,) = late["actions"]
    assert (action["stage"], action["with_invoice"], action["fee"]) == (
        "reminder_1", True, "0.00")


@pytest.fixture
def plan_only(cli):
    setup_books(cli)
    return cli


def test_the_plan_changes_nothing_and_names_who_gets_what(plan_only):
    cli = plan_only
    cli("--as-of", day(5), "followup", "run", "--channel", "letter")
    before = cli.js("--as-of", day(14), "followup", "plan")
    assert cli.js("--as-of", day(14), "followup", "plan") == before
    row = next(a for a in before if a["number"] == "INV-2026-0001")
    assert (row["stage"], row["amount_due"], row["fee"]) == ("reminder_2", "1190.00", "5.00")
    assert row["recipients"] == ["ap1@example.com"]
    assert row["cc"] == ["pay1@example.com"]  # accounts payable; no sales rep on file
    assert set(row) >= {"invoice_id", "number", "customer_id", "installment", "stage",
                        "channels", "amount_due", "fee", "recipients"}

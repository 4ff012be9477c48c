"""paidup-cli on what people type and what it prints (issue 14): plain numbers in and out,
bad dates and ids refused with one line naming the field, policies kept as saved."""

import json

import pytest

AS_OF = "2026-11-22"


@pytest.fixture
def books_cli(cli):
    cli("company", "set", "--name", "Lindenhof GmbH", "--currency", "EUR",
        "--iban", "DE89370400440532013000")
    cli("terms", "add", "Net 30", "--net-days", "30", "--late-fee", "5", "--default")
    cli("customer", "add", "--credit-granted", "--name", "Müller", "--email", "ap@mueller.example")
    cli("invoice", "add", "--customer", "1", "--line", "Work|1000|1.00|10",
        "--line", "Books|2|50.00|20")
    cli("--as-of", AS_OF, "invoice", "issue", "1", "--date", "2026-11-02")
    return cli


def test_rates_and_quantities_print_as_plain_numbers(books_cli):
    """Issue 14: tax rates came out as "1E+1", "2E+1" and quantities as "1E+3"."""
    shown = books_cli.js("invoice", "show", "1")
    assert [t["rate"] for t in shown["taxes"]] == ["10", "20"]
    assert [line["quantity"] for line in shown["lines"]] == ["1000", "2"]
    text = books_cli("invoice", "show", "1").stdout
    assert "E+" not in text and "rate: 10" in text


@pytest.mark.parametrize("amount", ["1e3", "1E3", "5e0", "1_000", "１２", "٥"])
def test_amounts_in_other_forms_are_refused_and_nothing_changes(books_cli, amount):
    """Issue 14: 1e3 paid on a 119.00 invoice silently made 881.00 of credit."""
    for command in (("payment", "add", "--invoice", "1", "--amount", amount),
                    ("writeoff", "--invoice", "1", "--reason", "x", "--amount", amount),
                    ("invoice", "add", "--customer", "1", "--line", f"Work|{amount}|1.00"),
                    ("terms", "add", "Other", "--net-days", "30", "--late-fee", amount)):
        refused = books_cli("--as-of", AS_OF, *command, ok=False)
        assert refused.returncode == 1, command
        assert refused.stderr.count("\n") == 1 and amount in refused.stderr
    shown = books_cli.js("invoice", "show", "1")
    assert (shown["paid"], shown["written_off"], shown["status"]) == ("0.00", "0.00", "issued")
    assert books_cli.js("customer", "show", "1")["credit"] == "0.00"
    assert len(books_cli.js("invoice", "list")) == 1


@pytest.mark.parametrize(("args", "line"), [
    (("--as-of", "2026-02-30", "invoice", "list"),
     "paidup-cli: as-of: '2026-02-30' is not a day of the calendar\n"),
    (("payment", "add", "--invoice", "1", "--amount", "5", "--date", "2026-13-01"),
     "paidup-cli: date: '2026-13-01' is not a day of the calendar\n"),
    (("invoice", "issue", "1", "--date", "02/11/2026"),
     "paidup-cli: date: '02/11/2026' is not a date (YYYY-MM-DD)\n"),
    (("invoice", "show", "abc"), "paidup-cli: id: 'abc' is not a positive whole number\n"),
    (("invoice", "show", "0"), "paidup-cli: id: must be at least 1 (got 0)\n"),
    (("payment", "add", "--invoice", "１", "--amount", "5"),
     "paidup-cli: invoice: '１' is not a positive whole number\n"),
    (("plan", "create", "--invoice", "1", "--schedule", "monthly:2", "--grace-days", "1_0"),
     "paidup-cli: grace-days: '1_0' is not a whole number\n"),
])
def test_impossible_dates_and_bad_ids_exit_1_with_one_line_naming_the_field(books_cli, args,
                                                                            line):
    """Issue 14: they exited 2 with usage text; CLI.md says 1 and one line."""
    refused = books_cli(*args, ok=False)
    assert (refused.returncode, refused.stderr, refused.stdout) == (1, line, "")


def test_bad_usage_still_exits_2(books_cli):
    assert books_cli("invoice", "show", ok=False).returncode == 2
    assert books_cli("payment", "add", "--invoice", "1", "--amount", "5", "--method", "barter",
                     ok=False).returncode == 2


def test_saving_the_default_policy_keeps_it_the_default(books_cli, tmp_path):
    """Issue 14: `policy save` of the default policy without --default dropped its flag,
    while `policy list` still showed it as the default and follow-up used the built-in one."""
    [standard] = books_cli.js("policy", "list")
    assert standard["is_default"]
    body = standard["body"]
    for stage in body["stages"]:
        if stage["name"] == "reminder_1":
            stage["offset_days"] = 7
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    assert books_cli.js("policy", "save", str(path))["is_default"] is True
    assert [p["is_default"] for p in books_cli.js("policy", "list")] == [True]
    # Follow-up uses the saved one: the first reminder on day 7, not day 5.
    def stages(day: str) -> list[str]:
        return [a["stage"] for a in books_cli.js("--as-of", day, "followup", "plan")]

    assert "reminder_1" not in stages("2026-12-08")
    assert "reminder_1" in stages("2026-12-09")

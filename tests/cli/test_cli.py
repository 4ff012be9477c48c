"""paidup-cli as a whole process: JSON output, exit codes, one-line refusals."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from desktop_app.services.books_lock import Here, lock_books
from desktop_app.storage.database import alembic_config
from desktop_app.storage.lock_file import lock_path
from tests.support.cli import runner

ROOT = Path(__file__).resolve().parents[2]


def test_whole_process_json_and_exit_codes(db_url, tmp_path):
    env = {**os.environ, "PAIDUP_DB": str(db_url)}

    def proc(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "desktop_app.cli", *args], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=60)

    assert json.loads(proc("--json", "company", "set", "--name", "Lindenhof").stdout)["id"] == 1
    refused = proc("customer", "add", "--name", "X", "--email", "no")
    assert refused.returncode == 1
    assert refused.stderr == "paidup-cli: email: 'no' is not an email address\n"
    assert proc("customer", "list", "--bogus").returncode == 2


def test_round_trip_gives_exact_amounts(cli):
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert cli.js("init")["schema"] == head
    assert cli.js("company", "set", "--name", "Lindenhof GmbH", "--currency", "EUR",
                  "--paper", "a4", "--iban", "DE89370400440532013000")["name"] == "Lindenhof GmbH"
    assert cli.js("terms", "add", "Net 30", "--net-days", "30", "--late-fee", "5") == {
        "id": 1, "name": "Net 30"}
    cust = cli.js("customer", "add", "--credit-granted",
                  "--name", "Müller & <Söhne>", "--email", "a@mueller.de",
                  "--language", "de", "--terms", "Net 30",
                  "--contact", "accounts_payable:Eva:eva@mueller.de")
    inv = cli.js("invoice", "add", "--customer", str(cust["id"]),
                 "--line", "Consulting|10|95.00|19", "--line", "Manual|3|24.90|7")
    issued = cli.js("--as-of", "2026-11-02", "invoice", "issue", str(inv["id"]),
                    "--date", "2026-11-02")
    assert issued == {"id": inv["id"], "number": "INV-2026-0001", "issue_date": "2026-11-02",
                      "due_date": "2026-12-02", "total": "1210.43"}
    after = cli.js("payment", "add", "--invoice", str(inv["id"]), "--amount", "500.00",
                   "--date", "2026-11-10")
    assert (after["paid"], after["balance"], after["status"]) == (
        "500.00", "710.43", "partially_paid")
    shown = cli.js("invoice", "show", str(inv["id"]))
    assert (shown["subtotal"], shown["tax"], shown["total"]) == ("1024.70", "185.73", "1210.43")
    assert shown["installments"] == [{
        "id": shown["installments"][0]["id"], "label": "Payment", "due_date": "2026-12-02",
        "amount": "1210.43", "paid": "500.00", "status": "partially_paid"}]
    listed = cli.js("customer", "list")
    assert listed[0]["credit_status"] == "good" and listed[0]["balance"] == "710.43"


def test_schedule_30_30_40_from_the_cli(cli):
    cli("company", "set", "--name", "Lindenhof", "--iban", "DE89 3704 0044 0532 0130 00")
    cli("customer", "add", "--credit-granted", "--name", "Acme")
    inv = cli.js("invoice", "add", "--customer", "1", "--line", "Build|1|1000.01",
                 "--schedule", "30/30/40")
    cli("--as-of", "2026-01-05", "invoice", "issue", str(inv["id"]), "--date", "2026-01-05")
    shown = cli.js("invoice", "show", str(inv["id"]))
    assert [i["amount"] for i in shown["installments"]] == ["300.00", "300.00", "400.01"]


@pytest.mark.parametrize(("args", "needle"), [
    (["customer", "add", "--name", ""], "name: must not be empty"),
    (["customer", "add", "--name", "X", "--email", "nope"], "email: 'nope' is not an email"),
    (["invoice", "add", "--customer", "1", "--line", "Work|-2|5"], "line 1 quantity"),
    (["invoice", "add", "--customer", "1", "--line", "Work|x|5"], "is not a number"),
    (["invoice", "add", "--customer", "42", "--line", "Work|1|5"], "no customer with id 42"),
    (["invoice", "add", "--customer", "1", "--line", "W|1|5", "--terms", "Nope"],
     "terms: no payment terms called 'Nope'"),
    (["invoice", "issue", "1"], "cannot be issued twice"),
    (["payment", "add", "--invoice", "1", "--amount", "ten"], "amount: 'ten' is not a number"),
    (["payment", "add", "--invoice", "1", "--amount", "-3"], "amount: must not be negative"),
    (["payment", "add", "--invoice", "77", "--amount", "3"], "no invoice with id 77"),
])
def test_refusals_exit_1_with_one_line_and_change_nothing(cli, args, needle):
    cli("company", "set", "--name", "Lindenhof", "--iban", "DE89 3704 0044 0532 0130 00")
    cli("customer", "add", "--credit-granted", "--name", "Acme")
    cli("invoice", "add", "--customer", "1", "--line", "Work|1|100")
    cli("--as-of", "2026-11-02", "invoice", "issue", "1", "--date", "2026-11-02")
    before = cli.js("invoice", "show", "1"), cli.js("customer", "list")
    proc = cli(*args, ok=False)
    assert proc.returncode == 1
    assert needle in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "Traceback" not in proc.stderr
    assert (cli.js("invoice", "show", "1"), cli.js("customer", "list")) == before


def test_payment_on_void_invoice_is_refused(cli):
    cli("company", "set", "--name", "Lindenhof", "--iban", "DE89 3704 0044 0532 0130 00")
    cli("customer", "add", "--credit-granted", "--name", "Acme")
    cli("invoice", "add", "--customer", "1", "--line", "Work|1|100")
    cli("invoice", "issue", "1")
    note = cli.js("invoice", "void", "1", "--reason", "order cancelled")
    assert note["number"].startswith("CN-") and note["amount"] == "100.00"
    proc = cli("payment", "add", "--invoice", "1", "--amount", "5", ok=False)
    assert proc.returncode == 1 and "void" in proc.stderr


def test_bad_usage_exits_2(cli):
    assert cli("invoice", "frobnicate", ok=False).returncode == 2
    # A bad id is bad input, not bad usage (issue 14): one line naming it, exit 1.
    assert cli("invoice", "issue", "one", ok=False).returncode == 1


def test_demo_fills_every_state(cli):
    counts = cli.js("--as-of", "2026-11-23", "demo", "--invoices", "300", "--language", "zh_TW")
    assert counts["invoices"] == 300
    assert {t["name"] for t in cli.js("terms", "list")} == {
        "30天內付款", "14天內付款", "10天內付款享2%折扣，30天內付清", "收到即付"}
    assert all(counts["by_status"][s] > 0 for s in
               ("draft", "issued", "partially_paid", "paid", "void"))
    listed = cli.js("invoice", "list", "--status", "void")
    assert len(listed) == counts["by_status"]["void"]
    numbers = sorted(r["number"] for r in cli.js("invoice", "list") if r["number"])
    by_year: dict[str, list[int]] = {}
    for n in numbers:
        _, year, seq = n.split("-")
        by_year.setdefault(year, []).append(int(seq))
    assert all(sorted(s) == list(range(1, len(s) + 1)) for s in by_year.values())
    # The demo's past was followed up: today's plan holds only what falls due today.
    plan = cli.js("--as-of", "2026-11-23", "followup", "plan")
    assert plan and all(a["skipped"] == [] for a in plan)
    assert cli.js("--as-of", "2026-11-24", "followup", "plan") != plan


def test_unreadable_and_unreachable_databases(tmp_path):
    env = {**os.environ, "PAIDUP_LOG_DIR": str(tmp_path)}
    garbage = tmp_path / "x.sqlite3"
    garbage.write_bytes(b"\x00garbage" * 10)
    for target, needle in ((str(garbage), "not a PaidUp database"),
                           ("postgresql+psycopg://nobody@127.0.0.1:9/none",
                            "cannot reach the PostgreSQL server")):
        proc = subprocess.run([sys.executable, "-m", "desktop_app.cli", "--db", target, "init"],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert proc.returncode == 1 and needle in proc.stderr, proc.stderr


def test_backup_and_restore_from_the_cli(cli, tmp_path, db_url):
    cli("company", "set", "--name", "Lindenhof", "--iban", "DE89 3704 0044 0532 0130 00")
    if "://" in str(db_url):  # a shared server: pg_dump makes the copy, its admin restores
        path = Path(cli.js("backup", "--to", str(tmp_path / "copy.dump"))["path"])
        assert path.stat().st_size > 0
        proc = cli("restore", str(path), ok=False)
        assert proc.returncode == 1 and "administrator" in proc.stderr
        return
    path = cli.js("backup", "--to", str(tmp_path / "copy.sqlite3"))["path"]
    cli("company", "set", "--name", "Changed")
    cli("restore", path)
    assert cli.js("company", "show")["name"] == "Lindenhof"


def test_books_another_computer_has_open_are_refused_and_left_alone(tmp_path, capsys,
                                                                    monkeypatch):
    books = tmp_path / "shared.sqlite3"
    monkeypatch.setenv("PAIDUP_DB", str(books))
    cli = runner(capsys)
    cli("company", "set", "--name", "Lindenhof", "--iban", "DE89 3704 0044 0532 0130 00")
    other = lock_books(books, here=Here(host="office-pc", user="anna", pid=4242))
    refused = cli("customer", "add", "--name", "Acme", ok=False)
    assert refused.returncode == 1
    assert "is open on the computer 'office-pc' by anna" in refused.stderr
    other.release()
    assert cli.js("customer", "add", "--credit-granted", "--name", "Acme")["id"] == 1
    assert not lock_path(books).exists()  # the command gave the books back when done

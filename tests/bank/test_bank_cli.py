"""paidup-cli bank: the scheduled morning run and the review, on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.bank.conftest import PAID_ON, reference
from tests.support import statements as files
from tests.support.statements import Transfer


def test_import_review_and_reverse_from_the_command_line(billed, cli, tmp_path):
    statement = tmp_path / "2026-11.zip"
    statement.write_bytes(files.zipped({"camt053.xml": files.camt([
        Transfer("1130.50", PAID_ON, ref=reference(billed, 1).replace(" ", "")),
        Transfer("100.00", PAID_ON, name="Schmidt KG", iban="", text="Anzahlung"),
        Transfer("-80.00", PAID_ON, name="Stadtwerke", text="Strom"),
    ])}))
    assert cli.js("bank", "import", str(statement)) == {
        "imported": 3, "duplicates": 0, "booked": 1, "waiting": 1, "format": "camt.053",
        "import": 1}
    assert cli.js("bank", "import", str(statement))["duplicates"] == 3
    waiting = cli.js("bank", "list", "--waiting")
    assert [(t["amount"], t["counterparty"], t["status"]) for t in waiting] == [
        ("100.00", "Schmidt KG", "waiting")]
    assert {"id", "amount", "date", "counterparty", "remittance", "status",
            "suggestion"} <= set(waiting[0])
    tx = waiting[0]["id"]
    assert cli.js("bank", "match", str(tx), "--invoice", "4")["status"] == "booked"
    assert cli.js("invoice", "show", "4")["balance"] == "2280.00"
    reversed_ = cli.js("bank", "reverse", str(tx), "--reason", "falsche Rechnung")
    assert reversed_["status"] == "waiting" and reversed_["payments"] == []
    assert cli.js("bank", "ignore", str(tx), "--note", "Privat")["status"] == "ignored"
    assert cli.js("invoice", "show", "1")["status"] == "paid"


def test_refusals_are_one_line_and_change_nothing(billed, cli, tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b"<Document><BkToCstmrStmt><Stmt><Ntry><Amt Ccy='EUR'>x</Amt>"
                       b"</Ntry></Stmt></BkToCstmrStmt></Document>")
    out = cli("bank", "import", str(broken), ok=False)
    assert out.returncode == 1 and out.stderr.count("\n") == 1
    assert "broken.xml › Stmt 1 › Ntry 1: Amt 'x' is not an amount" in out.stderr
    missing = cli("bank", "import", str(tmp_path / "none.xml"), ok=False)
    assert missing.returncode == 1 and "cannot read" in missing.stderr
    assert cli.js("bank", "list") == []
    assert cli("bank", "match", "99", "--invoice", "1", ok=False).returncode == 1


def test_a_csv_profile_made_once_reads_the_banks_files(billed, cli, tmp_path):
    data = ("Datum;Text;Betrag;Name\n20.11.2026;RE INV-2026-0002;357,00;Müller\n"
            ).encode("cp1252")
    export = tmp_path / "umsatz.csv"
    export.write_bytes(data)
    cli.js("bank", "profile", "add", "hausbank", "--date", "Datum", "--amount", "Betrag",
           "--remittance", "Text", "--counterparty", "Name")
    names = [p["name"] for p in cli.js("bank", "profile", "list")]
    assert names == ["de-csv-camt", "us-checking", "hausbank"]
    assert cli.js("bank", "import", str(export), "--profile", "hausbank")["booked"] == 1
    bad = cli("bank", "profile", "add", "x", "--date", "D", "--sign", "split", ok=False)
    assert bad.returncode == 1 and "credit" in bad.stderr


def test_a_payment_reversed_takes_its_transfer_back_to_the_review(billed, cli, tmp_path):
    statement = tmp_path / "day.xml"
    statement.write_bytes(files.camt([
        Transfer("1487.50", PAID_ON, text="INV-2026-0001 INV-2026-0002"),
        Transfer("119.00", PAID_ON, iban="", name="Fremd", text="Rechnung 3 (Tippfehler)"),
    ]))
    assert cli.js("bank", "import", str(statement))["booked"] == 1
    booked = cli.js("bank", "list", "--status", "booked")[0]
    assert len(booked["payments"]) == 2
    undone = cli.js("payment", "reverse", str(booked["payments"][0]), "--reason", "Irrtum")
    assert undone == {"payments": booked["payments"], "transaction": booked["id"]}
    assert cli.js("bank", "show", str(booked["id"]))["status"] == "waiting"
    assert [cli.js("invoice", "show", i)["status"] for i in ("1", "2")] == ["issued"] * 2
    accepted = cli.js("bank", "accept")
    assert accepted["accepted"] == 0  # a reversed booking is no sure proposal any more
    waiting = cli.js("bank", "match", str(booked["id"]), "--invoice", "1", "--amount",
                     "1130.50", "--invoice", "2")
    assert waiting["status"] == "booked"

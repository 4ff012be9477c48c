"""A customer set to XRechnung gets a valid one by email in one click: the invoice stage of
the follow-up run sends the XML beside the PDF to a real SMTP server on loopback."""

from __future__ import annotations

import email
import io
from datetime import date
from email import policy

from .servers import PASSWORD, USER, Server

D0 = date(2026, 1, 5)


def test_a_public_buyer_receives_its_xrechnung_with_the_invoice_email(
        cli, memory_keyring, server_tls, ca_file, monkeypatch, einvoice_rules):
    cli("company", "set", "--name", "Lindenhof GmbH", "--currency", "EUR", "--email", USER,
        "--phone", "+49 30 1234567", "--country", "DE", "--vat-id", "DE136695976",
        "--iban", "DE89370400440532013000", "--address", "Lindenstr. 1\n10969 Berlin")
    cli("terms", "add", "Net 30", "--net-days", "30", "--default")
    with Server(server_tls) as server:
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        cli("mail", "set", "--host", "127.0.0.1", "--port", str(server.port), "--security",
            "starttls", "--user", USER, "--from", USER, "--ca-file", str(ca_file),
            "--password-stdin")
        cli("customer", "add", "--credit-granted", "--name", "Stadt Musterhausen", "--email",
            "rechnung@musterhausen.example", "--address", "Rathausplatz 1\n12345 Musterhausen",
            "--language", "de")
        shown = cli.js("customer", "update", "1", "--leitweg-id", "991-12345-67")
        assert (shown["einvoice"], shown["leitweg_id"]) == ("xrechnung-cii", "991-12345-67")
        cli("invoice", "add", "--customer", "1", "--line", "Beratung|10|95.00|19")
        cli("invoice", "issue", "1", "--date", D0.isoformat())
        report = cli.js("--as-of", D0.isoformat(), "followup", "run", "--send")
        assert len(report["sent"]["sent"]) == 1
        (raw,) = server.handler.envelopes
    msg = email.message_from_bytes(raw.original_content, policy=policy.default)
    parts = {p.get_filename(): p for p in msg.iter_attachments()}
    assert set(parts) == {"INV-2026-0001-xrechnung-cii.xml", "INV-2026-0001.pdf"}
    xml = parts["INV-2026-0001-xrechnung-cii.xml"]
    assert xml.get_content_type() == "application/xml"
    content = xml.get_payload(decode=True)
    assert einvoice_rules.failures(content, xrechnung=True) == []
    assert b"<ram:BuyerReference>991-12345-67</ram:BuyerReference>" in content

"""A German company's invoices, made on the command line, print what the law asks: to a
German customer (two rates, a supply period, an order number) and to a French business
(reverse charge, both VAT IDs), in every language the customer may read."""

from __future__ import annotations

import pytest

from desktop_app.documents.data import LANGUAGES
from tests.support.pdf import Pdf

SELLER_VAT = "DE136695976"
BUYER_VAT = "FR40303265045"
EXPECTED = {  # language: (supply period, order, reverse-charge sentence, VAT ID label)
    "en": ("Service period", "Your order", "Reverse charge", "VAT ID"),
    "de": ("Leistungszeitraum", "Ihre Bestellung", "Steuerschuldnerschaft des "
           "Leistungsempfängers", "USt-IdNr."),
    "ru": ("Период оказания услуг", "Ваш заказ", "Обратное начисление", "НДС"),
    "zh_CN": ("服务期间", "贵方订单号", "反向征收", "增值税号"),
    "zh_TW": ("服務期間", "貴方訂單編號", "反向課稅", "加值稅號"),
}


def _company(cli) -> None:
    cli("company", "set", "--name", "Nordlicht Tischlerei GmbH", "--currency", "EUR",
        "--country", "DE", "--vat-id", SELLER_VAT, "--tax-id", "21/815/08150",
        "--address", "Hafenstraße 12\n20457 Hamburg", "--iban", "DE89 3704 0044 0532 0130 00",
        "--register", "Amtsgericht Hamburg HRB 123456", "--directors", "Anna Schmidt",
        "--signer", "Anna Schmidt|Geschäftsführerin")
    cli("terms", "add", "Net 14", "--net-days", "14", "--late-rule", "de_288", "--default")


def _words(pdf: bytes) -> set[str]:
    """Every word printed (a label wrapped over lines, or the footer's columns read across,
    still has each of its words)."""
    return {w["text"] for page in Pdf(pdf).words for w in page}


def _prints(words: set[str], phrase: str) -> bool:
    """Each word of the phrase is printed (Chinese: the phrase is, or its characters are)."""
    flat = "".join(sorted(words))
    return all(part in words or part in flat for part in phrase.split())


@pytest.mark.parametrize("language", LANGUAGES)
def test_invoices_to_a_german_and_a_french_business_print_every_item(cli, tmp_path,
                                                                     language):
    _company(cli)
    german = cli.js("customer", "add", "--credit-granted",
                    "--name", "Müller Bau KG", "--language", language,
                    "--address", "Lindenallee 7\n50667 Köln", "--country", "DE",
                    "--number", "K-1001")["id"]
    french = cli.js("customer", "add", "--credit-granted",
                    "--name", "Atelier Dupont SARL", "--language",
                    language, "--address", "12 rue de la Paix\n75002 Paris",
                    "--vat-id", BUYER_VAT, "--number", "K-2002")["id"]
    first = cli.js("invoice", "add", "--customer", str(german),
                   "--line", "Montage|12|65.00|19|HUR", "--line", "Pflegeset|3|224.10|7|C62",
                   "--supply-period", "2026-10-01..2026-10-31",
                   "--order-reference", "PO-4711")["id"]
    second = cli.js("invoice", "add", "--customer", str(french),
                    "--line", "Beratung|8|120.00|0|HUR")["id"]
    cli("--as-of", "2026-11-02", "invoice", "issue", str(first))
    cli("--as-of", "2026-11-02", "invoice", "issue", str(second))
    # 19 % of 780.00 = 148.20 and 7 % of 672.30 = 47.061 -> 47.06, once per rate (BR-CO-17);
    # rounded per line (3 x 15.687) the 7 % would have been 47.07.
    assert cli.js("invoice", "show", str(first))["tax"] == "195.26"

    out = tmp_path / "first.pdf"
    cli("invoice", "pdf", str(first), "-o", str(out))
    words = _words(out.read_bytes())
    period, order, reverse, vat_label = EXPECTED[language]
    for expected in (period, order, "PO-4711", "K-1001", "Amtsgericht Hamburg HRB 123456",
                     SELLER_VAT, "47,06" if language in ("de", "ru") else "47.06"):
        assert _prints(words, expected), expected
    assert not _prints(words, reverse)

    out = tmp_path / "second.pdf"
    cli("invoice", "pdf", str(second), "-o", str(out))
    words = _words(out.read_bytes())
    for expected in (reverse, BUYER_VAT, SELLER_VAT, vat_label, "K-2002"):
        assert _prints(words, expected), expected

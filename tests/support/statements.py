"""Bank statement files written for the tests, in every format PaidUp reads.

``Transfer`` is one movement; the writers lay them out as a bank would (camt.052/053/054 in
versions 2, 4 and 8, MT940 with ``?20``-``?29`` subfields, OFX, a German and a US CSV).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

OUR_IBAN = "DE89370400440532013000"
PAYER_IBAN = "DE02120300000000202051"


@dataclass(frozen=True)
class Transfer:
    amount: str  # money in positive, out negative
    day: date
    name: str = "Müller & Söhne GmbH"
    iban: str = PAYER_IBAN
    text: str = ""  # unstructured remittance
    ref: str = ""  # structured creditor reference
    bank_ref: str | None = None  # the bank's id; None: made from the position
    value_day: date | None = None
    returned: bool = False
    batch: tuple[Transfer, ...] = field(default=())  # an entry booking several transfers

    @property
    def value(self) -> Decimal:
        return Decimal(self.amount)


def _amt(value: Decimal) -> str:
    return f"{abs(value):.2f}"


def _party(t: Transfer, version: int) -> str:
    role = "Dbtr" if t.value > 0 else "Cdtr"
    name = f"<Nm>{escape(t.name)}</Nm>"
    name = f"<Pty>{name}</Pty>" if version >= 8 else name
    account = f"<{role}Acct><Id><IBAN>{t.iban}</IBAN></Id></{role}Acct>" if t.iban else ""
    return f"<RltdPties><{role}>{name}</{role}>{account}</RltdPties>"


def _tx(t: Transfer, version: int, ref: str) -> str:
    amount = f'<Amt Ccy="EUR">{_amt(t.value)}</Amt>'
    sign = "CRDT" if t.value > 0 else "DBIT"
    amount = (f"<AmtDtls><TxAmt>{amount}</TxAmt></AmtDtls>" if version < 4
              else f"{amount}<CdtDbtInd>{sign}</CdtDbtInd>")
    remittance = "".join(f"<Ustrd>{escape(t.text[i:i + 140])}</Ustrd>"
                         for i in range(0, len(t.text), 140))
    if t.ref:
        tag = "CdtrRef" if version < 3 else "Ref"
        remittance += f"<Strd><CdtrRefInf><{tag}>{t.ref}</{tag}></CdtrRefInf></Strd>"
    returned = ("<RtrInf><Rsn><Cd>AC04</Cd></Rsn><AddtlInf>Konto aufgeloest</AddtlInf>"
                "</RtrInf>" if t.returned else "")
    return (f"<TxDtls><Refs><AcctSvcrRef>{ref}</AcctSvcrRef><EndToEndId>NOTPROVIDED"
            f"</EndToEndId></Refs>{amount}{_party(t, version)}"
            f"{f'<RmtInf>{remittance}</RmtInf>' if remittance else ''}{returned}</TxDtls>")


def _entry(t: Transfer, version: int, position: int) -> str:
    ref = t.bank_ref if t.bank_ref is not None else f"REF{t.day:%Y%m%d}{position:05d}"
    parts = t.batch or (t,)
    total = sum((p.value for p in parts), Decimal(0))
    sign = "CRDT" if total > 0 else "DBIT"
    status = "<Sts><Cd>BOOK</Cd></Sts>" if version >= 8 else "<Sts>BOOK</Sts>"
    details = "".join(_tx(p, version, f"{ref}-{i}" if t.batch else ref)
                      for i, p in enumerate(parts, 1))
    batch = f"<Btch><NbOfTxs>{len(parts)}</NbOfTxs></Btch>" if t.batch else ""
    return (f'<Ntry><NtryRef>{ref}</NtryRef><Amt Ccy="EUR">{_amt(total)}</Amt>'
            f"<CdtDbtInd>{sign}</CdtDbtInd>{status}"
            f"<BookgDt><Dt>{t.day.isoformat()}</Dt></BookgDt>"
            f"<ValDt><Dt>{(t.value_day or t.day).isoformat()}</Dt></ValDt>"
            f"<AcctSvcrRef>{ref}</AcctSvcrRef>"
            f"<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd>"
            f"<SubFmlyCd>{'RRTN' if t.returned else 'ESCT'}</SubFmlyCd></Fmly></Domn></BkTxCd>"
            f"<NtryDtls>{batch}{details}</NtryDtls></Ntry>")


MESSAGES = {"053": ("BkToCstmrStmt", "Stmt"), "052": ("BkToCstmrAcctRpt", "Rpt"),
            "054": ("BkToCstmrDbtCdtNtfctn", "Ntfctn")}


def camt(transfers: Sequence[Transfer], *, kind: str = "053", version: int = 8,
         account: str = OUR_IBAN, namespace: bool = True) -> bytes:
    message, report = MESSAGES[kind]
    ns = (f' xmlns="urn:iso:std:iso:20022:tech:xsd:camt.{kind}.001.{version:02d}"'
          if namespace else "")
    entries = "".join(_entry(t, version, i) for i, t in enumerate(transfers, 1))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<Document{ns}><{message}>'
            f"<GrpHdr><MsgId>MSG{kind}</MsgId><CreDtTm>2026-11-30T18:00:00</CreDtTm></GrpHdr>"
            f"<{report}><Id>{kind}-1</Id><CreDtTm>2026-11-30T18:00:00</CreDtTm>"
            f"<Acct><Id><IBAN>{account}</IBAN></Id><Ccy>EUR</Ccy></Acct>"
            f"{entries}</{report}></{message}></Document>\n").encode()


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def _wrap86(text: str) -> str:
    """``?20`` to ``?29``: 27 characters each, as German banks cut the purpose."""
    chunks = [text[i:i + 27] for i in range(0, len(text), 27)][:10]
    return "".join(f"?{20 + i}{chunk}" for i, chunk in enumerate(chunks))


def mt940(transfers: Sequence[Transfer], *, account: str = "37040044/0532013000") -> bytes:
    lines = [":20:STARTUMSE", f":25:{account}", ":28C:00001/001", ":60F:C261101EUR0,00"]
    balance = Decimal(0)
    for i, t in enumerate(transfers, 1):
        mark = ("RD" if t.value > 0 else "RC") if t.returned else (
            "C" if t.value > 0 else "D")
        amount = _amt(t.value).replace(".", ",")
        value_day = t.value_day or t.day
        ref = t.bank_ref if t.bank_ref is not None else f"MT{t.day:%y%m%d}{i:04d}"
        lines.append(f":61:{value_day:%y%m%d}{t.day:%m%d}{mark}{amount}NTRFNONREF//{ref}")
        purpose = (f"SVWZ+{t.text}" if t.text else "") + (f" {t.ref}" if t.ref else "")
        detail = (f"166?00GUTSCHRIFT?109310{_wrap86(purpose)}?30COBADEFFXXX?31{t.iban}"
                  f"?32{t.name[:27]}?33{t.name[27:54]}")
        # :86: is cut into lines of 65 characters, as the field's format asks.
        lines += [f":86:{detail[:61]}"] + [detail[i:i + 65]
                                           for i in range(61, len(detail), 65)]
        balance += t.value
    sign = "C" if balance >= 0 else "D"
    lines += [f":62F:{sign}261130EUR{_amt(balance).replace('.', ',')}", "-"]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def ofx(transfers: Sequence[Transfer]) -> bytes:
    rows = "".join(
        f"<STMTTRN><TRNTYPE>{'CREDIT' if t.value > 0 else 'DEBIT'}"
        f"<DTPOSTED>{t.day:%Y%m%d}<TRNAMT>{t.value:.2f}"
        f"<FITID>{t.bank_ref if t.bank_ref is not None else f'{t.day:%Y%m%d}{i:04d}'}"
        f"<NAME>{escape(t.name[:32])}{f'<MEMO>{escape(t.text)}' if t.text else ''}"
        "</STMTTRN>\n"
        for i, t in enumerate(transfers, 1))
    return ("OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\n"
            "CHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n"
            "<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS>"
            "<DTSERVER>20261130120000<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1>\n"
            "<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>\n"
            "<STMTRS><CURDEF>USD<BANKACCTFROM><BANKID>121000248<ACCTID>123456789"
            "<ACCTTYPE>CHECKING</BANKACCTFROM>\n<BANKTRANLIST><DTSTART>20261101"
            f"<DTEND>20261130\n{rows}</BANKTRANLIST>"
            "<LEDGERBAL><BALAMT>0.00<DTASOF>20261130</LEDGERBAL></STMTRS></STMTTRNRS>"
            "</BANKMSGSRSV1></OFX>\n").encode("cp1252")


DE_HEADER = ('"Auftragskonto";"Buchungstag";"Valutadatum";"Buchungstext";"Verwendungszweck";'
             '"Beguenstigter/Zahlungspflichtiger";"Kontonummer/IBAN";"BIC (SWIFT-Code)";'
             '"Betrag";"Waehrung";"Info"')


def csv_de(transfers: Sequence[Transfer]) -> bytes:
    """The German savings banks' CSV-CAMT export: ``;``, Windows-1252, decimal comma."""
    rows = [DE_HEADER]
    for t in transfers:
        amount = f"{t.value:.2f}".replace(".", ",")
        text = f"{t.text} {t.ref}".strip().replace('"', "'")
        rows.append(f'"{OUR_IBAN}";"{t.day:%d.%m.%y}";"{(t.value_day or t.day):%d.%m.%y}";'
                    f'"GUTSCHR. UEBERWEISUNG";"{text}";"{t.name}";"{t.iban}";"COBADEFFXXX";'
                    f'"{amount}";"EUR";"Umsatz gebucht"')
    return ("\r\n".join(rows) + "\r\n").encode("cp1252")


def csv_us(transfers: Sequence[Transfer]) -> bytes:
    """A US checking export: comma, UTF-8, MM/DD/YYYY, money out negative."""
    rows = ["Details,Posting Date,Description,Amount,Type,Balance,Check or Slip #"]
    for t in transfers:
        kind = "CREDIT" if t.value > 0 else "DEBIT"
        description = f"{t.name} {t.text}".strip()
        rows.append(f'{kind},{t.day:%m/%d/%Y},"{description}",{t.value:.2f},ACH_{kind},,')
    return ("\n".join(rows) + "\n").encode("utf-8")

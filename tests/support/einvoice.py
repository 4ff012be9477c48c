"""The official e-invoice rules (../shared/validation: CEN EN 16931 and the KoSIT XRechnung
CIUS as XSLT), compiled once per test session with Saxon and run on XML or hybrid PDFs.

``validate.py`` in that folder compiles the stylesheets on every call (seconds each); the
tests compile each one once and keep it, so a file costs a transform only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RULES_DIR = ROOT.parent / "shared" / "validation"
STYLESHEETS = {
    ("cii", False): RULES_DIR / "en16931" / "EN16931-CII-validation.xslt",
    ("ubl", False): RULES_DIR / "en16931" / "EN16931-UBL-validation.xslt",
    ("cii", True): RULES_DIR / "xrechnung" / "XRechnung-CII-validation.xsl",
    ("ubl", True): RULES_DIR / "xrechnung" / "XRechnung-UBL-validation.xsl",
}
_FAILED = re.compile(r"<svrl:failed-assert\b([^>]*)>(.*?)</svrl:failed-assert>", re.S)


def syntax_of(xml: bytes) -> str:
    head = xml[:2000].decode("utf-8", "replace")
    return "cii" if "CrossIndustryInvoice" in head else "ubl"


def embedded_xml(pdf: bytes) -> bytes:
    """The factur-x.xml inside a hybrid PDF, read with pikepdf."""
    import pikepdf

    with pikepdf.open(BytesIO(pdf)) as doc:
        return bytes(doc.attachments["factur-x.xml"].get_file().read_bytes())


@dataclass
class Rules:
    """Saxon with the compiled stylesheets; ``failures`` lists the fatal ones."""

    _proc: object = None
    _compiled: dict = field(default_factory=dict)

    def _executable(self, key: tuple[str, bool]):
        from saxonche import PySaxonProcessor

        if self._proc is None:
            self._proc = PySaxonProcessor(license=False)
        if key not in self._compiled:
            path = STYLESHEETS[key]
            assert path.exists(), f"the official rules are missing: {path}"
            self._compiled[key] = self._proc.new_xslt30_processor().compile_stylesheet(
                stylesheet_file=str(path))
        return self._compiled[key]

    def report(self, xml: bytes, *, xrechnung: bool = False) -> list[dict[str, str]]:
        syntax = syntax_of(xml)
        node = self._proc_parse(xml)
        found = []
        for key in [(syntax, False)] + ([(syntax, True)] if xrechnung else []):
            svrl = self._executable(key).transform_to_string(xdm_node=node)
            for m in _FAILED.finditer(svrl):
                attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
                text = " ".join(re.sub(r"<[^>]+>", "", m.group(2)).split())
                found.append({"id": attrs.get("id", "?"), "flag": attrs.get("flag", "fatal"),
                              "text": text})
        return found

    def _proc_parse(self, xml: bytes):
        self._executable((syntax_of(xml), False))
        return self._proc.parse_xml(xml_text=xml.decode("utf-8"))  # type: ignore[union-attr]

    def failures(self, document: bytes, *, xrechnung: bool = False) -> list[str]:
        """Fatal and error failures as 'ID: text' (an empty list: the file is valid)."""
        xml = embedded_xml(document) if document.startswith(b"%PDF") else document
        return [f"{f['id']}: {f['text']}" for f in self.report(xml, xrechnung=xrechnung)
                if f["flag"] in ("fatal", "error")]

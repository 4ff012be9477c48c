"""The hybrid invoice: the visible PDF made a PDF/A-3b with the CII XML inside (Factur-X 1.0 /
ZUGFeRD 2.x, ISO 19005-3).

What PDF/A-3b asks and where it is met: every font embedded and images in RGB or grey (the
renderer, ``documents.pdf``); an sRGB output intent, XMP metadata that repeats the document
information, the embedded file with its MIME type, dates and ``AFRelationship``, listed in
the catalogue's ``/AF``, and no encryption (here). The XMP carries the Factur-X extension
schema that names the XML, its type and profile. Equal inputs give equal bytes.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from io import BytesIO
from xml.sax.saxutils import escape

import pikepdf
from pikepdf import Array, Dictionary, Name, String

FACTURX_NS = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"
SRGB = "sRGB IEC61966-2.1"


@dataclass(frozen=True, slots=True)
class HybridInfo:
    """What the document information and the XMP say about the PDF (they must agree)."""

    title: str
    author: str
    subject: str
    created: datetime  # the instant it was issued: the same bytes when made again
    language: str = ""  # BCP 47, e.g. "de" or "zh-CN"
    xml_name: str = "factur-x.xml"
    document_type: str = "INVOICE"  # Factur-X: INVOICE for invoices and credit notes
    conformance: str = "EN 16931"


@cache
def srgb_profile() -> bytes:
    """The sRGB ICC profile of LittleCMS (through Pillow), its header marked as version 4.2
    (ICC.1:2004-10), the newest that PDF 1.7 and so PDF/A-3 name, with its profile ID
    computed again as ICC.1 7.2.18 says (MD5 with flags, intent and ID zeroed)."""
    from PIL import ImageCms

    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    data[8:12] = bytes((4, 0x20, 0, 0))
    # LittleCMS stamps the profile with the hour it was made: a fixed date instead, so that
    # the same invoice gives the same bytes in any process.
    data[24:36] = b"".join(n.to_bytes(2, "big") for n in (2024, 1, 1, 0, 0, 0))
    blanked = bytearray(data)
    blanked[44:48] = blanked[64:68] = bytes(4)
    blanked[84:100] = bytes(16)
    data[84:100] = hashlib.md5(bytes(blanked)).digest()
    return bytes(data)


def pdf_date(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("D:%Y%m%d%H%M%S+00'00'")


def xmp_date(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def make_hybrid(pdf: bytes, xml: bytes, info: HybridInfo) -> bytes:
    """``pdf`` (from ReportLab) as a PDF/A-3b carrying ``xml`` as ``info.xml_name``."""
    with pikepdf.open(BytesIO(pdf)) as doc:
        if doc.is_encrypted:
            raise ValueError("an encrypted PDF cannot become PDF/A")
        _output_intent(doc)
        _attach(doc, xml, info)
        _metadata(doc, info)
        out = BytesIO()
        # No stream compression by qpdf: the XMP must stay unfiltered (ISO 19005-3 6.6.2.1);
        # the other streams come compressed already.
        doc.save(out, compress_streams=False, deterministic_id=True, force_version="1.7",
                 fix_metadata_version=False)
        return out.getvalue()


def embedded_xml(pdf: bytes, name: str = "factur-x.xml") -> bytes:
    """The XML a hybrid PDF carries."""
    with pikepdf.open(BytesIO(pdf)) as doc:
        attached = doc.attachments.get(name)
        if attached is None:
            raise ValueError(f"the PDF carries no {name}")
        return bytes(attached.get_file().read_bytes())


def _flate(doc: pikepdf.Pdf, data: bytes, **entries: object) -> pikepdf.Stream:
    stream = doc.make_stream(b"")
    stream.write(zlib.compress(data, 9), filter=Name.FlateDecode)
    for key, value in entries.items():
        stream[f"/{key}"] = value
    return stream


def _output_intent(doc: pikepdf.Pdf) -> None:
    profile = _flate(doc, srgb_profile(), N=3)
    intent = Dictionary(Type=Name.OutputIntent, S=Name.GTS_PDFA1,
                        OutputConditionIdentifier=String(SRGB), Info=String(SRGB),
                        RegistryName=String("http://www.color.org"),
                        DestOutputProfile=profile)
    doc.Root.OutputIntents = Array([doc.make_indirect(intent)])


def _attach(doc: pikepdf.Pdf, xml: bytes, info: HybridInfo) -> None:
    when = String(pdf_date(info.created))
    params = Dictionary(Size=len(xml), CreationDate=when, ModDate=when,
                        CheckSum=String(hashlib.md5(xml).digest()))
    embedded = _flate(doc, xml, Type=Name.EmbeddedFile, Subtype=Name("/text/xml"),
                      Params=params)
    name = String(info.xml_name)
    spec = doc.make_indirect(Dictionary(
        Type=Name.Filespec, F=name, UF=name, EF=Dictionary(F=embedded, UF=embedded),
        Desc=String("Factur-X invoice data (EN 16931)"), AFRelationship=Name.Alternative))
    doc.Root.Names = Dictionary(EmbeddedFiles=Dictionary(Names=Array([name, spec])))
    doc.Root.AF = doc.make_indirect(Array([spec]))
    doc.Root.PageMode = Name.UseAttachments
    if info.language:
        doc.Root.Lang = String(info.language)


def _metadata(doc: pikepdf.Pdf, info: HybridInfo) -> None:
    when = pdf_date(info.created)
    for key in list(doc.docinfo.keys()):
        del doc.docinfo[key]
    doc.docinfo.Title = String(info.title)
    doc.docinfo.Author = String(info.author)
    doc.docinfo.Subject = String(info.subject)
    doc.docinfo.Creator = String("PaidUp")
    doc.docinfo.Producer = String("PaidUp")
    doc.docinfo.CreationDate = String(when)
    doc.docinfo.ModDate = String(when)
    doc.Root.Metadata = doc.make_stream(xmp_packet(info), Type=Name.Metadata,
                                        Subtype=Name.XML)


def _prop(name: str, description: str) -> str:
    return (f'<rdf:li rdf:parseType="Resource"><pdfaProperty:name>{name}</pdfaProperty:name>'
            f"<pdfaProperty:valueType>Text</pdfaProperty:valueType>"
            f"<pdfaProperty:category>external</pdfaProperty:category>"
            f"<pdfaProperty:description>{description}</pdfaProperty:description></rdf:li>")


def xmp_packet(info: HybridInfo) -> bytes:
    """XMP: PDF/A identification, the document information repeated, the Factur-X
    extension schema (a PDF/A-3 needs every custom property declared) and its values."""
    when = xmp_date(info.created)
    props = "".join((
        _prop("DocumentFileName", "The name of the embedded XML document"),
        _prop("DocumentType", "The type of the hybrid document in capital letters"),
        _prop("Version", "The version of the standard applying to the embedded XML"),
        _prop("ConformanceLevel", "The conformance level of the embedded XML"),
    ))
    body = f"""<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<pdfaid:part>3</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(info.title)}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{escape(info.author)}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(info.subject)}</rdf:li></rdf:Alt>
</dc:description>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
<pdf:Producer>PaidUp</pdf:Producer>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<xmp:CreatorTool>PaidUp</xmp:CreatorTool>
<xmp:CreateDate>{when}</xmp:CreateDate>
<xmp:ModifyDate>{when}</xmp:ModifyDate>
<xmp:MetadataDate>{when}</xmp:MetadataDate>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
 xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>{FACTURX_NS}</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>fx</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq>{props}</rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:fx="{FACTURX_NS}">
<fx:DocumentType>{escape(info.document_type)}</fx:DocumentType>
<fx:DocumentFileName>{escape(info.xml_name)}</fx:DocumentFileName>
<fx:Version>1.0</fx:Version>
<fx:ConformanceLevel>{escape(info.conformance)}</fx:ConformanceLevel>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>"""
    packet = ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n' + body
              + "\n" + (" " * 99 + "\n") * 20 + '<?xpacket end="w"?>')
    return packet.encode("utf-8")

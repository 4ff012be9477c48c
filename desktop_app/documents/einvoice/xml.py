"""A few lines over lxml for writing ordered XML where empty optional parts vanish."""

from __future__ import annotations

from datetime import date

from lxml import etree

Element = etree._Element


class Writer:
    """Builds one document in a set of namespaces given as prefix -> URI; the prefix
    ``default`` is written as the default namespace (UBL's root)."""

    def __init__(self, namespaces: dict[str, str], default: str = "") -> None:
        self.ns = namespaces
        self.nsmap = {(None if prefix == default else prefix): uri
                      for prefix, uri in namespaces.items()}

    def tag(self, name: str) -> str:
        prefix, local = name.split(":")
        return f"{{{self.ns[prefix]}}}{local}"

    def root(self, name: str) -> Element:
        return etree.Element(self.tag(name), nsmap=self.nsmap)  # type: ignore[arg-type]

    def add(self, parent: Element, tag_name: str, text: str | None = None,
            **attrs: str) -> Element:
        node = etree.SubElement(parent, self.tag(tag_name),
                                {k: v for k, v in attrs.items() if v})
        if text is not None:
            node.text = text
        return node

    def opt(self, parent: Element, tag_name: str, text: str | None, **attrs: str) -> None:
        """Only when there is something to say: an empty optional element breaks rules."""
        if text is not None and text.strip():
            self.add(parent, tag_name, text, **attrs)

    def serialize(self, root: Element) -> bytes:
        etree.indent(root, space="  ")
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


def iso(day: date) -> str:
    return day.isoformat()


def compact(day: date) -> str:
    """UN/CEFACT date format 102 (CCYYMMDD)."""
    return day.strftime("%Y%m%d")

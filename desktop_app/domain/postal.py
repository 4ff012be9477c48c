"""A postal address typed as free lines, split into what an e-invoice names apart: street
lines, post code, city, region and country.

The books keep addresses as the user typed them (any script, any order a country uses);
only the e-invoice needs the parts. The last line may name the country in any of PaidUp's
languages or as its ISO code; the line before it (or the last one) holds post code and city
in the usual national orders.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from babel import Locale

NAME_LANGUAGES = ("en", "de", "fr", "ru", "zh_Hans", "zh_Hant", "es", "it", "nl")

_CITY_LINES = (
    # US: "Springfield, IL 62704"
    re.compile(r"^(?P<city>.+?),\s*(?P<region>[A-Z]{2})\s+(?P<postcode>\d{5}(?:-\d{4})?)$"),
    # UK: "London SW1A 1AA"
    re.compile(r"^(?P<city>.+?),?\s+(?P<postcode>[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})$"),
    # NL: "1012 AB Amsterdam"
    re.compile(r"^(?P<postcode>\d{4}\s?[A-Z]{2})\s+(?P<city>.+)$"),
    # Most of Europe and Russia: "10115 Berlin", "D-10115 Berlin", "101000, Москва", PL 00-950
    re.compile(r"^(?:[A-Z]{1,2}-)?(?P<postcode>\d{2}-\d{3}|\d{3,6})[,\s]\s*(?P<city>.+)$"),
    # City first: "Москва, 101000", "北京市 100020", "Dublin D02 X285"
    re.compile(r"^(?P<city>.+?)[,\s]\s*(?P<postcode>\d{4,6}|[A-Z]\d{2}\s?[A-Z\d]{4})$"),
)


@dataclass(frozen=True, slots=True)
class PostalParts:
    lines: tuple[str, ...]
    city: str = ""
    postcode: str = ""
    region: str = ""
    country: str = ""  # ISO 3166-1 alpha-2, empty when the address does not say


@cache
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for language in NAME_LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if len(code) == 2 and code.isalpha():
                names.setdefault(_fold(name), code)
    extra = {"USA": "US", "U.S.A.": "US", "UK": "GB", "Deutschland (BRD)": "DE",
             "Россия": "RU", "РФ": "RU", "中国": "CN", "台灣": "TW", "台湾": "TW",
             "臺灣": "TW"}
    for name, code in extra.items():
        names.setdefault(_fold(name), code)
    return names


def _fold(text: str) -> str:
    return " ".join(text.replace(".", " ").split()).casefold()


def country_code(line: str) -> str:
    """The ISO code a line names ('Deutschland', 'Germany', 'DE', 'Германия'), or ''."""
    text = line.strip()
    if len(text) == 2 and text.isalpha() and text.isupper() and text in set(
            _country_names().values()):
        return text
    return _country_names().get(_fold(text), "")


def split_address(lines: Sequence[str]) -> PostalParts:
    rows = [line.strip() for line in lines if line.strip()]
    country = country_code(rows[-1]) if rows else ""
    if country:
        rows = rows[:-1]
    if not rows:
        return PostalParts((), country=country)
    last = rows[-1]
    for pattern in _CITY_LINES:
        match = pattern.match(last)
        if match:
            parts = match.groupdict()
            return PostalParts(tuple(rows[:-1])[:3], parts["city"].strip(" ,"),
                               parts["postcode"], parts.get("region") or "", country)
    return PostalParts(tuple(rows[:-1])[:3], last, "", "", country)

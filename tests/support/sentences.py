"""What a sentence left without one of its facts looks like: a preposition or conjunction
before punctuation, empty brackets, a doubled stop, a space before a comma."""

from __future__ import annotations

import re

_COMMON = [r" [.,;:!?)]", r"\(\s*\)", r"（\s*）", r"（，", r"，）", r"[,;:]\s*[.,;:]",
           r"(?<!\.)\.\.(?!\.)", r"  ", r"\{|\}", r"\[|\]", r"^[ \t]*[.,;:]"]
_DANGLING = {
    "en": r"\b(at|or|on|to|by|and|of|for|with|contact|please)\s*[.,;:)]",
    "de": r"\b(unter|oder|bis|zum|von|und|für|vom)\s*[.,;:)]",
    "ru": r"(?<!\w)(к|по|или|и|до|на|от|с)\s*[.,;:)!]",
    "zh_CN": r"(或|和|至|(?<!与我们)联系|电话：|电子邮件：|于)\s*[，。；）]",
    "zh_TW": r"(或|和|至|(?<!與我們)聯絡|電話：|電子郵件：|於)\s*[，。；）]",
}


def broken_phrases(text: str, language: str) -> list[str]:
    """Every place where the text reads as a sentence with a hole in it."""
    found = []
    for pattern in (*_COMMON, _DANGLING[language]):
        for line in text.splitlines():
            found += [f"{m.group(0)!r} in {line!r}" for m in re.finditer(pattern, line)]
    return found

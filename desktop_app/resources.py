"""Where the shipped fonts, templates, catalogues and icons are, however PaidUp was installed.

The repository keeps them in its top-level ``resources/`` folder. A built wheel carries the
same tree as package data in ``desktop_app/_resources`` (see setup.py), and the PyInstaller
bundle unpacks it to ``resources/`` under ``sys._MEIPASS``. Nothing else guesses these paths.
"""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def locate() -> Path:
    """The resources folder of this installation: bundle, installed package or checkout."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    candidates = (_PACKAGE / "_resources", _PACKAGE.parent / "resources")
    for candidate in candidates:
        if (candidate / "icons" / "paidup.svg").is_file():
            return candidate
    looked = ", ".join(str(c) for c in candidates)
    raise RuntimeError(f"PaidUp is not completely installed: no resources in {looked}")


ROOT = locate()
FONTS = ROOT / "fonts"
ICONS = ROOT / "icons"
APP_ICON = ICONS / "paidup.svg"
LOCALE = ROOT / "locale"
LETTER_TEMPLATES = ROOT / "templates" / "letters"
MAIL_TEMPLATES = ROOT / "templates" / "mail"

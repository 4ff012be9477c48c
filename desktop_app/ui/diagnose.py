"""`paidup --diagnose FILE.json`: the installation's facts and Qt's, for support and tests.

Written to a file because the Windows and macOS programs have no console to print to.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtGui import QGuiApplication, QImageReader

from desktop_app import files
from desktop_app.clock import system_now
from desktop_app.services.diagnostics import diagnostics_report, installation


def qt_facts() -> dict[str, str]:
    from PySide6.QtPdf import QPdfDocument  # the PDF preview's library, from its own wheel

    formats = sorted(bytes(f.data()).decode() for f in QImageReader.supportedImageFormats())
    return {
        "qt": qVersion(),
        "pyside": pyside_version,
        "qt_platform": QGuiApplication.platformName(),
        "qt_pdf": QPdfDocument.__module__,
        "image_formats": " ".join(formats),
    }


def write_diagnosis(path: str | Path) -> int:
    facts = {**installation(), **qt_facts()}
    files.write_text(Path(path), json.dumps(facts, indent=2, ensure_ascii=False) + "\n")
    return 0


def write_diagnostics_file(path: str | Path, log_path: Path) -> Path:
    """The crash dialog's one file to pass on: these facts and the end of the log."""
    facts = {**installation(), **qt_facts()}
    target = Path(path)
    files.write_text(target, diagnostics_report(facts, log_path, system_now()))
    return target

"""Names, ids and folders every installer shares, so the three systems agree on them."""

from __future__ import annotations

import platform
import sys
from pathlib import Path

from desktop_app import APP_ID, __version__

NAME = "PaidUp"
VERSION = __version__
PUBLISHER = "PaidUp"
DESCRIPTION = "Invoicing and payment follow-up for small businesses"
COPYRIGHT = "Copyright © PaidUp"
BUNDLE_ID = APP_ID  # macOS CFBundleIdentifier and the Linux .desktop / icon name

GUI_EXE = "paidup"
CLI_EXE = "paidup-cli"

REPO = Path(__file__).resolve().parents[1]
INSTALLERS = REPO / "installers"
BUILD = REPO / "build"
DIST = REPO / "dist"
ICON_SOURCE = REPO / "resources" / "icons" / "paidup.svg"
ICONS = BUILD / "icons"  # make_icons.py's default output: hicolor/, paidup.ico, paidup.icns


def version_tuple() -> tuple[int, int, int, int]:
    """The four numbers Windows version resources need ("0.1.0" -> (0, 1, 0, 0))."""
    a, b, c, d, *_ = [*(int(p) for p in VERSION.split(".") if p.isdigit()), 0, 0, 0, 0]
    return a, b, c, d


def platform_tag() -> str:
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    return f"{system}-{platform.machine().lower()}"


def macos_info_plist() -> dict[str, object]:
    """Info.plist entries of PaidUp.app beyond those PyInstaller writes itself."""
    return {
        "CFBundleName": NAME,
        "CFBundleDisplayName": NAME,
        "CFBundleIdentifier": BUNDLE_ID,
        "CFBundleShortVersionString": VERSION,
        "CFBundleVersion": VERSION,
        "CFBundlePackageType": "APPL",
        "LSApplicationCategoryType": "public.app-category.finance",
        "LSMinimumSystemVersion": "13.0",  # what the PySide6 6.12 wheels support
        "NSHighResolutionCapable": True,
        "NSRequiresAquaSystemAppearance": False,  # follow the system's dark mode
        "NSHumanReadableCopyright": COPYRIGHT,
    }

"""`make run` installs every system library the window's Qt links against.

The list in scripts/install-system-deps.sh (--window) is held to what the Qt libraries and
plugins of the installed PySide6 wheels need: each library they name (readelf NEEDED) is
found, and the Debian package it comes from is on the list (apt brings that package's own
libraries with it).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import PySide6
import pytest

ROOT = Path(__file__).resolve().parents[2]
QT = Path(PySide6.__file__).parent / "Qt"
# What the window loads: its Qt modules, the X11 and Wayland platforms with their GL and
# shell integrations, printing, images, icons, input methods and TLS.
WINDOW_BINARIES = (
    "lib/libQt6Core.so.6", "lib/libQt6Gui.so.6", "lib/libQt6Widgets.so.6",
    "lib/libQt6PrintSupport.so.6", "lib/libQt6Pdf.so.6", "lib/libQt6PdfWidgets.so.6",
    "lib/libQt6DBus.so.6", "lib/libQt6XcbQpa.so.6", "lib/libQt6WaylandClient.so.6",
    "lib/libQt6Network.so.6", "lib/libQt6Svg.so.6", "lib/libQt6OpenGL.so.6",
    "plugins/platforms/libqxcb.so", "plugins/platforms/libqwayland.so",
    "plugins/xcbglintegrations/*.so", "plugins/printsupport/*.so",
    "plugins/imageformats/*.so", "plugins/iconengines/*.so", "plugins/tls/*.so",
    "plugins/platforminputcontexts/libcompose*.so", "plugins/platforminputcontexts/libibus*.so",
    "plugins/wayland-shell-integration/*.so", "plugins/wayland-decoration-client/*.so",
    "plugins/wayland-graphics-integration-client/*.so",
)

pytestmark = pytest.mark.skipif(shutil.which("dpkg") is None or shutil.which("readelf") is None,
                                reason="a Debian system with binutils")


def _window_packages() -> set[str]:
    listed = subprocess.run([str(ROOT / "scripts" / "install-system-deps.sh"), "--window",
                             "--list"], capture_output=True, text=True, check=True).stdout
    return set(listed.split())


def _resolved(binary: Path) -> dict[str, str]:
    """Library name -> where the loader finds it ('not found' when it does not)."""
    out = subprocess.run(["ldd", str(binary)], capture_output=True, text=True,
                         check=False).stdout
    found = {}
    for line in out.splitlines():
        name, arrow, rest = line.strip().partition(" => ")
        if arrow:
            found[name] = rest.split(" (")[0].strip()
    return found


@cache
def _package_of(path: str) -> str:
    real = os.path.realpath(path)
    for candidate in dict.fromkeys((path, real, real.removeprefix("/usr"))):
        owner = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True,
                               check=False).stdout
        if owner:
            return owner.split(":")[0]
    return f"(no package owns {path})"


def test_every_library_the_window_links_against_is_installed_from_the_list() -> None:
    binaries = sorted({p for pattern in WINDOW_BINARIES for p in QT.glob(pattern)})
    assert any(b.name == "libqxcb.so" for b in binaries), "the xcb platform plugin is missing"
    listed = _window_packages()
    missing, unlisted = [], {}
    for binary in binaries:
        dynamic = subprocess.run(["readelf", "-d", str(binary)], capture_output=True,
                                 text=True, check=True).stdout
        resolved = _resolved(binary)
        for name in re.findall(r"\(NEEDED\).*\[(.+)\]", dynamic):
            if (QT / "lib" / name).exists() or name.startswith("ld-linux"):
                continue  # the wheel's own, or the loader itself
            where = resolved.get(name, "not found")
            if where == "not found":
                missing.append(f"{binary.name}: {name}")
                continue
            package = _package_of(where)
            if package not in listed:
                unlisted.setdefault(package, []).append(f"{binary.name}: {name}")
    assert missing == [], "libraries not found (run make window-deps)"
    assert unlisted == {}, "packages the window needs that --window does not install"

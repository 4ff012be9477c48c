"""The installer recipes that can be checked without building: menu entry, install script,
Info.plist, entitlements, Inno Setup defines and the icons drawn from the one SVG."""

from __future__ import annotations

import configparser
import os
import plistlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from desktop_app import APP_ID, __version__

ROOT = Path(__file__).resolve().parents[2]
INSTALLERS = ROOT / "installers"
sys.path.insert(0, str(INSTALLERS))
import app_info  # noqa: E402
import make_icons  # noqa: E402
import make_installer  # noqa: E402

DESKTOP = INSTALLERS / "linux" / f"{APP_ID}.desktop"


def validate_desktop_file(path: Path) -> None:
    if shutil.which("desktop-file-validate") is None:
        pytest.fail("desktop-file-validate not found: install desktop-file-utils (make deps)")
    checked = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0 and not checked.stdout.strip(), checked.stdout


def desktop_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_menu_entry_is_valid_and_names_the_app_id():
    validate_desktop_file(DESKTOP)
    entry = desktop_entry(DESKTOP)
    assert entry["Icon"] == APP_ID  # the same name Qt gives the window (setDesktopFileName)
    assert entry["Exec"] == "paidup"
    assert "Office" in entry["Categories"].split(";")
    assert {"Comment[de]", "Comment[ru]", "Comment[zh_CN]", "Comment[zh_TW]"} <= set(entry)


@pytest.fixture(scope="module")
def icons(qapp, tmp_path_factory) -> Path:
    # qapp first: make_icons would otherwise start a QGuiApplication, and a later test's
    # widgets need a QApplication.
    out = tmp_path_factory.mktemp("icons")
    assert make_icons.main([str(out)]) == 0
    return out


def test_hicolor_icons_in_every_size_drawn_not_blank(icons):
    for size in make_icons.HICOLOR_SIZES:
        png = icons / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        with Image.open(png) as image:
            assert image.size == (size, size)
            alpha = image.getchannel("A")
            assert alpha.getextrema() == (0, 255)  # transparent corners, an opaque body
            assert len(image.convert("RGB").getcolors(size * size) or []) > 3
    assert (icons / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").read_bytes() == (
        ROOT / "resources" / "icons" / "paidup.svg").read_bytes()


def test_windows_and_macos_icon_files(icons):
    with Image.open(icons / "paidup.ico") as ico:
        assert {(s, s) for s in make_icons.ICO_SIZES} <= set(ico.info["sizes"])
    with Image.open(icons / "paidup.icns") as icns:
        # 16 to 512 points, each also at twice the pixels for Retina screens
        assert {(16, 16, 2), (128, 128, 1), (256, 256, 2), (512, 512, 2)} <= set(icns.info["sizes"])
        icns.load()
        assert icns.size == (1024, 1024)
        assert icns.getchannel("A").getextrema() == (0, 255)


def test_info_plist_is_a_valid_property_list():
    info = plistlib.loads(plistlib.dumps(app_info.macos_info_plist()))
    assert info["CFBundleIdentifier"] == APP_ID
    assert info["CFBundleShortVersionString"] == __version__
    assert info["CFBundlePackageType"] == "APPL"
    assert info["NSHighResolutionCapable"] is True
    entitlements = plistlib.loads((INSTALLERS / "macos" / "entitlements.plist").read_bytes())
    assert entitlements == {"com.apple.security.cs.allow-unsigned-executable-memory": True}


def test_inno_setup_script_gets_every_value_it_asks_for():
    script = (INSTALLERS / "windows" / "paidup.iss").read_text("utf-8")
    asked = set(re.findall(r"^#ifndef (\w+)", script, re.MULTILINE))
    passed = make_installer.iscc_defines(Path("dist/PaidUp"), Path("build/icons"))
    assert asked == set(passed)
    used = set(re.findall(r"\{#(\w+)\}", script)) - {"AppName", "AppExe"}
    assert used <= set(passed)
    assert re.search(r"^AppId=\{\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}$", script,
                     re.MULTILINE)
    assert re.fullmatch(r"\d+\.\d+\.\d+\.\d+", passed["AppVersionNumbers"])


def test_version_numbers_for_windows():
    assert app_info.version_tuple()[:3] == tuple(int(n) for n in __version__.split(".")[:3])


@pytest.fixture
def unpacked(tmp_path) -> Path:
    """An unpacked tarball as make_installer.py lays it out, with a stand-in program to install."""
    folder = tmp_path / "PaidUp-x"
    program = folder / "PaidUp" / "paidup"
    program.parent.mkdir(parents=True)
    program.write_text("#!/bin/sh\necho PaidUp stand-in\n")
    program.chmod(0o755)
    (folder / "PaidUp" / "paidup-cli").write_text("#!/bin/sh\n")
    (folder / "PaidUp" / "paidup-cli").chmod(0o755)
    (folder / "share" / "applications").mkdir(parents=True)
    shutil.copy2(DESKTOP, folder / "share" / "applications")
    png = folder / "share" / "icons" / "hicolor" / "48x48" / "apps" / f"{APP_ID}.png"
    png.parent.mkdir(parents=True)
    Image.new("RGBA", (48, 48), (47, 143, 107, 255)).save(png)
    shutil.copy2(INSTALLERS / "linux" / "install.sh", folder)
    return folder


def install_sh(folder: Path, home: Path, *args: str, **env: str):
    return subprocess.run(
        [str(folder / "install.sh"), *args], capture_output=True, text=True, timeout=60,
        env={"HOME": str(home), "PATH": os.defpath, **env},
    )


def test_install_script_puts_the_app_in_the_users_menu_and_uninstall_keeps_the_books(
        unpacked, tmp_path):
    home = tmp_path / "home of Smith & Co 100%"
    books = home / ".local" / "share" / "PaidUp" / "paidup.sqlite3"
    books.parent.mkdir(parents=True)
    books.write_bytes(b"the books")

    done = install_sh(unpacked, home)
    assert done.returncode == 0, done.stderr
    program = home / ".local" / "opt" / "PaidUp" / "paidup"
    menu = home / ".local" / "share" / "applications" / f"{APP_ID}.desktop"
    validate_desktop_file(menu)
    entry = desktop_entry(menu)
    assert entry["Exec"] == '"' + str(program).replace("%", "%%") + '"'
    assert entry["TryExec"] == str(program)
    assert (home / ".local" / "bin" / "paidup").resolve() == program
    ran = subprocess.run([str(home / ".local" / "bin" / "paidup")], capture_output=True,
                         text=True, check=True)
    assert ran.stdout == "PaidUp stand-in\n"
    assert (home / ".local/share/icons/hicolor/48x48/apps" / f"{APP_ID}.png").is_file()

    again = install_sh(unpacked, home)  # an upgrade over the installed copy
    assert again.returncode == 0, again.stderr
    assert not program.parent.with_name("PaidUp.old").exists()

    gone = install_sh(unpacked, home, "--uninstall")
    assert gone.returncode == 0, gone.stderr
    assert not program.parent.exists() and not menu.exists()
    assert not (home / ".local" / "bin" / "paidup").exists()
    assert books.read_bytes() == b"the books"
    assert str(books.parent) in gone.stdout


def test_install_script_refuses_a_folder_it_cannot_write_into_a_menu_entry(unpacked, tmp_path):
    refused = install_sh(unpacked, tmp_path, PAIDUP_INSTALL_DIR=str(tmp_path / 'a"b'))
    assert refused.returncode == 1
    assert "choose a folder" in refused.stderr

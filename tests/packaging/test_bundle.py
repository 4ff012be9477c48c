"""`make package` on Linux, then PaidUp as a user gets it: unpack, install.sh, start it from
the menu entry's program with a clean environment (no virtual environment, no PATH).

The build takes 3 to 5 minutes on two cores and runs once for this module, in its own tier
of scripts/run-tests.sh (PAIDUP_SKIP_BUNDLE=1 skips that tier while working on other things).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image, ImageChops

from desktop_app import APP_ID, __version__

pytestmark = [pytest.mark.bundle, pytest.mark.slow, pytest.mark.timeout(1800)]

ROOT = Path(__file__).resolve().parents[2]
BUILD_TIMEOUT = 1500
RUN_TIMEOUT = 120
SIZE_BUDGET = 350_000_000  # bytes: the bundle is about 290 MB; a jump means something crept in
UNUSED_QT = ("Qt6Qml", "Qt6Quick", "Qt6WebEngine", "Qt63D", "Qt6Multimedia", "Qt6Designer",
             "libqgtk3", "libqeglfs", "libqvnc", "qtvirtualkeyboard")


@dataclass(frozen=True)
class Installed:
    unpacked: Path  # the tarball, unpacked as the user would
    home: Path  # the user's home folder it was installed into
    program: Path  # what the menu entry starts
    cli: Path


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """A desktop session's bare minimum: no PATH, no virtual environment, no PYTHON*."""
    runtime = home / ".run"
    runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
    return {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_RUNTIME_DIR": str(runtime),
        "QT_QPA_PLATFORM": "offscreen",
        **extra,
    }


def run(command: list[str | Path], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run([str(part) for part in command], env=env, capture_output=True,
                          text=True, timeout=RUN_TIMEOUT, cwd=env["HOME"], **kwargs)
    assert done.returncode == 0, f"{command}: {done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """installers/make_installer.py, as `make package` runs it, into a folder of its own."""
    root = tmp_path_factory.mktemp("package")
    built = subprocess.run(
        [sys.executable, str(ROOT / "installers" / "make_installer.py"),
         "--dist", str(root / "dist"), "--work", str(root / "work")],
        capture_output=True, text=True, timeout=BUILD_TIMEOUT, cwd=ROOT,
    )
    assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-4000:]
    return root / "dist"


@pytest.fixture(scope="module")
def installed(dist: Path, tmp_path_factory) -> Installed:
    (tarball,) = dist.glob(f"PaidUp-{__version__}-linux-*.tar.gz")
    unpack_to = tmp_path_factory.mktemp("download")
    with tarfile.open(tarball) as archive:
        archive.extractall(unpack_to, filter="tar")
    (unpacked,) = unpack_to.iterdir()
    home = tmp_path_factory.mktemp("home")
    run([unpacked / "install.sh"], clean_env(home, PATH=os.defpath))
    program = home / ".local" / "opt" / "PaidUp" / "paidup"
    return Installed(unpacked, home, program, program.with_name("paidup-cli"))


def fresh_home(installed: Installed, name: str) -> Path:
    home = installed.home.parent / name
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir()
    return home


def test_the_menu_entry_starts_the_installed_program(installed):
    menu = installed.home / ".local" / "share" / "applications" / f"{APP_ID}.desktop"
    checked = subprocess.run(["desktop-file-validate", str(menu)], capture_output=True, text=True)
    assert checked.returncode == 0 and not checked.stdout.strip(), checked.stdout
    assert f'Exec="{installed.program}"' in menu.read_text("utf-8").splitlines()
    icons = installed.home / ".local" / "share" / "icons" / "hicolor"
    for size in (16, 32, 48, 128, 256, 512):
        with Image.open(icons / f"{size}x{size}" / "apps" / f"{APP_ID}.png") as icon:
            assert icon.size == (size, size)


def test_version_from_a_clean_environment(installed):
    shown = run([installed.program, "--version"], clean_env(installed.home))
    assert shown.stdout.strip() == f"PaidUp {__version__}"
    shown = run([installed.cli, "--version"], clean_env(installed.home))
    assert shown.stdout.strip() == f"PaidUp {__version__}"


def test_the_window_draws_what_it_draws_from_source(installed):
    """The frozen window's picture: 1280x800, not blank, the same as the source run's."""
    pictures = {}
    for name, command in (
        ("frozen", [installed.program]),
        ("source", [sys.executable, "-m", "desktop_app.ui.app"]),
    ):
        home = fresh_home(installed, "screenshot-home")  # the same path for both runs
        shot = installed.home.parent / f"{name}.png"
        run([*command, "--screenshot", shot], clean_env(home))
        pictures[name] = Image.open(shot).convert("RGB")
        assert (home / ".local" / "share" / "PaidUp" / "paidup.sqlite3").is_file()
    frozen, source = pictures["frozen"], pictures["source"]
    assert frozen.size == (1280, 800)
    colours = frozen.getcolors(1280 * 800) or []
    background = max(colours)[0]
    assert len(colours) > 10 and background < 1280 * 800 * 0.999  # there is ink on it
    assert ImageChops.difference(frozen, source).getbbox() is None


def test_the_frozen_app_uses_the_secret_service_keyring(installed):
    """Inside a desktop session (a private D-Bus and GNOME Keyring) it is the real keyring."""
    home = fresh_home(installed, "keyring-home")
    report = home / "diagnosis.json"
    run([ROOT / "scripts" / "with-keyring.sh", installed.program, "--diagnose", report],
        clean_env(home, PATH=os.defpath))
    facts = json.loads(report.read_text("utf-8"))
    assert facts["frozen"] == "yes"
    assert facts["keyring"] == "keyring.backends.SecretService.Keyring"
    assert facts["keyring_reachable"] == "yes"
    assert Path(facts["resources"]).is_relative_to(installed.program.parent)
    assert facts["qt_pdf"] == "PySide6.QtPdf"
    assert {"svg", "pdf", "png", "jpeg", "ico"} <= set(facts["image_formats"].split())


def test_without_a_session_the_keyring_is_still_named_not_the_fail_backend(installed):
    home = fresh_home(installed, "no-session-home")
    report = home / "diagnosis.json"
    run([installed.program, "--diagnose", report], clean_env(home))
    facts = json.loads(report.read_text("utf-8"))
    assert facts["keyring"] == "keyring.backends.SecretService.Keyring"
    assert facts["keyring_reachable"] == "no"


def test_the_frozen_command_line_writes_invoices_and_letters(installed):
    """Fonts, translations, templates, migrations and ReportLab all travel in the bundle."""
    home = fresh_home(installed, "cli-home")
    env = clean_env(home, PAIDUP_DB=str(home / "books.sqlite3"))

    def cli(*args: str) -> str:
        return run([installed.cli, *args], env).stdout

    cli("company", "set", "--name", "Lindenhof GmbH", "--currency", "EUR",
        "--iban", "DE89370400440532013000")
    cli("terms", "add", "Net 30", "--net-days", "30")
    cli("customer", "add", "--credit-granted",
        "--name", "Müller & Söhne", "--email", "ap@mueller.example",
        "--terms", "Net 30", "--language", "de")
    cli("invoice", "add", "--customer", "1", "--line", "Beratung|10|95.00|19")
    issued = json.loads(cli("--json", "--as-of", "2026-11-02", "invoice", "issue", "1",
                             "--date", "2026-11-02"))
    assert issued["number"] == "INV-2026-0001" and issued["total"] == "1130.50"
    cli("invoice", "pdf", "1", "-o", str(home / "invoice.pdf"))
    cli("letter", "1", "--stage", "reminder_1", "-o", str(home / "letter.pdf"))
    with pdfplumber.open(home / "invoice.pdf") as pdf:
        invoice = pdf.pages[0].extract_text()
    with pdfplumber.open(home / "letter.pdf") as pdf:
        letter = pdf.pages[0].extract_text()
    assert "INV-2026-0001" in invoice and "Müller & Söhne" in invoice
    assert "Zahlungserinnerung" in letter and "1.130,50 €" in letter


def test_the_bundle_carries_qt_pdf_and_leaves_out_unused_qt(dist):
    bundle = dist / "PaidUp"
    files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]
    names = {p.name for p in files}
    assert {"libQt6Pdf.so.6", "libQt6PdfWidgets.so.6", "libqxcb.so", "libqwayland.so",
            "libqoffscreen.so", "libqsvgicon.so", "libqpdf.so"} <= names
    assert any(n.startswith("QtPdf.") for n in names)
    assert not [n for n in names if any(unused in n for unused in UNUSED_QT)]
    size = sum(p.stat().st_size for p in files)
    print(f"bundle size: {size / 1e6:.0f} MB")
    assert size < SIZE_BUDGET


def test_uninstall_removes_the_program_and_keeps_the_books(installed):
    books = installed.home / ".local" / "share" / "PaidUp" / "paidup.sqlite3"
    run([installed.program, "--screenshot", installed.home / "shot.png"],
        clean_env(installed.home))
    assert books.is_file()
    run([installed.unpacked / "install.sh", "--uninstall"],
        clean_env(installed.home, PATH=os.defpath))
    assert not installed.program.exists()
    assert books.is_file()

"""Resources are found in a checkout, in a PyInstaller bundle and in an installed wheel."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from desktop_app import resources
from desktop_app.documents import paths as document_paths
from desktop_app.mail import email_templates as mail_templates

ROOT = Path(__file__).resolve().parents[2]


def test_a_checkout_uses_the_repositorys_resources_everywhere():
    assert resources.ROOT == ROOT / "resources"
    assert document_paths.FONTS == ROOT / "resources" / "fonts"
    assert document_paths.LETTER_TEMPLATES == ROOT / "resources" / "templates" / "letters"
    assert mail_templates.DEFAULT_TEMPLATES_DIR == ROOT / "resources" / "templates" / "mail"
    assert resources.APP_ICON.is_file()


def test_a_bundle_uses_the_folder_it_unpacked(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.locate() == tmp_path / "resources"


PROBE = """
import json, desktop_app
from desktop_app import resources
from desktop_app.documents import fonts
from desktop_app.documents import letter_templates
from desktop_app.mail.email_templates import load_templates
fonts.ensure_fonts()
print(json.dumps({
    "package": desktop_app.__file__,
    "root": str(resources.ROOT),
    "mail_templates": len(load_templates()),
    "letter": letter_templates.default_template("reminder_1", "de")[:40],
    "icon": resources.APP_ICON.is_file(),
    "migrations": sorted(p.name for p in (resources.ROOT.parent / "storage" / "migrations"
                                          / "versions").glob("*.py")),
}))
"""


@pytest.mark.slow
def test_an_installed_wheel_carries_its_resources(tmp_path):
    """`pip install` of the built wheel (not editable) finds fonts, templates and icon."""
    source = tmp_path / "source"  # a copy, so the build leaves the checkout as it was
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md", "desktop_app", "resources"):
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy2
        copy(ROOT / name, source / name)  # type: ignore[operator]
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    # The pinned setuptools of the venv builds it, so no download is needed.
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w",
                    str(tmp_path / "wheel"), str(source)], check=True, timeout=300)
    (wheel,) = (tmp_path / "wheel").glob("paidup-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert "desktop_app/_resources/fonts/DejaVuSans.ttf" in names
    assert "desktop_app/_resources/templates/mail/de.toml" in names
    assert "desktop_app/_resources/locale/ru/LC_MESSAGES/documents.po" in names
    assert not any(name.startswith(("resources/", "tests/", "installers/")) for name in names)

    site = tmp_path / "site"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, timeout=300)
    probe = subprocess.run([sys.executable, "-c", PROBE], cwd=tmp_path, capture_output=True,
                           text=True, timeout=120,
                           env={**os.environ, "PYTHONPATH": str(site)})
    assert probe.returncode == 0, probe.stderr
    found = json.loads(probe.stdout)
    assert Path(found["package"]).is_relative_to(site)
    assert found["root"] == str(site / "desktop_app" / "_resources")
    assert found["mail_templates"] == len(mail_templates.load_templates())
    assert found["icon"] is True
    assert found["letter"].strip()
    assert found["migrations"] == sorted(
        p.name for p in (ROOT / "desktop_app" / "storage" / "migrations" / "versions")
        .glob("*.py"))

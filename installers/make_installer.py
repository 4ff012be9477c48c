"""Build PaidUp's installer for the system this runs on (``make package`` runs this).

    python installers/make_installer.py [--dist DIR] [--work DIR]

    Linux    dist/PaidUp-<version>-linux-<arch>.tar.gz   bundle, menu entry, icons, install.sh
    macOS    dist/PaidUp-<version>-macos-<arch>.dmg      PaidUp.app; signed and notarised when
                                                         PAIDUP_CODESIGN_IDENTITY and
                                                         PAIDUP_NOTARY_PROFILE are set
    Windows  dist/PaidUp-<version>-windows-<arch>-setup.exe   needs Inno Setup 6 (ISCC.exe)

Every system first draws the icons from resources/icons/paidup.svg, then runs
installers/paidup.spec (PyInstaller, one folder). The bundle's size and the build time are
printed at the end. installers/README.md says what each system needs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import app_info
import make_icons

INSTALLERS = app_info.INSTALLERS


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.0f} MB"


def run(*command: str | Path) -> None:
    print("+", " ".join(str(part) for part in command), flush=True)
    subprocess.run([str(part) for part in command], check=True)


def build_bundle(dist: Path, work: Path, icons: Path) -> Path:
    """PyInstaller's one-folder bundle (PaidUp.app on macOS); returns the folder."""
    env = {**os.environ, "PAIDUP_ICONS": str(icons)}
    command = [sys.executable, "-m", "PyInstaller", str(INSTALLERS / "paidup.spec"),
               "--noconfirm", "--log-level", "WARN",
               "--distpath", str(dist), "--workpath", str(work / "pyinstaller")]
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True, env=env)
    if sys.platform == "darwin":
        return dist / f"{app_info.NAME}.app"
    return dist / app_info.NAME


def linux_tarball(bundle: Path, icons: Path, dist: Path) -> Path:
    """The bundle with its menu entry, hicolor icons and install.sh, as one tarball."""
    name = f"{app_info.NAME}-{app_info.VERSION}-{app_info.platform_tag()}"
    stage = dist / name
    shutil.rmtree(stage, ignore_errors=True)
    (stage / "share" / "applications").mkdir(parents=True)
    shutil.copytree(bundle, stage / app_info.NAME, symlinks=True)
    shutil.copytree(icons / "hicolor", stage / "share" / "icons" / "hicolor")
    desktop = f"{app_info.BUNDLE_ID}.desktop"
    shutil.copy2(INSTALLERS / "linux" / desktop, stage / "share" / "applications" / desktop)
    shutil.copy2(INSTALLERS / "linux" / "install.sh", stage / "install.sh")
    run("desktop-file-validate", stage / "share" / "applications" / desktop)
    archive = dist / f"{name}.tar.gz"
    with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
        tar.add(stage, arcname=name)
    shutil.rmtree(stage)
    return archive


def macos_dmg(app: Path, dist: Path) -> Path:
    dmg = dist / f"{app_info.NAME}-{app_info.VERSION}-{app_info.platform_tag()}.dmg"
    run(INSTALLERS / "macos" / "make_dmg.sh", app, dmg)
    return dmg


def find_iscc() -> Path:
    candidates = [os.environ.get("ISCC", ""), shutil.which("ISCC") or "",
                  *(str(Path(os.environ.get(var, "")) / "Inno Setup 6" / "ISCC.exe")
                    for var in ("ProgramFiles(x86)", "ProgramFiles", "LOCALAPPDATA"))]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise SystemExit("build: Inno Setup 6 not found; install it (winget install "
                     "JRSoftware.InnoSetup) or set ISCC to the path of ISCC.exe")


def iscc_defines(bundle: Path, icons: Path) -> dict[str, str]:
    """The values installers/windows/paidup.iss expects from its command line."""
    return {
        "AppVersion": app_info.VERSION,
        "AppVersionNumbers": ".".join(str(n) for n in app_info.version_tuple()),
        "BundleDir": str(bundle),
        "IconFile": str(icons / "paidup.ico"),
    }


def windows_setup(bundle: Path, icons: Path, dist: Path) -> Path:
    name = f"{app_info.NAME}-{app_info.VERSION}-{app_info.platform_tag()}-setup"
    defines = [f"/D{key}={value}" for key, value in iscc_defines(bundle, icons).items()]
    run(find_iscc(), *defines, f"/O{dist}", f"/F{name}", INSTALLERS / "windows" / "paidup.iss")
    return dist / f"{name}.exe"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build PaidUp's installer for this system.")
    parser.add_argument("--dist", type=Path, default=app_info.DIST, help="output folder")
    parser.add_argument("--work", type=Path, default=app_info.BUILD, help="scratch folder")
    args = parser.parse_args(argv)
    dist, work = args.dist.resolve(), args.work.resolve()
    started = time.monotonic()

    icons = work / "icons"
    make_icons.main([str(icons)])
    bundle = build_bundle(dist, work, icons)
    bundle_seconds = time.monotonic() - started
    if sys.platform == "win32":
        package = windows_setup(bundle, icons, dist)
    elif sys.platform == "darwin":
        package = macos_dmg(bundle, dist)
    else:
        package = linux_tarball(bundle, icons, dist)

    print(f"build: bundle {bundle} is {megabytes(folder_size(bundle))}, "
          f"built in {bundle_seconds:.0f} s")
    print(f"build: {package.name} is {megabytes(package.stat().st_size)}, "
          f"all done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Where PaidUp keeps its files: the OS's per-user folders, overridable for tests.

One module decides this (Picard's appdirs); nothing else reads the home folder.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import platformdirs

from desktop_app import files

APP_NAME = "PaidUp"


def _folder(env: str, default: str) -> Path:
    """PaidUp's own folder, made (or kept) owner-only: it holds the books, their backups,
    logs and settings."""
    path = Path(os.environ.get(env) or default)
    files.private_folder(path)
    with contextlib.suppress(OSError):
        path.chmod(files.FOLDER_MODE)
    return path


def data_dir() -> Path:
    return _folder("PAIDUP_DATA_DIR", platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    return _folder("PAIDUP_CONFIG_DIR", platformdirs.user_config_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    return _folder("PAIDUP_LOG_DIR", platformdirs.user_log_dir(APP_NAME, appauthor=False))


def default_database() -> Path:
    return data_dir() / "paidup.sqlite3"


def backup_dir() -> Path:
    return _folder("PAIDUP_BACKUP_DIR", str(data_dir() / "backups"))

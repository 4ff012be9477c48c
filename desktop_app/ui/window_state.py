"""The window's own settings (size, position, last page, which books to open), kept in an
INI file in the user's config folder (never a secret: passwords live in the keyring)."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from desktop_app import paths

FILE_NAME = "window.ini"
DB_TARGET_KEY = "books/target"  # the books chosen in Settings › The books


def window_settings() -> QSettings:
    return QSettings(str(paths.config_dir() / FILE_NAME), QSettings.Format.IniFormat)

"""PyInstaller's own hook for PySide6.QtNetwork, less the plugins PaidUp never loads (qt_trim)."""

from PyInstaller.utils.hooks.qt import add_qt6_dependencies
from qt_trim import trimmed

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = trimmed(binaries)

"""The window: PySide6 pages and dialogs over the services; no business rules here."""

from desktop_app.ui import pyside_fixes

pyside_fixes.apply()

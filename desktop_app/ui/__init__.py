"""The window: PySide6 pages and dialogs over the services; no business rules here."""

"""PaidUp: offline invoicing and payment follow-up for small businesses."""

__version__ = "0.1.0"

APP_ID = "app.paidup.PaidUp"
"""Reverse-DNS name of the desktop app: the .desktop file, the macOS bundle id, the Wayland
app id. Never change it after a release: systems key menus, settings and keychains on it."""

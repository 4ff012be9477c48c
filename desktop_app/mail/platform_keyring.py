"""The operating system's own keyring, chosen outright for the installed (frozen) app.

keyring normally finds its backends through package entry points; a PyInstaller bundle may
lose that metadata, and keyring then falls back to its fail backend without a word. The
bundle's start-up hook therefore names the backend itself: Windows Credential Manager, the
macOS Keychain, or the freedesktop Secret Service (GNOME Keyring, KWallet 5.97+, KeePassXC)
with KWallet's own D-Bus interface for older KDE desktops.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import keyring
from keyring.backend import KeyringBackend


def _windows() -> list[type[KeyringBackend]]:
    from keyring.backends import Windows

    return [Windows.WinVaultKeyring]


def _macos() -> list[type[KeyringBackend]]:
    from keyring.backends import macOS

    return [macOS.Keyring]


def _freedesktop() -> list[type[KeyringBackend]]:
    from keyring.backends import SecretService, kwallet

    return [SecretService.Keyring, kwallet.DBusKeyring]


_CANDIDATES: dict[str, Callable[[], list[type[KeyringBackend]]]] = {
    "win32": _windows,
    "darwin": _macos,
}


def platform_backend(platform: str = sys.platform) -> KeyringBackend:
    """The first of the platform's backends that works here, else its first one.

    The first one is returned even when it does not work right now (no D-Bus session, a
    locked keychain): using it then fails with keyring's own error, which the credentials
    module turns into a plain message, instead of falling back to a file.
    """
    candidates = _CANDIDATES.get(platform, _freedesktop)()
    for backend in candidates:
        if backend.viable:
            return backend()
    return candidates[0]()


def use_platform_keyring() -> KeyringBackend:
    backend = platform_backend()
    keyring.set_keyring(backend)
    return backend

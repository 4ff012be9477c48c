"""Facts about this installation for a support request: which PaidUp, from where, with what."""

from __future__ import annotations

import platform
import sys

from desktop_app import __version__, paths, resources
from desktop_app.domain.errors import RuleViolation
from desktop_app.mail.credentials import usable_keyring


def keyring_backend() -> tuple[str, bool]:
    """The keyring the mail password would go to (or why there is none), and whether it
    answers here and now (a Secret Service needs a running D-Bus session, for one)."""
    try:
        backend = usable_keyring()
    except RuleViolation as refusal:
        return f"none: {refusal}", False
    kind = type(backend)
    return f"{kind.__module__}.{kind.__qualname__}", bool(kind.viable)


def installation() -> dict[str, str]:
    keyring, reachable = keyring_backend()
    return {
        "version": __version__,
        "python": platform.python_version(),
        "system": platform.platform(),
        "frozen": "yes" if getattr(sys, "frozen", False) else "no",
        "executable": sys.executable,
        "resources": str(resources.ROOT),
        "data_folder": str(paths.data_dir()),
        "keyring": keyring,
        "keyring_reachable": "yes" if reachable else "no",
    }

"""Facts about this installation for a support request: which PaidUp, from where, with what."""

from __future__ import annotations

import platform
import re
import sys
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

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


LOG_TAIL_BYTES = 256_000
# A password in a URL (a PostgreSQL address typed by hand, say) is cut out of what is saved.
_URL_SECRET = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^:/@\s]+:)[^@\s]+@", re.IGNORECASE)


def log_tail(path: Path, limit: int = LOG_TAIL_BYTES) -> str:
    """The last ``limit`` bytes of the log, from the first whole line in them."""
    try:
        with path.open("rb") as log:
            size = log.seek(0, 2)
            log.seek(max(0, size - limit))
            data = log.read()
    except FileNotFoundError:
        return ""
    if size > limit:
        data = data.partition(b"\n")[2]
    return data.decode("utf-8", errors="replace")


def diagnostics_report(facts: Mapping[str, str], log_path: Path, made_at: datetime) -> str:
    """One text file a user can pass on to whoever supports them: the installation's facts
    and the end of the log. It holds no secret: PaidUp never logs a password and never reads
    one for this, and a password written into an address is cut out."""
    lines = [f"PaidUp diagnostics, {made_at.isoformat(timespec='seconds')}", ""]
    lines += [f"{key}: {value}" for key, value in facts.items()]
    lines += ["", f"The end of the log ({log_path.name}):", ""]
    text = "\n".join(lines) + "\n" + log_tail(log_path)
    return _URL_SECRET.sub(r"\1***@", text)

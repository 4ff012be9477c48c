"""Helpers for the mail tests; the shared fixtures (keyring, test CA) are in
tests/support/mail_fixtures.py."""

from __future__ import annotations

from pathlib import Path

from desktop_app.mail.account import Account

from .servers import PASSWORD, USER


def make_account(port: int, security: str = "starttls", ca_file: Path | None = None,
                 **extra: object) -> Account:
    settings: dict[str, object] = {
        "host": "127.0.0.1", "port": port, "security": security, "user": USER,
        "from_address": USER, "from_name": "Anna Schmidt", "timeout_seconds": 5,
        "ca_file": str(ca_file) if ca_file else "",
    }
    settings.update(extra)
    return Account.from_dict(settings)


def right_password() -> str:
    return PASSWORD

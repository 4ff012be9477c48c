"""The mail providers whose server settings PaidUp knows, as the faces offer them.

Light to import (no keyring, SMTP or sign-in code), so the command line lists them without
loading the mail machinery."""

from __future__ import annotations

from collections.abc import Mapping

from desktop_app.mail.account import PRESETS, AuthMethod, Preset

PRESET_NAMES = tuple(PRESETS)


def account_presets() -> Mapping[str, Preset]:
    return PRESETS


def signs_in(preset: str) -> bool:
    """Whether the provider signs in through its own page (OAuth2) instead of a password."""
    return PRESETS[preset].auth is AuthMethod.OAUTH2


def preset_of(host: str, auth: str) -> str:
    """The provider whose server this is (the generic one when none matches)."""
    for key, preset in PRESETS.items():
        if preset.host and preset.host == host and preset.auth.value == auth:
            return key
    return "generic"

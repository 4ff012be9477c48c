"""The providers where PaidUp's users keep their mail: each preset complete and plausible,
and a personal Outlook.com account signing in through Microsoft's consumers authority."""

from __future__ import annotations

import pytest

from desktop_app.domain.addresses import check_host
from desktop_app.domain.errors import ValidationError
from desktop_app.mail import oauth
from desktop_app.mail.account import PRESETS, AuthMethod, Security, account_from_preset
from desktop_app.services import mail

# Where the owners PaidUp is for (Germany, Russia, China, Taiwan, the US) send from.
WHERE_USERS_ARE = {"gmx": "mail.gmx.net", "web_de": "smtp.web.de", "ionos": "smtp.ionos.de",
                   "t_online": "securesmtp.t-online.de", "yandex": "smtp.yandex.ru",
                   "mail_ru": "smtp.mail.ru", "qq": "smtp.qq.com", "netease_163": "smtp.163.com",
                   "netease_126": "smtp.126.com", "aliyun": "smtp.aliyun.com",
                   "outlook_com": "smtp-mail.outlook.com"}
USUAL_PORT = {Security.SSL: 465, Security.STARTTLS: 587}


@pytest.mark.parametrize("name", [n for n in PRESETS if n != "generic"])
def test_each_preset_is_complete(name: str) -> None:
    preset = PRESETS[name]
    assert preset.label.strip() and preset.note.strip().endswith(".")
    assert check_host("host", preset.host) == preset.host
    assert preset.port == USUAL_PORT[preset.security]  # never plain, never a guessed port
    assert bool(preset.tenant) is (preset.auth is AuthMethod.OAUTH2)
    account = account_from_preset(name, from_address="billing@example.com")
    assert (account.host, account.port, account.security) == (
        preset.host, preset.port, preset.security)


def test_the_users_providers_are_there() -> None:
    assert {name: PRESETS[name].host for name in WHERE_USERS_ARE} == WHERE_USERS_ARE
    assert len({p.label for p in PRESETS.values()}) == len(PRESETS)
    for name in ("gmx", "web_de"):  # sending from a mail program is off until allowed
        assert "POP3 and IMAP" in PRESETS[name].note
    for name in ("qq", "netease_163", "netease_126"):
        assert "authorisation code" in PRESETS[name].note


def test_personal_outlook_signs_in_as_a_consumer_and_work_accounts_as_organisations(
        ready, memory_keyring) -> None:
    books = ready
    for preset, tenant in (("outlook_com", "consumers"), ("microsoft365", "organizations")):
        mail.set_account(books, preset=preset, from_address="anna@outlook.example",
                         microsoft_client_id="0f1e2d3c-public-client")
        with books.db.read() as session:
            account, app = mail._microsoft(session)
        assert app.authority == f"https://login.microsoftonline.com/{tenant}"
        assert account.auth is AuthMethod.OAUTH2 and account.host == PRESETS[preset].host
    assert memory_keyring.entries == {}  # no password asked of, or kept for, a sign-in


def test_a_release_with_its_own_microsoft_app_asks_no_app_id(ready, memory_keyring, tmp_path,
                                                             monkeypatch) -> None:
    shipped = tmp_path / "microsoft-app-id.txt"
    monkeypatch.setattr(oauth, "SHIPPED_APP_FILE", shipped)
    with pytest.raises(ValidationError, match="client_id"):  # none shipped, none typed
        mail.set_account(ready, preset="outlook_com", from_address="anna@outlook.example")
    shipped.write_text("\ufeff6a1b2c3d-shipped-public-client\n", encoding="utf-8")
    assert mail.ships_microsoft_app()
    for typed, used in (("", "6a1b2c3d-shipped-public-client"),
                        ("0f1e2d3c-their-own-client", "0f1e2d3c-their-own-client"),
                        ("", "0f1e2d3c-their-own-client")):  # kept, not replaced by PaidUp's
        mail.set_account(ready, preset="outlook_com", from_address="anna@outlook.example",
                         microsoft_client_id=typed)
        with ready.db.read() as session:
            _account, app = mail._microsoft(session)
        assert (app.client_id, app.tenant) == (used, "consumers")

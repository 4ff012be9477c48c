"""Settings › Mail offers every provider preset: choosing one fills the server, port and
encryption, says what to do first, and asks for a password or a Microsoft sign-in."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop_app.mail import oauth
from desktop_app.mail.account import PRESETS, AuthMethod
from desktop_app.services import mail
from tests.ui.test_settings_ui import settings_page


def _choose(section, key: str) -> None:
    section.preset.setCurrentIndex(section.preset.findData(key))
    section.preset.activated.emit(section.preset.currentIndex())


def test_every_preset_fills_the_mail_settings(qtbot, window):
    section = settings_page(qtbot, window, "Mail").mail
    offered = [section.preset.itemData(i) for i in range(section.preset.count())]
    assert offered == list(PRESETS)
    for key, preset in PRESETS.items():
        if key == "generic":
            continue
        _choose(section, key)
        assert (section.host.text(), section.port.value(), section.security.currentData()) \
            == (preset.host, preset.port, preset.security.value), key
        assert section.hint.text() == preset.note
        oauth = preset.auth is AuthMethod.OAUTH2
        assert section.sign_in_button.isVisibleTo(section) is oauth, key
        assert section.password.isVisibleTo(section) is not oauth, key


def test_a_saved_outlook_com_account_shows_as_outlook_com(qtbot, window, ready_books,
                                                          memory_keyring):
    section = settings_page(qtbot, window, "Mail").mail
    _choose(section, "outlook_com")
    qtbot.keyClicks(section.from_address, "lindenhof@outlook.example")
    qtbot.keyClicks(section.client_id, "0f1e2d3c-public-client")
    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.note.text().startswith("Saved."), timeout=10_000)
    assert mail.get_account(ready_books).host == "smtp-mail.outlook.com"
    _choose(section, "gmx")
    section.refresh()
    qtbot.waitUntil(lambda: section.preset.currentData() == "outlook_com", timeout=5_000)
    assert section.sign_in_button.isVisibleTo(section)


def test_with_paidups_own_microsoft_app_the_app_id_may_stay_empty(
        qtbot, window, ready_books, memory_keyring, tmp_path, monkeypatch):
    shipped = tmp_path / "microsoft-app-id.txt"
    shipped.write_text("6a1b2c3d-shipped-public-client", encoding="utf-8")
    monkeypatch.setattr(oauth, "SHIPPED_APP_FILE", shipped)
    section = settings_page(qtbot, window, "Mail").mail
    _choose(section, "outlook_com")
    assert section.client_id.placeholderText() == "Optional: leave empty to sign in as PaidUp"
    qtbot.keyClicks(section.from_address, "lindenhof@outlook.example")
    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.note.text().startswith("Saved."), timeout=10_000)
    with ready_books.db.read() as session:
        assert mail._microsoft(session)[1].client_id == "6a1b2c3d-shipped-public-client"

"""Settings for mail and the follow-up, through the window: the password goes to the keyring
and nowhere else; the login test shows the server's words; a template with an unknown
placeholder is refused beside the editor; a policy refusal points at its stage's field; the
payment order is kept."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt

from desktop_app.services import mail, payments, user_templates
from desktop_app.services.followup import policies
from desktop_app.ui.window_state import FILE_NAME
from tests.mail.servers import PASSWORD, USER, Server
from tests.ui.conftest import settle
from tests.ui.test_customers_ui import button
from tests.ui.test_settings_ui import settings_page


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def test_mail_settings_put_the_password_in_the_keyring_only(qtbot, window, ready_books,
                                                            books_file, memory_keyring,
                                                            tmp_path):
    page = settings_page(qtbot, window, "Mail")
    section = page.mail
    section.preset.setCurrentIndex(section.preset.findData("fastmail"))
    section.preset.activated.emit(section.preset.currentIndex())
    assert (section.host.text(), section.port.value()) == ("smtp.fastmail.com", 465)
    assert section.security.currentData() == "ssl"
    secret = "app-password 4k9#x"
    qtbot.keyClicks(section.from_address, "billing@lindenhof.example")
    qtbot.keyClicks(section.from_name, "Lindenhof Billing")
    qtbot.keyClicks(section.password, secret)
    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.note.text().startswith("Saved."), timeout=10_000)

    assert list(memory_keyring.entries.values()) == [secret]
    assert section.password.text() == ""  # never shown back
    assert "keyring" in section.password.placeholderText()
    saved = mail.get_account(ready_books)
    assert (saved.host, saved.user, saved.from_name) == (
        "smtp.fastmail.com", "billing@lindenhof.example", "Lindenhof Billing")
    window.save_state()
    ready_books.db.engine.dispose()  # everything on disk
    written = files_under(books_file.parent) + files_under(Path(os.environ["PAIDUP_CONFIG_DIR"]))
    assert any(p.name == FILE_NAME for p in written) and any(p == books_file for p in written)
    for path in written:
        assert secret.encode() not in path.read_bytes(), path


def test_mail_settings_refusal_beside_the_field(qtbot, window, memory_keyring):
    section = settings_page(qtbot, window, "Mail").mail
    qtbot.keyClicks(section.host, "smtp.example.com")
    qtbot.keyClicks(section.from_address, "not an address")
    qtbot.keyClicks(section.password, "secret")
    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    error = section.from_address.parentWidget().findChild(type(section.banner))
    qtbot.waitUntil(error.isVisible, timeout=10_000)
    assert "not an address" in error.text()
    assert memory_keyring.entries == {}


def test_the_test_button_shows_the_servers_words(qtbot, window, ready_books, memory_keyring,
                                                 server_tls, ca_file):
    with Server(server_tls) as server:
        mail.set_account(ready_books, password="wrong password", host="127.0.0.1",
                         port=server.port, security="starttls", user=USER,
                         from_address=USER, ca_file=str(ca_file))
        section = settings_page(qtbot, window, "Mail").mail
        qtbot.waitUntil(lambda: section.host.text() == "127.0.0.1", timeout=10_000)
        qtbot.mouseClick(section.test_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(section.banner.isVisible, timeout=30_000)
        assert "535" in section.banner.text() or "uthentication" in section.banner.text()

        qtbot.keyClicks(section.password, PASSWORD)
        qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: section.note.text().startswith("Saved."), timeout=10_000)
        qtbot.mouseClick(section.test_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "accepted the login" in section.note.text(), timeout=30_000)
    assert not section.banner.isVisible()


def test_a_template_with_an_unknown_placeholder_is_refused_beside_the_editor(
        qtbot, window, ready_books):
    section = settings_page(qtbot, window, "Letters and emails").templates
    qtbot.waitUntil(lambda: section.loaded is not None, timeout=10_000)
    section.kind.setCurrentIndex(section.kind.findData("letter"))
    section.stage.setCurrentIndex(section.stage.findData("reminder_1"))
    section.stage.activated.emit(section.stage.currentIndex())
    settle(window)
    assert section.loaded.stage == "reminder_1"
    qtbot.waitUntil(lambda: "Lindenhof GmbH" in section.pdf.text(), timeout=20_000)

    shipped = section.editor.toPlainText()
    typo = shipped.replace("{invoice_numbers}", "{customer_nmae}", 1)
    section.editor.setPlainText(typo)
    qtbot.waitUntil(section.editor_error.isVisible, timeout=10_000)  # the live check
    assert section.editor_error.text() == "Unknown placeholder {customer_nmae}."
    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    settle(window)
    assert section.editor_error.text() == "Unknown placeholder {customer_nmae}."
    assert section.editor.toPlainText() == typo  # what was typed stays
    assert not user_templates.get_template(ready_books, "letter", "reminder_1", "en").customised

    mended = typo.replace("{customer_nmae}", "{invoice_numbers}").replace(
        "Perhaps", "Maybe", 1)
    section.editor.setPlainText(mended)
    qtbot.waitUntil(lambda: not section.editor_error.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: "Maybe" in section.pdf.text(), timeout=20_000)
    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.note.text().startswith("Saved"), timeout=10_000)
    kept = user_templates.get_template(ready_books, "letter", "reminder_1", "en")
    assert kept.customised and kept.text.strip() == mended.strip()
    qtbot.mouseClick(section.reset_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.editor.toPlainText().strip() == shipped.strip(),
                    timeout=10_000)


def test_a_policy_refusal_points_at_the_stage_and_its_field(qtbot, window, ready_books):
    section = settings_page(qtbot, window, "Follow-up policy").policy
    qtbot.waitUntil(lambda: len(section.stages) == 9, timeout=10_000)  # with "receipt"
    row = next(i for i, s in enumerate(section.stages) if s["name"] == "reminder_2")
    section.table.selectRow(row)
    for box in section.channels.boxes.values():
        box.setChecked(False)
    section.table.selectRow(0)  # the edit is kept while another stage is shown
    qtbot.mouseClick(button(section, "Save policy"), Qt.MouseButton.LeftButton)
    error = section.channels.parentWidget().findChild(type(section.banner))
    qtbot.waitUntil(error.isVisible, timeout=10_000)
    assert error.text() == "Name at least one channel."
    assert section.stage_name.text() == "reminder_2"  # the stage it concerns is shown
    kept = next(s for s in policies.list_policies(ready_books)[0].body["stages"]
                if s["name"] == "reminder_2")
    assert list(kept["channels"]) == ["email", "letter"]

    section.channels.boxes["letter"].setChecked(True)
    section.cost.setText("12.50")
    qtbot.mouseClick(button(section, "Save policy"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.note.text().startswith("Saved"), timeout=10_000)
    stage = next(s for s in policies.list_policies(ready_books)[0].body["stages"]
                 if s["name"] == "reminder_2")
    assert list(stage["channels"]) == ["letter"] and stage["cost_minor"] == 1250


def test_the_payment_order_is_kept(qtbot, window, ready_books):
    section = settings_page(qtbot, window, "Payments").payments
    qtbot.waitUntil(lambda: section.choices["charges_first"].isChecked(), timeout=10_000)
    section.choices["principal_first"].setChecked(True)
    qtbot.mouseClick(button(section, "Save"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.note.text().startswith("Saved"), timeout=10_000)
    assert payments.get_payment_order(ready_books) == "principal_first"


def test_a_stage_moved_in_time_takes_its_place_and_the_note_says_so(qtbot, window, ready_books):
    section = settings_page(qtbot, window, "Follow-up policy").policy
    qtbot.waitUntil(lambda: len(section.stages) == 9, timeout=10_000)  # with "receipt"
    row = next(i for i, s in enumerate(section.stages) if s["name"] == "call")
    section.table.selectRow(row)
    section.offset.setValue(20)  # after reminder_2 (14 days), before the final notice (30)
    section.cost.setText("31.00")
    qtbot.mouseClick(button(section, "Save policy"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.note.text().startswith("Saved"), timeout=10_000)
    assert "now in order of their days" in section.note.text()
    saved = policies.list_policies(ready_books)[0].body["stages"]
    names = [s["name"] for s in saved]
    assert names.index("reminder_2") < names.index("call") < names.index("final_notice")
    assert next(s for s in saved if s["name"] == "call")["cost_minor"] == 3100
    qtbot.waitUntil(lambda: [s["name"] for s in section.stages] == names, timeout=10_000)

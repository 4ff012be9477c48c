"""The lock beside SQLite books, with a real file and a second computer played by another Here."""

from __future__ import annotations

import json
import os
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop_app.services import books_lock
from desktop_app.services.books_lock import BooksInUse, Here, books_identity, lock_books
from desktop_app.storage import lock_file

OFFICE = Here(host="office-pc", user="anna", pid=4242)
LAPTOP = Here(host="laptop", user="ben", pid=777)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "shared folder" / "paidup.sqlite3"


def on_disk(db: Path) -> dict:
    return json.loads(lock_file.lock_path(db).read_text("utf-8"))


def test_first_opening_writes_who_where_and_since_and_removes_it_on_release(db, clock):
    lock = lock_books(db, here=OFFICE, clock=clock)
    written = on_disk(db)
    assert (written["host"], written["user"], written["pid"]) == ("office-pc", "anna", 4242)
    assert datetime.fromisoformat(written["since"]) == clock.now
    assert lock_file.lock_path(db).name == "paidup.sqlite3.lock"
    lock.release()
    assert not lock_file.lock_path(db).exists()


def test_another_computer_is_told_who_has_the_books_and_changes_nothing(db, clock):
    lock_books(db, here=OFFICE, clock=clock)
    before = lock_file.lock_path(db).read_bytes()
    clock.advance(timedelta(minutes=2))
    with pytest.raises(BooksInUse) as refused:
        lock_books(db, here=LAPTOP, clock=clock)
    assert refused.value.holder.host == "office-pc"
    assert refused.value.holder.user == "anna"
    message = str(refused.value)
    assert "'office-pc'" in message and "anna" in message and str(db) in message
    assert clock.now.astimezone().strftime("%Y-%m-%d") in message
    assert lock_file.lock_path(db).read_bytes() == before


def test_same_computer_shares_the_books_and_keeps_them_locked_after_the_first_leaves(db, clock):
    window = lock_books(db, here=OFFICE, clock=clock)
    command_line = lock_books(db, here=Here("office-pc", "anna", 5000), clock=clock)
    assert on_disk(db)["pid"] == 4242  # the first opening still holds the lock
    window.release()
    assert not lock_file.lock_path(db).exists()
    assert command_line.refresh() is None
    assert on_disk(db)["pid"] == 5000  # taken up again by the one still working
    with pytest.raises(BooksInUse):
        lock_books(db, here=LAPTOP, clock=clock)


def test_a_stale_lock_is_taken_over_without_asking(db, clock):
    lock_books(db, here=OFFICE, clock=clock)  # the office computer crashed with it open
    clock.advance(books_lock.STALE_AFTER + timedelta(seconds=1))
    lock_books(db, here=LAPTOP, clock=clock)
    assert on_disk(db)["host"] == "laptop"


def test_a_heartbeat_keeps_the_lock_fresh_past_the_stale_age(db, clock):
    office = lock_books(db, here=OFFICE, clock=clock)
    opened = clock.now
    while clock.now - opened <= books_lock.STALE_AFTER:
        clock.advance(books_lock.HEARTBEAT)
        assert office.refresh() is None
    with pytest.raises(BooksInUse):
        lock_books(db, here=LAPTOP, clock=clock)
    assert datetime.fromisoformat(on_disk(db)["heartbeat"]) == clock.now
    assert datetime.fromisoformat(on_disk(db)["since"]) == opened


def test_taking_over_on_request_and_the_first_computer_learns_of_it(db, clock):
    office = lock_books(db, here=OFFICE, clock=clock)
    laptop = lock_books(db, here=LAPTOP, take_over=True, clock=clock)
    assert on_disk(db)["host"] == "laptop"
    taken = office.refresh()
    assert taken is not None and (taken.host, taken.user) == ("laptop", "ben")
    office.release()  # leaving does not remove the laptop's lock
    assert on_disk(db)["host"] == "laptop"
    laptop.release()
    assert not lock_file.lock_path(db).exists()


def test_an_unreadable_lock_is_replaced(db, clock):
    db.parent.mkdir(parents=True)
    lock_file.lock_path(db).write_bytes(b"\x00\x00 half a write")
    lock_books(db, here=LAPTOP, clock=clock)
    assert on_disk(db)["host"] == "laptop"


def test_a_lock_stamped_in_the_future_counts_as_fresh(db, clock):
    lock_books(db, here=OFFICE, clock=clock)
    clock.advance(-timedelta(hours=1))  # the laptop's clock is an hour behind
    with pytest.raises(BooksInUse):
        lock_books(db, here=LAPTOP, clock=clock)


def test_postgresql_books_need_no_lock_file(tmp_path, clock):
    lock = lock_books("postgresql://paidup@db.office.example/books", here=OFFICE, clock=clock)
    assert lock.path is None
    assert lock.refresh() is None
    lock.release()
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_cannot_hold_a_lock_does_not_stop_the_user(tmp_path, clock):
    (tmp_path / "a file").write_text("not a folder")
    lock = lock_books(tmp_path / "a file" / "books.sqlite3", here=OFFICE, clock=clock)
    assert lock.path is None
    assert lock.refresh() is None
    lock.release()


def test_the_heartbeat_thread_reports_a_take_over(db, clock, monkeypatch):
    monkeypatch.setattr(books_lock, "HEARTBEAT", timedelta(milliseconds=20))
    office = lock_books(db, here=OFFICE, clock=clock)
    reported = []
    seen = threading.Event()
    office.keep_alive(lambda holder: (reported.append(holder), seen.set()))
    try:
        lock_books(db, here=LAPTOP, take_over=True, clock=clock)
        assert seen.wait(30)
    finally:
        office.release()
    assert [(h.host, h.user) for h in reported] == [("laptop", "ben")]


def test_one_identity_however_the_path_is_spelled(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    spelled = {books_identity(p) for p in (
        "books.sqlite3", tmp_path / "books.sqlite3", tmp_path / "sub" / ".." / "books.sqlite3")}
    assert len(spelled) == 1
    assert books_identity("other.sqlite3") not in spelled
    assert "secret" not in books_identity("postgresql://paidup:secret@db.example/books")


def test_the_default_books_are_locked_in_the_data_folder(clock):
    lock = lock_books(None, here=OFFICE, clock=clock)
    try:
        assert lock.path == Path(os.environ["PAIDUP_DATA_DIR"]) / "paidup.sqlite3.lock"
        assert lock.path.exists()
    finally:
        lock.release()

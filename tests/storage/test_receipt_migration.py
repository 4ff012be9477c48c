"""0017: books already in use keep the follow-up ladder they had (no receipt question until
the user adds it); new books get the ladder with it."""

import shutil
from pathlib import Path

from desktop_app.domain.followup import DEFAULT_POLICY
from desktop_app.services.books import open_books
from desktop_app.services.followup.policies import list_policies
from tests.support.books import make_ready

FIXTURES = Path(__file__).with_name("fixtures")


def test_books_in_use_keep_their_ladder_and_new_books_ask(tmp_path):
    old = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / "books-0002.sqlite3", old)
    books = open_books(old)  # migrated to the head
    try:
        (kept,) = [p for p in list_policies(books) if p.is_default]
        names = [s["name"] for s in kept.body["stages"]]
        assert "receipt" not in names
        assert names == [s.name for s in DEFAULT_POLICY.stages if s.name != "receipt"]
    finally:
        books.close()

    new = make_ready(open_books(tmp_path / "new.sqlite3"))
    try:
        (default,) = [p for p in list_policies(new) if p.is_default]
        assert [s["name"] for s in default.body["stages"]][:2] == ["invoice", "receipt"]
    finally:
        new.close()

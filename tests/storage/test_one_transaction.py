"""Work of many services as one transaction: all of it is kept, or none of it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from desktop_app.services.books import Books, the_company
from desktop_app.storage.models import Customer


def _names(books: Books) -> list[str]:
    with books.db.read() as session:
        return sorted(session.scalars(select(Customer.name)))


def _company_id(books: Books) -> int:
    with books.db.read() as session:
        return the_company(session).id


def _add(books: Books, company_id: int, name: str) -> None:
    with books.db.write() as session:
        session.add(Customer(company_id=company_id, name=name, created_at=books.clock()))


def test_writes_inside_are_kept_together_or_not_at_all(ready: Books):
    company_id = _company_id(ready)
    with ready.db.one_transaction():
        _add(ready, company_id, "Kept A")
        _add(ready, company_id, "Kept B")
        assert "Kept A" in _names(ready)  # a read inside sees the writes before it
    with pytest.raises(RuntimeError), ready.db.one_transaction():
        _add(ready, company_id, "Lost A")
        with ready.db.read_rows() as conn:
            assert conn.scalar(select(func.count()).where(Customer.name == "Lost A")) == 1
        raise RuntimeError("stopped halfway")
    assert [n for n in _names(ready) if n.startswith(("Kept", "Lost"))] == ["Kept A", "Kept B"]


def test_a_failed_write_inside_undoes_itself_only(ready: Books):
    company_id = _company_id(ready)
    with ready.db.one_transaction():
        _add(ready, company_id, "Before")
        with pytest.raises(RuntimeError), ready.db.write() as session:
            session.add(Customer(company_id=company_id, name="Refused",
                                 created_at=ready.clock()))
            session.flush()
            raise RuntimeError("refused")
        _add(ready, company_id, "After")
    assert [n for n in _names(ready) if n in ("Before", "Refused", "After")] == \
        ["After", "Before"]


def test_a_savepoint_rolled_back_to_is_released(books: Books):
    """Else every read inside a long transaction nests what follows one level deeper (a
    demo piled up 281 open savepoints, each a subtransaction on PostgreSQL)."""
    with books.db.engine.connect() as conn:
        conn.begin()
        conn.begin_nested().rollback()  # SQLAlchemy names it sa_savepoint_1
        with pytest.raises(DBAPIError, match=r"(?i)savepoint"):
            conn.exec_driver_sql("RELEASE SAVEPOINT sa_savepoint_1")

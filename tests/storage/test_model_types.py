"""The ORM classes state each column's Python type for the type checker; the tables in
``storage.tables`` stay the one declaration of the columns. This holds the two together: a
column added, dropped, made nullable or given another type without its annotation fails
here, not as a wrong type in a service."""

from __future__ import annotations

import typing
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy.orm import Mapped

from desktop_app.storage import models
from desktop_app.storage.types import DecimalText

MAPPED = sorted((cls for cls in vars(models).values()
                 if isinstance(cls, type) and issubclass(cls, models.Base)
                 and cls is not models.Base), key=lambda cls: cls.__name__)


def _python_type(column: typing.Any) -> type:
    return Decimal if isinstance(column.type, DecimalText) else column.type.python_type


@pytest.mark.parametrize("cls", MAPPED, ids=lambda cls: cls.__name__)
def test_every_column_is_annotated_with_its_type(cls: type) -> None:
    hints = typing.get_type_hints(cls, vars(models) | {"date": date, "datetime": datetime,
                                                       "Decimal": Decimal})
    columns = {c.key: c for c in cls.__table__.columns}  # type: ignore[attr-defined]
    annotated = {name for name, hint in hints.items()
                 if typing.get_origin(hint) is Mapped
                 and name not in cls.__mapper__.relationships}  # type: ignore[attr-defined]
    assert annotated == set(columns)
    for name, column in columns.items():
        (hint,) = typing.get_args(hints[name])
        expected = _python_type(column)
        if column.nullable:
            assert hint == expected | None, name
        else:
            assert hint is expected, name

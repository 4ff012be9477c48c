"""Where the books are kept: a file on this computer or a shared PostgreSQL server, checked
before the choice is remembered."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from desktop_app.domain.errors import ValidationError
from desktop_app.messages import N_

SERVER_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
SERVER_EXAMPLE = "postgresql://user@server/books"


def check_books_location(kind: str, value: str) -> str:
    """The file path (``kind`` "file") or server URL ("url") to remember, refused plainly
    when it cannot work. No password is kept: the settings are a plain file, and the
    PostgreSQL password file (pgpass) is where a password belongs."""
    value = value.strip()
    if kind == "file":
        if not value:
            raise ValidationError("file", N_("choose where the books file is"))
        return str(Path(value).expanduser())
    try:
        url = make_url(value)
    except ArgumentError:
        url = None
    if url is None or url.drivername not in SERVER_SCHEMES or not url.database:
        raise ValidationError("url", N_("a server address looks like {example}"),
                              example=SERVER_EXAMPLE)
    if url.password is not None:
        raise ValidationError("url", N_("leave the password out: PaidUp keeps no passwords in "
                                        "its settings. Put it in the PostgreSQL password file "
                                        "(pgpass) of this computer"))
    return value

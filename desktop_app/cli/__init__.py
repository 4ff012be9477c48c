"""paidup-cli: the headless face of PaidUp. Parses, calls services, prints; no rules here.

Each topic module (books, documents, followup, collection, reports) registers its own
commands. Start-up is most of what a short command costs, so a command loads only what it
uses: ``COMMANDS`` says which topic modules define each command, ``main`` imports just those
to build the parser (all of them for ``--help`` or a command it does not know), and the
topic modules load their services on first use (``common.lazy_services``).
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from desktop_app import __version__, paths
from desktop_app.cli.common import Registry, iso_date, lazy_services, name_fields, plain, text
from desktop_app.clock import day_of
from desktop_app.domain.errors import PaidUpError, ValidationError
from desktop_app.logs import log_to

if TYPE_CHECKING:
    from desktop_app.services.books import Books
    from desktop_app.services.books_lock import BooksLock

# Loaded once a command runs (``--version`` and ``--help`` need no database code).
books_service, lock_service, trouble_service = lazy_services("books", "books_lock", "trouble")

log = logging.getLogger("paidup.cli")
# Topic modules in the order they register (documents and collection add actions to groups
# that books makes: ``invoice pdf``, ``customer policy``), and the ones each command needs.
TOPICS = ("books", "documents", "followup", "collection", "reports", "bank", "retainers",
          "quotes", "receipts")
COMMANDS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("init", "demo", "company", "terms", "backup", "restore"), ("books",)),
    "invoice": ("books", "documents", "receipts"),
    **dict.fromkeys(("letter", "statement"), ("books", "documents")),
    "customer": ("books", "collection", "receipts"),
    **dict.fromkeys(("promise", "dispute", "pause", "plan", "writeoff",
                     "call", "policy", "template"), ("books", "collection")),
    "payment": ("books", "collection", "bank"),
    "bank": ("books", "bank"),
    "rate": ("books",),
    **dict.fromkeys(("followup", "mail", "outbox", "message"), ("followup",)),
    **dict.fromkeys(("report", "dossier"), ("reports",)),
    "recurring": ("retainers",),
    "quote": ("quotes",),
}


def topics_for(argv: Sequence[str]) -> tuple[ModuleType, ...]:
    """The topic modules the command in ``argv`` needs (all of them when it names none)."""
    front = argparse.ArgumentParser(prog="paidup-cli", add_help=False)
    front.add_argument("--version", action="version", version=f"PaidUp {__version__}")
    for option in ("--db", "--as-of"):
        front.add_argument(option)
    front.add_argument("--json", action="store_true")
    front.add_argument("--take-over", action="store_true")
    front.add_argument("command", nargs="?")
    known, _ = front.parse_known_args(argv)
    names = COMMANDS.get(known.command or "", TOPICS)
    return tuple(importlib.import_module(f"desktop_app.cli.{name}") for name in names)


def build_parser(topics: Sequence[ModuleType] | None = None) -> argparse.ArgumentParser:
    """The parser for these topic modules' commands (default: every command)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS,
                        help="database file or PostgreSQL URL (default: $PAIDUP_DB or the "
                             "per-user data folder)")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="print one JSON document")
    common.add_argument("--as-of", type=iso_date, default=argparse.SUPPRESS,
                        help="treat this day as today (YYYY-MM-DD)")
    common.add_argument("--take-over", action="store_true", default=argparse.SUPPRESS,
                        help="work on books another computer holds open (only when it no "
                             "longer uses them: two computers at once can damage them)")
    parser = argparse.ArgumentParser(prog="paidup-cli", parents=[common],
                                     description="PaidUp on the command line.")
    parser.add_argument("--version", action="version", version=f"PaidUp {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    registry = Registry(sub, common)
    for topic in topics if topics is not None else topics_for(()):
        topic.register(registry)
    name_fields(parser)
    return parser


def _setup_logging() -> Path:
    return log_to(paths.log_dir() / "paidup-cli.log")


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(topics_for(argv))
    try:
        args = parser.parse_args(argv)
    except ValidationError as exc:  # a bad date or id: bad input, not bad usage
        print(f"paidup-cli: {exc.field}: {exc.message}", file=sys.stderr)
        return 1
    for name, default in (("db", None), ("json", False), ("as_of", None),
                          ("take_over", False)):
        if not hasattr(args, name):
            setattr(args, name, default)
    log_file = _setup_logging()
    target = args.db or os.environ.get("PAIDUP_DB") or None
    books: Books | None = None
    lock: BooksLock | None = None
    try:
        # Books another computer has open are refused (naming it); this computer shares.
        lock = lock_service.lock_books(target, take_over=args.take_over)
        lock.keep_alive(lambda holder: log.warning("%s on %s took the books over",
                                                   holder.user, holder.host))
        if args.opens_books:
            books = books_service.open_books(target)
            books.today = day_of(args.as_of)
            result = args.handler(books, args)
        else:
            result = args.handler(target, args)
    except ValidationError as exc:
        print(f"paidup-cli: {exc.field}: {exc.message}", file=sys.stderr)
        return 1
    except lock_service.BooksInUse as exc:
        print(f"paidup-cli: {exc}; if that computer is no longer using them, run the command "
              "again with --take-over", file=sys.stderr)
        return 1
    except PaidUpError as exc:
        print(f"paidup-cli: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:
        explained = trouble_service.explain(exc, books_service.resolve_target(target))
        if explained is not None:
            log.warning("%s: %s (%s)", args.command, explained, exc)
            print(f"paidup-cli: {explained}", file=sys.stderr)
            return 1
        log.exception("unexpected error in %s", args.command)
        print(f"paidup-cli: something went wrong that PaidUp did not expect; nothing was "
              f"changed. Details are in {log_file}", file=sys.stderr)
        return 1
    finally:
        if books is not None:
            books.close()
        if lock is not None:
            lock.release()
    if args.json:
        json.dump(plain(result), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(text(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

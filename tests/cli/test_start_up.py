"""A command loads what it uses: the daily plan and the reports never load the PDF, merge,
mail or migration libraries (start-up is most of what a short command costs)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.cli import COMMANDS, TOPICS, build_parser, topics_for
from desktop_app.services.books import open_books
from desktop_app.services.demo import fill_demo

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("reportlab", "pypdf", "alembic", "msal", "segno", "smtplib", "imaplib")
PROBE = """
import json, sys
from desktop_app.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:  # --version and --help exit from argparse
    code = exc.code
loaded = sorted({m.split(".")[0] for m in sys.modules} & set(json.loads(HEAVY)))
print(json.dumps({"code": code, "loaded": loaded}), file=sys.stderr)
"""


def _subcommands(parser):
    return {name for action in parser._subparsers._group_actions for name in action.choices}


def test_every_command_is_found_in_the_topics_the_table_names():
    everything = build_parser()
    assert _subcommands(everything) == set(COMMANDS)
    for command, names in COMMANDS.items():
        parser = build_parser(topics_for([command]))
        assert command in _subcommands(parser)
        assert set(everything._subparsers._group_actions[0].choices[command].format_help()
                   .split()) == set(parser._subparsers._group_actions[0].choices[command]
                                    .format_help().split()), command
        assert set(names) <= set(TOPICS)


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = tmp_path_factory.mktemp("book") / "book.sqlite3"
    books = open_books(path)
    fill_demo(books, as_of=__import__("datetime").date(2026, 5, 4), invoices=120)
    books.close()
    return path


@pytest.mark.parametrize("command", [("followup", "plan"), ("report", "aging"),
                                     ("invoice", "list"), ("quote", "list")], ids=" ".join)
def test_short_commands_load_no_heavy_library(book, command):
    done = subprocess.run(
        [sys.executable, "-c", PROBE.replace("HEAVY", repr(json.dumps(HEAVY))), "--db",
         str(book), "--as-of", "2026-05-04", *command],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report == {"code": 0, "loaded": []}
    assert done.stdout.strip()


def test_version_answers_without_building_the_commands():
    done = subprocess.run([sys.executable, "-c", PROBE.replace("HEAVY", repr(json.dumps(
        ("sqlalchemy", *HEAVY)))), "--version"], cwd=ROOT, capture_output=True, text=True,
        timeout=60)
    assert done.stdout.strip() == "PaidUp 0.1.0"
    assert json.loads(done.stderr.strip().splitlines()[-1]) == {"code": 0, "loaded": []}

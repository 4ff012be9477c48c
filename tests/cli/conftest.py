"""The command line run in this process: fast, with exit codes and output captured."""

import json
from dataclasses import dataclass

import pytest

from desktop_app.cli import main


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(db_url, capsys, monkeypatch):
    """paidup-cli's main() in this process (fast); tests/cli/test_cli.py also runs it as a
    whole process."""
    monkeypatch.setenv("PAIDUP_DB", str(db_url))

    def run(*args: str, ok: bool = True) -> Outcome:
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse's usage errors
            code = int(exit_.code or 0)
        out, err = capsys.readouterr()
        if ok:
            assert code == 0, err
        return Outcome(code, out, err)

    def js(*args: str) -> dict:
        return json.loads(run("--json", *args).stdout)

    run.js = js  # type: ignore[attr-defined]
    return run

"""paidup-cli run in this process: fast, with exit codes and output captured."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from desktop_app.cli import main


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str


def runner(capsys: pytest.CaptureFixture[str]) -> Callable[..., Outcome]:
    """``run(*args, ok=True)`` runs one command (asserting success unless ``ok=False``);
    ``run.js(*args)`` runs it with --json and returns the parsed document."""

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

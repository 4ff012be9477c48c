"""Every file PaidUp writes is whole or absent, and its owner's alone."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app import files


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_written_file_is_whole_and_private(tmp_path: Path) -> None:
    target = tmp_path / "new" / "deeper" / "letter.pdf"
    files.private_folder(target.parent)
    files.write_bytes(target, b"%PDF-1.4 all of it")
    assert target.read_bytes() == b"%PDF-1.4 all of it"
    assert _mode(target) == 0o600
    assert _mode(tmp_path / "new") == _mode(tmp_path / "new" / "deeper") == 0o700
    assert sorted(p.name for p in target.parent.iterdir()) == ["letter.pdf"]


def test_an_existing_folder_keeps_its_mode(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    files.private_folder(tmp_path)
    assert _mode(tmp_path) == 0o755


def test_a_failure_midway_leaves_the_old_file_and_no_partial_one(tmp_path: Path) -> None:
    target = tmp_path / "aging.csv"
    files.write_text(target, "the good one\n")
    with pytest.raises(RuntimeError), files.replacing(target, "w", encoding="utf-8") as out:
        out.write("half of the new")
        raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "the good one\n"
    assert [p.name for p in tmp_path.iterdir()] == ["aging.csv"]


WRITE_OVER_THE_LIMIT = """
import resource, signal, sys
from pathlib import Path
from desktop_app import files
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails instead of killing us
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
try:
    files.write_bytes(Path(sys.argv[1]), b"x" * 100_000)
except OSError as exc:
    print("refused:", exc.errno)
"""


def test_a_file_size_limit_keeps_the_good_file(tmp_path: Path) -> None:
    target = tmp_path / "invoice.pdf"
    files.write_bytes(target, b"good")
    done = subprocess.run([sys.executable, "-c", WRITE_OVER_THE_LIMIT, str(target)],
                          capture_output=True, text=True, check=False, timeout=60)
    assert done.stdout.startswith("refused:"), done.stderr
    assert target.read_bytes() == b"good"
    assert [p.name for p in tmp_path.iterdir()] == ["invoice.pdf"]


def test_a_temporary_for_a_path_writer_is_committed_or_discarded(tmp_path: Path) -> None:
    target = tmp_path / "copy.sqlite3"
    first = files.temporary_beside(target)
    first.write_bytes(b"copy")
    files.commit_temporary(first, target)
    second = files.temporary_beside(target)
    second.write_bytes(b"half")
    files.discard(second)
    assert target.read_bytes() == b"copy"
    assert _mode(target) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["copy.sqlite3"]

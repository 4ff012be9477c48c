"""The log files of the window and the command line: the owner's alone, like the books
(they name customers and files)."""

from __future__ import annotations

import faulthandler
import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import IO, TextIO

from desktop_app import files

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class PrivateLogFile(RotatingFileHandler):
    """A rotating log whose files, the rotated ones included, are created 0600."""

    def _open(self) -> IO[str]:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND,
                     files.FILE_MODE)
        files.make_private(Path(self.baseFilename))  # a log left from before
        return open(fd, self.mode, encoding=self.encoding, errors=self.errors)


def log_to(path: Path, level: int = logging.INFO) -> Path:
    """Send the root logger's records to ``path`` (rotated at 1 MB, three kept), instead of
    any log file set before in this process."""
    root = logging.getLogger()
    for earlier in [h for h in root.handlers if isinstance(h, PrivateLogFile)]:
        root.removeHandler(earlier)
        earlier.close()
    handler = PrivateLogFile(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    return path


_fault_file: TextIO | None = None  # faulthandler writes to it when Python itself dies


def trace_faults_to(path: Path) -> None:
    """A crash that no exception handler sees (a segfault in Qt, an abort) still leaves the
    Python stacks of every thread at the end of the log file."""
    global _fault_file
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, files.FILE_MODE)
    handle = open(fd, "a", encoding="utf-8")  # noqa: SIM115 - kept open for the process
    faulthandler.enable(file=handle, all_threads=True)
    if _fault_file is not None:
        _fault_file.close()
    _fault_file = handle

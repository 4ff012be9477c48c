"""The window figures: start to a painted Invoices page beside a bare PySide6 window (both
whole processes, offscreen, in turns), resident memory with the book open on that page,
and search as you type (``window_search``, in its own process)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.report import Figure, seconds

ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def _run(command: list[str | Path]) -> tuple[float, int]:
    """Wall time and peak resident memory (KiB) of one whole process."""
    start = time.perf_counter()
    child = subprocess.Popen([str(c) for c in command], env=ENV, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        stderr = child.stderr.read().decode() if child.stderr else ""
        raise RuntimeError(f"{command[0]} failed: {stderr.strip()}")
    if child.stderr:
        child.stderr.close()
    return elapsed, usage.ru_maxrss


def figures(bin_dir: Path, book: Path, work: Path, runs: int) -> list[Figure]:
    ours_cmd = [bin_dir / "paidup", "--db", book, "--screenshot", work / "invoices.png",
                "--page", "invoices"]
    bare_cmd = [sys.executable, "-m", "benchmarks.bare_window", work / "bare.png"]
    ours, bare, memory = [], [], []
    for _ in range(runs):
        took, rss = _run(ours_cmd)
        ours.append(took)
        memory.append(rss)
        bare.append(_run(bare_cmd)[0])
    start, floor = statistics.median(ours), statistics.median(bare)
    resident = statistics.median(memory) / 1024
    done = subprocess.run([sys.executable, "-m", "benchmarks.window_search", str(book),
                           str(max(1, runs // 2))], env=ENV, capture_output=True, text=True,
                          check=True)
    search = json.loads(done.stdout.strip().splitlines()[-1])
    return [
        Figure("start to a painted Invoices page", seconds(start),
               f"bare PySide6 window with a table: {seconds(floor)}",
               f"{start / floor:.2f} x the bare window", "at most 1.5 x the bare window",
               start <= 1.5 * floor),
        Figure("search as you type in the invoice list, key to repainted list",
               seconds(search["median"]), f"{search['searches']} searches",
               f"{search['median'] / 0.05:.2f} x budget", "under 50 ms",
               search["median"] < 0.05),
        Figure("memory with the whole book open on the Invoices page (peak resident)",
               f"{resident:.0f} MB", "—", f"{resident / 300:.2f} x budget", "under 300 MB",
               resident < 300),
    ]

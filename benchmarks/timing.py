"""Clocks for the benchmarks: medians of runs in this process or of whole processes, and
what the machine was doing meanwhile."""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class LoadWatch:
    """The one-minute load average, sampled before and after each figure."""

    samples: list[float] = field(default_factory=list)

    def sample(self) -> None:
        self.samples.append(os.getloadavg()[0])

    def describe(self) -> str:
        if not self.samples:
            return "not sampled"
        return (f"{min(self.samples):.2f}–{max(self.samples):.2f} "
                f"(median {statistics.median(self.samples):.2f})")


def median_times(run: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time of this process over ``runs`` calls: on a
    shared machine the CPU time says what the work costs when the wall time is waiting for
    a core."""
    wall, cpu = [], []
    for _ in range(runs):
        start, used = time.perf_counter(), time.process_time()
        run()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - used)
    return statistics.median(wall), statistics.median(cpu)


def side_by_side(first: Callable[[], object], second: Callable[[], object], runs: int
                 ) -> tuple[float, float]:
    """Medians of two things measured in turns (ABAB...), so load hits both alike."""
    a, b = [], []
    for _ in range(runs):
        for run, into in ((first, a), (second, b)):
            start = time.perf_counter()
            run()
            into.append(time.perf_counter() - start)
    return statistics.median(a), statistics.median(b)


def process_time(command: Sequence[str | Path], env: dict[str, str] | None = None) -> float:
    """Wall time of one whole process, from fork to exit; a failure stops the benchmark."""
    start = time.perf_counter()
    done = subprocess.run([str(c) for c in command], env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, command))} failed: {done.stderr.strip()}")
    return elapsed


def median_process_time(command: Sequence[str | Path], runs: int,
                        env: dict[str, str] | None = None) -> float:
    return statistics.median(process_time(command, env) for _ in range(runs))


def machine() -> str:
    """CPU, cores, memory, OS and the Python and SQLite the figures were taken with."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f", {pages / 2**30:.0f} GiB"
    except (ValueError, OSError):
        pass
    return (f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} "
            f"{platform.release()}; Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}")

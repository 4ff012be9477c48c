"""Many programs writing to one SQLite book at once, as a busy office's scheduled tasks and
windows would: WRITERS processes each run `paidup-cli payment add` ROUNDS times.

    .venv/bin/python scripts/many_writers.py [WRITERS] [ROUNDS]

Prints how many payments were booked, how many were refused and with which sentence, how
many the books lost (booked minus what the invoice shows paid), and the time per command.
"""

from __future__ import annotations

import collections
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

CLI = [sys.executable, "-m", "desktop_app.cli"]


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], env=env, capture_output=True, text=True, check=False)


def writer(env: dict[str, str], rounds: int) -> list[tuple[int, str, float]]:
    done = []
    for _ in range(rounds):
        started = time.monotonic()
        proc = run(env, "payment", "add", "--invoice", "1", "--amount", "1.00")
        last_line = (proc.stderr.strip().splitlines() or [""])[-1]
        done.append((proc.returncode, last_line, time.monotonic() - started))
    return done


def main() -> None:
    writers = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "PAIDUP_DB": str(Path(folder) / "books.sqlite3"),
               "PAIDUP_DATA_DIR": folder, "PAIDUP_LOG_DIR": folder,
               "PAIDUP_CONFIG_DIR": folder}
        for args in (("company", "set", "--name", "Lindenhof GmbH", "--currency", "EUR",
                      "--iban", "DE89 3704 0044 0532 0130 00"),
                     ("customer", "add", "--name", "Müller"),
                     ("invoice", "add", "--customer", "1", "--line", "Work|1|1000000.00|0"),
                     ("invoice", "issue", "1")):
            assert run(env, *args).returncode == 0
        started = time.monotonic()
        with ThreadPoolExecutor(writers) as pool:
            results = [r for part in pool.map(lambda _: writer(env, rounds), range(writers))
                       for r in part]
        elapsed = time.monotonic() - started
        shown = json.loads(run(env, "--json", "invoice", "show", "1").stdout)
    ok = sum(code == 0 for code, _, _ in results)
    refused = collections.Counter(line for code, line, _ in results if code != 0)
    times = sorted(t for _, _, t in results)
    booked = int(Decimal(shown["paid"]))  # each payment is 1.00
    print(f"{writers} writers x {rounds} payments in {elapsed:.0f} s")
    print(f"ok {ok}, refused {sum(refused.values())}, lost {ok - booked} "
          f"(the invoice shows {shown['paid']} paid)")
    for line, count in refused.most_common():
        print(f"  {count} x {line}")
    print(f"per command: median {statistics.median(times):.2f} s, "
          f"p95 {times[int(len(times) * 0.95) - 1]:.2f} s, max {times[-1]:.2f} s")


if __name__ == "__main__":
    main()

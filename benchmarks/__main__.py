"""python -m benchmarks: build the 100,000-invoice book, measure, write docs/benchmarks.md."""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

from benchmarks import figures, report
from benchmarks.timing import LoadWatch, machine
from desktop_app.clock import system_now, system_today

ROOT = Path(__file__).resolve().parents[1]
T = TypeVar("T")
FIGURES = ("window", "plan", "plan-process", "aging", "invoice", "bank", "letters",
           "letters-run")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5, help="runs of each quick figure")
    parser.add_argument("--slow-runs", type=int, default=3,
                        help="runs of the demo load and of the letters beside WeasyPrint")
    parser.add_argument("--letters", type=int, default=200)
    parser.add_argument("--work", type=Path, default=ROOT / "out" / "bench",
                        help="folder for the book and profiles")
    parser.add_argument("--reuse-book", action="store_true",
                        help="measure the book left in --work by an earlier run (the demo "
                             "figure is then not measured)")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--no-window", action="store_true", help="skip the window figures")
    parser.add_argument("--only", action="append", choices=FIGURES, metavar="FIGURE",
                        help=f"measure only these figures (repeat; one of {', '.join(FIGURES)}"
                             "); the table keeps the others' rows from --output, marked")
    return parser.parse_args()


def _system_packages() -> None:
    """WeasyPrint, the letters' peer, needs Pango from the system (as root: installed)."""
    script = Path(__file__).with_name("install-system-deps.sh")
    if subprocess.run(["bash", str(script)], check=False).returncode != 0:
        sys.exit("benchmarks: install the system packages named above, then run again")


def main() -> None:
    args = _arguments()
    _system_packages()
    started = system_now().astimezone()
    as_of = system_today()  # the benchmark's book is built around the real day
    bin_dir = Path(sys.executable).parent
    args.work.mkdir(parents=True, exist_ok=True)
    load = LoadWatch()
    results: list[report.Figure] = []
    wanted = set(args.only or FIGURES) - ({"window"} if args.no_window else set())

    def step(title: str, measure: Callable[..., T], *params: object) -> T:
        print(f"benchmarks: {title} ...", flush=True)
        load.sample()
        value = measure(*params)
        load.sample()
        return value

    book = args.work / "book.sqlite3"
    if args.reuse_book and book.exists():
        as_of = date.fromisoformat((args.work / "as-of").read_text().strip())
    else:
        book, demo = step("demo book", figures.demo, bin_dir, args.work, as_of, args.invoices,
                          args.slow_runs)
        (args.work / "as-of").write_text(as_of.isoformat())
        results.append(demo)
    if "window" in wanted:
        from benchmarks import window  # Qt loads only for these figures

        results += step("window", window.figures, bin_dir, book, args.work, args.runs)
    if "plan" in wanted:
        results.append(step("plan in process", figures.plan_in_process, book, as_of,
                            args.runs))
    if "plan-process" in wanted:
        results.append(step("followup plan", figures.plan_process, bin_dir, book, as_of,
                            args.runs))
    if "aging" in wanted:
        results.append(step("report aging", figures.aging_process, bin_dir, book, as_of,
                            args.runs))
    if "invoice" in wanted:
        results.append(step("one invoice PDF", figures.invoice, book, as_of, args.runs * 4))
    if "bank" in wanted:
        from benchmarks import bank  # the statement is written from the book's open invoices

        results.append(step("bank import", bank.figure, book, as_of, args.work,
                            args.slow_runs))
    if "letters" in wanted:
        results.append(step("letters beside WeasyPrint", figures.letters, book, as_of,
                            args.letters, args.slow_runs))
    if "letters-run" in wanted:
        results.append(step("the day's letters", figures.letters_run, bin_dir, book, as_of,
                            args.work, args.letters, args.slow_runs))
    report.write(args.output, results, machine=machine(), load=load.describe(),
                 book=_describe(book, as_of), runs=f"{args.runs} (demo and letters: "
                 f"{args.slow_runs}; invoice PDF: {args.runs * 4})", started=started,
                 keep_earlier=bool(args.only))
    for figure in results:
        print(f"{figure.name}: {figure.measured} ({figure.ratio}; {figure.verdict})")
    print(f"benchmarks: written to {args.output}")


def _describe(book: Path, as_of: date) -> str:
    import sqlite3

    with sqlite3.connect(book) as conn:
        count = {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                 for table in ("invoices", "customers", "installments", "payments",
                               "followup_records")}
        states = dict(conn.execute("SELECT state, count(*) FROM invoices GROUP BY state"))
    by_state = ", ".join(f"{n:,} {s}" for s, n in sorted(states.items()))
    return (f"{count['invoices']:,} invoices ({by_state}) of {count['customers']:,} customers, "
            f"{count['installments']:,} installments, "
            f"{count['payments']:,} payments, {count['followup_records']:,} follow-up records;"
            f" as of {as_of.isoformat()}")


if __name__ == "__main__":
    main()

"""The table in docs/benchmarks.md: each figure beside its budget (and its peer), then the
notes kept by hand in benchmarks/NOTES.md (causes found, fixes, what still stands in the
way)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

NOTES = Path(__file__).with_name("NOTES.md")


@dataclass(frozen=True)
class Figure:
    name: str
    measured: str
    beside: str  # the floor or peer and its own figure, or "—"
    ratio: str  # measured against the peer or the budget
    budget: str
    met: bool | None  # None: not measured in this run

    @property
    def verdict(self) -> str:
        return {True: "met", False: "**missed**", None: "not measured"}[self.met]


def seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def earlier_rows(path: Path, figures: list[Figure]) -> list[str]:
    """The rows of the table ``path`` holds for figures not measured now, marked so: a run
    of some figures (``--only``) keeps the others' last figures beside its own."""
    if not path.exists():
        return []
    measured = {f.name for f in figures}
    kept = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and line.startswith("| ") and cells[0] not in (
                "figure", *measured) and not cells[0].startswith("---"):
            verdict = cells[5].removesuffix(" (an earlier run)")
            kept.append("| " + " | ".join([*cells[:5], f"{verdict} (an earlier run)"]) + " |")
    return kept


def write(path: Path, figures: list[Figure], *, machine: str, load: str, book: str,
          runs: str, started: datetime, keep_earlier: bool = False) -> None:
    rows = ["| figure | measured | beside | ratio | budget | verdict |",
            "|---|---|---|---|---|---|"]
    rows += [f"| {f.name} | {f.measured} | {f.beside} | {f.ratio} | {f.budget} | {f.verdict} |"
             for f in figures]
    if keep_earlier:
        rows += earlier_rows(path, figures)
    notes = NOTES.read_text(encoding="utf-8").strip() if NOTES.exists() else ""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m benchmarks`); do not edit by hand, the notes",
        "below come from `benchmarks/NOTES.md`.",
        "",
        f"- Date: {started:%Y-%m-%d %H:%M} (UTC{started:%z})",
        f"- Machine: {machine}",
        f"- Load average (1 min) while measuring: {load}",
        f"- Book: {book}",
        f"- Runs: {runs}; each figure is the median. A ratio compares two things measured in "
        "turns in the same run, so it holds better than the absolute figures on a busy "
        "machine.",
        "",
        *rows,
        "",
        notes,
        "",
    ]), encoding="utf-8")

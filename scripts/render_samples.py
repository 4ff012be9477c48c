"""Render the README's sample pictures (docs/images/invoice.png, letter.png) from sample data.

Needs pdftoppm (poppler-utils). Run: python scripts/render_samples.py
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from desktop_app.documents import render_invoice, render_letter
from desktop_app.documents.data import Stage
from desktop_app.documents.samples import sample_customer, sample_invoice, sample_letter

IMAGES = Path(__file__).resolve().parents[1] / "docs" / "images"


def _first_page_png(pdf: bytes, target: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "doc.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile",
                        str(source), str(target.with_suffix(""))], check=True)


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    _first_page_png(render_invoice(sample_invoice(customer=sample_customer("de"))),
                    IMAGES / "invoice.png")
    _first_page_png(render_letter(sample_letter(Stage.REMINDER_2, "en")), IMAGES / "letter.png")


if __name__ == "__main__":
    main()

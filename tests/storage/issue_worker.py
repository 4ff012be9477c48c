"""Run as a separate process: issue the given drafts one by one (for the concurrency test)."""

import sys
from datetime import date

from desktop_app.services import invoices
from desktop_app.services.books import open_books


def main() -> None:
    target, ids = sys.argv[1], [int(x) for x in sys.argv[2].split(",")]
    books = open_books(target, actor=f"worker-{ids[0]}")
    for inv_id in ids:
        invoices.issue_invoice(books, inv_id, date(2026, 11, 2))
    books.close()


if __name__ == "__main__":
    main()

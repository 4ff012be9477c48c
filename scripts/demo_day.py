"""A demo book with a realistic morning on Today, for the README's pictures of the window.

    python -m scripts.demo_day [--db PATH] [--as-of YYYY-MM-DD]

The demo data as of three days earlier (so that the day has emails, letters and calls), a
mail account, promises falling due and one broken promise waiting for a decision; all made
through the services, as a user's own work would be.
"""

from __future__ import annotations

import argparse
from datetime import date, timedelta

from desktop_app.services import activity, customers, demo, invoices, mail, promises
from desktop_app.services.books import open_books
from desktop_app.services.followup import calls
from desktop_app.services.followup import run as followup
from desktop_app.services.invoices import InvoiceQuery


def stage(target: str | None, as_of: date) -> None:
    books = open_books(target)
    try:
        demo.fill_demo(books, as_of=as_of - timedelta(days=3))
        mail.set_account(books, preset="generic", host="smtp.lindenhof.example", port=587,
                         security="starttls", user="billing@lindenhof.example",
                         from_address="billing@lindenhof.example",
                         from_name="Lindenhof Werkstatt Billing")
        late = [row for row in invoices.list_invoices(
                    books, InvoiceQuery(open_only=True, overdue_on=as_of), sort="due_date",
                    descending=True)
                if row.due_date and row.due_date >= as_of - timedelta(days=40)]
        seen: set[int] = set()
        chosen = [row for row in late if row.customer_id not in seen
                  and not seen.add(row.customer_id)]  # type: ignore[func-returns-value]
        broken, *promised = chosen[:3]
        # Promised last week for two days ago, and not paid: broken; a person must decide.
        promises.add_promise(books, promises.PromiseInput(
            broken.id, as_of - timedelta(days=5), as_of - timedelta(days=9),
            excuse="cash_tight", promised_by="Accounts"))
        followup.run_day(books, as_of - timedelta(days=1), customer_id=broken.customer_id,
                         channels=["call"])
        first = customers.list_customers(books, with_contacts=False)[0]
        for days, kind, words in (
                (30, "visit", "Visited the workshop; the owner asked for copies of last "
                              "quarter's invoices"),
                (12, "note", "Statement sent by post at their request")):
            activity.add_note(books, first.id, kind, words, as_of - timedelta(days=days))
        theirs = [row for row in late if row.customer_id == first.id]
        if theirs:
            calls.log_call(books, calls.CallInput(
                theirs[0].id, "reached", as_of - timedelta(days=6),
                note="Spoke to Payables: the invoice is approved", next_step="Payment run "
                "on Friday; check the bank then"))
        for row, days in zip(promised, (0, 2), strict=False):
            promises.add_promise(books, promises.PromiseInput(
                row.id, as_of + timedelta(days=days), as_of - timedelta(days=4),
                excuse="approval_pending", promised_by="Head of finance"))
    finally:
        books.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="default: the books in your data folder")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 11, 23))
    args = parser.parse_args()
    stage(args.db, args.as_of)


if __name__ == "__main__":
    main()

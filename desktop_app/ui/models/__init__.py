"""Qt models over service results: ids from one query, rows fetched a page at a time."""

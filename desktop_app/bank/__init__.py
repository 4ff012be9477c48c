"""Bank statements read in: camt.052/053/054, MT940, OFX/QFX and CSV, read defensively into
plain values. No database, no rules about invoices: the services store and match."""

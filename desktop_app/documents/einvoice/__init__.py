"""E-invoices: an EN 16931 invoice as plain data and its writers (CII for Factur-X and
XRechnung, UBL for XRechnung and Peppol BIS, the hybrid PDF/A-3). No Qt, no database."""

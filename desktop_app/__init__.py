"""PaidUp: offline invoicing and payment follow-up for small businesses."""

__version__ = "0.1.0"

"""Dialogs: forms for customers, drafts, payments and promises; previews; the first run."""

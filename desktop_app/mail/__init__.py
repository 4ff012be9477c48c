"""Reminder mail: account settings, keyring credentials, templates, messages, SMTP delivery.

No Qt and no database here: the outbox table and its worker live above this package and call
the pure state machine in ``outbox`` and the one-transaction ``deliver`` in ``delivery``.
"""

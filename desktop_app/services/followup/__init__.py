"""Follow-up: the policies, the day's plan and carrying it out, the Today list and calls.

Kept light to import: the Today page and ``paidup-cli followup plan`` load ``plan`` alone.
"""

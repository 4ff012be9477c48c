"""Use cases: the only door to the books for the window and the command line."""

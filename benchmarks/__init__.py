"""Speed budgets on a 100,000-invoice book (``make bench``).

Each figure is the median of several runs; where the issue names a floor or a peer (a bare
Qt window, WeasyPrint), both run side by side in the same session, alternating, so that the
ratio holds even on a busy machine. ``python -m benchmarks --help`` lists the options; the
table goes to ``docs/benchmarks.md`` with the machine, the date and the load average.
"""

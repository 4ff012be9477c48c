"""Loaded only by the faketime tier of scripts/run-tests.sh (on PYTHONPATH there).

That tier moves the system date with Debian's libfaketime and leaves the monotonic clock
real (FAKETIME_DONT_FAKE_MONOTONIC=1): a faked monotonic clock makes every timed wait of
Python's threads and queues hang. libfaketime 0.9.10 then refuses the absolute monotonic
deadline that Python 3.11's time.sleep passes to clock_nanosleep (EINVAL), so here a sleep
waits in select() instead, which takes a relative time and is left alone.
"""

import select
import time


def _sleep(seconds: float) -> None:
    select.select([], [], [], seconds)


time.sleep = _sleep

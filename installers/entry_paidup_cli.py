"""The bundle's `paidup-cli` program: the command line, for scheduled reminder runs."""

import sys

from desktop_app.cli import main

sys.exit(main())

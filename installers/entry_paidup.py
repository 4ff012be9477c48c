"""The bundle's `paidup` program: the window."""

import sys

from desktop_app.ui.app import main

sys.exit(main())

"""Start-up of the frozen app, run by the bundle before PaidUp's own code."""

import sys

# Alembic reads the migrations from the bundle as source; no __pycache__ may be written
# beside them, or a signed macOS app would no longer match its signature.
sys.dont_write_bytecode = True

# keyring's entry-point discovery is not to be trusted in a bundle: name the OS keyring.
from desktop_app.mail.platform_keyring import use_platform_keyring  # noqa: E402

use_platform_keyring()

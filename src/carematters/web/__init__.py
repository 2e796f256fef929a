"""The casework application: a Django site on top of the core (../shared/design/WEB.md).

The core (`ssda903`, `records`, `duties`, ...) never imports Django; this package does,
and computes with the same `services` the command line uses. Nothing here is imported
by the command line until a web command runs, so `903 validate` starts as fast as before.
"""

from __future__ import annotations

import os

SETTINGS = "carematters.web.config.settings"


def setup() -> None:
    """Configure Django with carematters' settings (unless a caller chose others) and
    load the apps, for commands that use the web application outside a server."""
    import django  # noqa: PLC0415 - loaded only by the commands that need it

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    django.setup()

"""Entry point of the desktop bundles (PyInstaller runs this file).

No arguments opens the app; with arguments it is the command line, exactly as the
installed ``culturescope`` command. A kiosk setup file or response bundle given alone (a
double-click on a ``.cskiosk`` or ``.csbundle`` file) opens the app and offers to install
or merge it.
"""

import os
import sys

if __name__ == "__main__":
    # Started with no locale at all (env -i, some service managers), Qt warns that it
    # switches to C.UTF-8; say so ourselves, silently, before Qt or Python's I/O look.
    if sys.platform.startswith("linux") and not any(
        os.environ.get(name) for name in ("LC_ALL", "LC_CTYPE", "LANG")
    ):
        os.environ["LC_CTYPE"] = "C.UTF-8"

    from culturescope.cli import main

    sys.exit(main())

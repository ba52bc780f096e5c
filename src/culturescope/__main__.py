"""``python -m culturescope`` runs the command line (and the app with no command)."""

from culturescope.cli import main

raise SystemExit(main())

"""``python -m culturescope.cli``."""

from culturescope.cli import main

raise SystemExit(main())

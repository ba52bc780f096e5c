"""The pages of the main window, in sidebar order.

Each page is a ``QWidget`` subclass with ``__init__(self, state, parent=None)`` and
``refresh(self)``. The main window imports a page's module only when it is first shown,
but checks when it opens that every listed module exists: a misspelt or missing module is
an error at once, never a page that silently disappears from the sidebar.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str  # English; translated by the main window
    icon: str  # name of an icon in resources/icons/
    module: str
    class_name: str
    group: str = ""  # the sidebar heading it sits under ("" = none)

    def exists(self) -> bool:
        """Whether the page's module can be found (without importing it)."""
        try:
            return importlib.util.find_spec(self.module) is not None
        except ModuleNotFoundError:
            return False

    def load(self) -> type:
        """The page class (imports its module)."""
        module = importlib.import_module(self.module)
        return getattr(module, self.class_name)


_P = "culturescope.gui.pages."

#: Sidebar groups, in the order of the work: set up, collect, then read the results.
GROUPS = ("Set up", "Collect", "Results")

PAGES: list[PageSpec] = [
    PageSpec("home", "Campaign home", "home", _P + "home_page", "HomePage"),
    PageSpec(
        "campaigns", "Campaigns", "campaigns", _P + "campaigns_page", "CampaignsPage", "Set up"
    ),
    PageSpec(
        "instruments",
        "Instruments",
        "instruments",
        _P + "instruments_page",
        "InstrumentsPage",
        "Set up",
    ),
    PageSpec("policies", "Policies", "policies", _P + "policies_page", "PoliciesPage", "Set up"),
    PageSpec("import", "Import", "import", _P + "import_page", "ImportPage", "Collect"),
    PageSpec("paper", "Paper entry", "paper", _P + "paper_page", "PaperPage", "Collect"),
    PageSpec(
        "responses", "Responses", "responses", _P + "responses_page", "ResponsesPage", "Collect"
    ),
    PageSpec(
        "dashboard", "Dashboard", "dashboard", _P + "dashboard_page", "DashboardPage", "Results"
    ),
    PageSpec("signals", "Signals", "signals", _P + "signals_page", "SignalsPage", "Results"),
    PageSpec("export", "Export", "export", _P + "export_page", "ExportPage", "Results"),
    PageSpec("settings", "Settings", "settings", _P + "settings_page", "SettingsPage"),
]

#: The page shown at start when the database has a campaign.
DEFAULT_PAGE = "home"


def page_spec(key: str) -> PageSpec:
    for spec in PAGES:
        if spec.key == key:
            return spec
    known = ", ".join(s.key for s in PAGES)
    raise KeyError(f"no page '{key}' (pages: {known})")


def available_pages(specs: list[PageSpec] | None = None) -> list[PageSpec]:
    """Every page of ``specs`` (default :data:`PAGES`), in order.

    Raises
    ------
    ImportError
        When a page's module does not exist, naming the page and the module.
    """
    specs = PAGES if specs is None else specs
    missing = [f"'{s.key}' ({s.module})" for s in specs if not s.exists()]
    if missing:
        raise ImportError(f"page modules missing: {', '.join(missing)}")
    return list(specs)

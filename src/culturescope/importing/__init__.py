"""Import responses from spreadsheets: xlsx, xlsm, ods and csv (Microsoft Forms and Google
Forms exports included), with column matching, validation and duplicate detection.

Public API (used by the command line and the GUI import wizard)::

    list_sheets(path) -> list[str]
    read_table(path, *, sheet=None, progress=None, is_cancelled=None) -> RawTable
    plan_import(raw, instrument, *, mapping=None, values=None) -> ImportPlan
    import_file(store, campaign, path, *, sheet=None, mapping=None, values=None,
                dry_run=False, progress=None, is_cancelled=None) -> ImportReport
    load_mapping(path) -> dict[str, str];  load_value_mapping(path);  write_mapping(plan, path)

Nothing here imports Qt.
"""

from culturescope.importing.columns import ColumnMatch
from culturescope.importing.importer import ImportReport, import_file
from culturescope.importing.mapping import (
    MappingError,
    load_mapping,
    load_value_mapping,
    write_mapping,
)
from culturescope.importing.plan import ImportPlan, plan_import
from culturescope.importing.problems import ERROR, WARNING, ImportFailed, Problem, column_letter
from culturescope.importing.reading import RawTable, SourceInfo, list_sheets, read_table
from culturescope.importing.values import ALL_ITEMS, Choice, UnknownValue

__all__ = [
    "ALL_ITEMS",
    "ERROR",
    "WARNING",
    "Choice",
    "ColumnMatch",
    "ImportFailed",
    "ImportPlan",
    "ImportReport",
    "MappingError",
    "Problem",
    "RawTable",
    "SourceInfo",
    "UnknownValue",
    "column_letter",
    "import_file",
    "list_sheets",
    "load_mapping",
    "load_value_mapping",
    "plan_import",
    "read_table",
    "write_mapping",
]

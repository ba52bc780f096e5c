"""Mapping files: which column of a file is which item, demographic or comment.

A mapping file is YAML (``.yaml``/``.yml``) or JSON (``.json``)::

    # CultureScope column mapping
    instrument: ai-safety-culture@1.0      # optional, for the reader
    columns:
      "Q1. Leaders take responsibility": LA1          # an item id
      "Department": team                              # a demographic id
      "Anything else?": comment:C2                    # a comment prompt id
      "Respondent no.": metadata:id                   # id, start, end, modified, other
      "Internal code": ignore                         # not imported
    values:                                           # optional: answers worded differently
      role:                                           # a demographic id...
        Director: senior_leader                       # ...value: option id or label
      answers:                                        # every item (or a scale id: agree5)
        Agree strongly: Agree                         # value: label or code
        Tend to agree: 4

Keys are header texts (matched exactly, else after normalising case, punctuation and
numbering); values are an item, demographic or comment id, optionally prefixed with
``item:``, ``demographic:`` or ``comment:`` when ids clash, ``metadata:ROLE``, or
``ignore``. A plain ``{header: target}`` mapping without the ``columns`` key also works.
``values:`` is described in :mod:`culturescope.importing.values`; a value with an empty
target is not mapped (``--write-mapping`` lists unknown values that way, to fill in).
Columns the mapping does not name are matched automatically. Identifying columns (e-mail,
name...) are always dropped, whatever the mapping says.

:func:`write_mapping` saves the mapping a plan used, for the user to edit and reuse.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from culturescope import CultureScopeError

if TYPE_CHECKING:  # plan.py loads mapping files: a runtime import here would be a cycle
    from culturescope.importing.plan import ImportPlan


class MappingError(CultureScopeError):
    """A mapping file cannot be used."""


def load_mapping(path: str | Path) -> dict[str, str]:
    """Header -> target of a mapping file (see the module documentation)."""
    path = Path(path)
    data = _load(path)
    if isinstance(data, dict) and "values" in data and "columns" not in data:
        return {}  # a file with value mapping only
    if isinstance(data, dict) and isinstance(data.get("columns"), dict):
        data = data["columns"]
    if not isinstance(data, dict) or not data:
        raise MappingError(f"{path}: a mapping file needs 'columns:' with 'header: target' lines")
    out = {}
    for header, target in data.items():
        if target is not None and not isinstance(target, str | int):
            raise MappingError(f"{path}: the target of '{header}' must be text, not {target!r}")
        out[str(header).strip()] = "ignore" if target is None else str(target).strip()
    return out


def load_value_mapping(path: str | Path) -> dict[str, dict[str, str]]:
    """Key -> file value -> target from the ``values:`` section of a mapping file
    (``{}`` when it has none); blank targets are left out."""
    path = Path(path)
    data = _load(path)
    values = data.get("values") if isinstance(data, dict) else None
    if values is None:
        return {}
    if not isinstance(values, dict):
        raise MappingError(f"{path}: 'values:' needs 'key:' lines with 'value: target' under them")
    out: dict[str, dict[str, str]] = {}
    for key, table in values.items():
        if not isinstance(table, dict):
            raise MappingError(
                f"{path}: under 'values:', '{key}' needs 'value: target' lines, not {table!r}"
            )
        for value, target in table.items():
            if isinstance(target, dict | list):
                raise MappingError(
                    f"{path}: the target of value '{value}' ({key}) must be text, not {target!r}"
                )
            if target is not None and str(target).strip():
                out.setdefault(str(key).strip(), {})[str(value).strip()] = str(target).strip()
    return out


def _load(path: Path) -> Any:  # what the JSON or YAML holds: checked by the caller
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise MappingError(f"{path}: mapping file does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(f"{path}: mapping file cannot be read ({exc})") from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise MappingError(
            f"{path}: not valid {'JSON' if path.suffix.lower() == '.json' else 'YAML'}: "
            f"{str(exc).splitlines()[0]}"
        ) from None
    return data


def write_mapping(plan: ImportPlan, path: str | Path) -> Path:
    """Save the mapping ``plan`` used (YAML, or JSON for a ``.json`` path), one line per
    column with how it was matched, so the user can correct and reuse it."""
    path = Path(path)
    mapping = plan.mapping()
    values = _values_to_write(plan)
    if path.suffix.lower() == ".json":
        path.write_text(
            json.dumps(
                {"instrument": plan.instrument.key, "columns": mapping}
                | ({"values": values} if values else {}),
                indent=2,
                ensure_ascii=False,
            )
            + "\n",
            encoding="utf-8",
        )
        return path
    how = {c.header: c for c in plan.columns}
    lines = [
        "# CultureScope column mapping: 'header: target', one line per column.",
        "# Targets: an item id, a demographic id, comment:ID, metadata:ROLE (id, start, end,",
        "# modified, other) or ignore. Edit and pass it with --mapping FILE.",
        f"# Made from {plan.source.name}"
        + (f", sheet {plan.source.sheet}" if plan.source.sheet else ""),
        f"instrument: {json.dumps(plan.instrument.key)}",
        "columns:",
    ]
    for header, target in mapping.items():
        c = how.get(header)
        note = f"  # column {c.letter}: {c.describe()}" if c is not None else ""
        lines.append(f"  {json.dumps(header, ensure_ascii=False)}: {json.dumps(target)}{note}")
    if values:
        lines += [
            "# Answers worded differently: under a demographic id, a scale id or 'answers' (all",
            "# items), 'value in the file: option id, label or code'. Fill in the empty ones.",
            "values:",
        ]
        unknown = {(u.key, u.value): u for u in plan.unknown_values}
        for key, table in values.items():
            lines.append(f"  {json.dumps(key)}:")
            for value, target in table.items():
                u = unknown.get((key, value))
                note = ""
                if u is not None:
                    note = f"  # {u.count}x; one of: " + ", ".join(c.value for c in u.choices)
                lines.append(
                    f"    {json.dumps(value, ensure_ascii=False)}: "
                    f"{json.dumps(target, ensure_ascii=False)}{note}"
                )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _values_to_write(plan: ImportPlan) -> dict[str, dict[str, str]]:
    """The value mapping used plus every unknown value with an empty target."""
    out = {k: dict(v) for k, v in plan.value_mapping.items()}
    for u in plan.unknown_values:
        out.setdefault(u.key, {}).setdefault(u.value, "")
    return out

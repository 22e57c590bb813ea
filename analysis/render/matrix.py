"""Parameter matrices of a render config: one notebook, many parameter sets, one report each.

::

    [matrices.risk_profile]
    notebook = "risk_profile"
    description = "One risk profile per neighbour of Afghanistan"
    parameters = { baseline_years = [2018, 2020] }            # the same in every report
    matrix = { country = ["PAK", "IRN", "CHN"] }              # every combination of these lists

    [matrices.windows]
    notebook = "risk_profile"
    combinations = [                                          # or: the combinations, listed
      { country = "PAK", comparison_years = [2022, 2023] },
      { country = "IRN", comparison_years = [2022, 2024] },
    ]

Each combination becomes a :class:`~.reports.Report` named from its values:
``<matrix>-<value>[-<value>...]``, one value for each parameter that varies across the matrix,
in the order the matrix lists them (``risk_profile-PAK``; a list value joins its items with
``_``: ``windows-PAK-2022_2023``). The name depends on the values only, so it is stable from
run to run (incremental rendering finds the report again), and it is file-system safe: in a value,
anything but letters, digits, ``_`` and ``.`` becomes ``_`` (so ``-`` only separates values:
``2023-12-31`` is ``2023_12_31``), and names are unique even where case is ignored.

A combination remembers where each of its values came from, so a bad one is named before any
kernel starts: config file, matrix, combination and parameter. The index shows a matrix's
reports in one table, its varying parameters as columns (:func:`annotate` records them).

May import: the standard library and :mod:`analysis.exceptions` (:mod:`.reports` imports it).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..exceptions import ConfigError

MATRIX_KEYS = ("description", "notebook", "parameters", "matrix", "combinations")
MAX_REPORTS = 500  # a matrix larger than this is more likely a mistake than a plan
MAX_NAME = 100


def value_slug(value: Any) -> str:
    """A parameter value as part of a report name (letters, digits, ``_`` and ``.``).

    >>> [value_slug(v) for v in ("PAK", 2022, 0.5, True, [2022, 2024], "a b/c", "")]
    ['PAK', '2022', '0.5', 'true', '2022_2024', 'a_b_c', '_']
    """
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, list):
        text = "_".join(value_slug(v) for v in value) or "_"
    else:
        text = str(value)
    return re.sub(r"[^A-Za-z0-9_.]+", "_", text) or "_"


def report_name(matrix: str, values: Mapping[str, Any], varying: list[str]) -> str:
    """``<matrix>-<value>-...`` for the parameters in ``varying``; a name longer than
    :data:`MAX_NAME` keeps its start and ends with a digest of the values (still stable).

    >>> report_name("risk_profile", {"country": "PAK", "as_of": "2024"}, ["country"])
    'risk_profile-PAK'
    """
    name = "-".join([matrix, *(value_slug(values[k]) for k in varying)])
    if len(name) > MAX_NAME:
        text = json.dumps({k: values[k] for k in varying}, sort_keys=True)
        name = f"{name[: MAX_NAME - 13]}-{hashlib.sha256(text.encode()).hexdigest()[:12]}"
    return name


def _shown(values: Mapping[str, Any]) -> str:
    return ", ".join(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in values.items())


def expand(
    file: Path, name: str, spec: Any, notebooks: Mapping[str, Path], plain
) -> list[dict[str, Any]]:
    """The reports of one ``[matrices.<name>]`` table, as :class:`~.reports.Report` fields;
    ConfigError, one line naming the file, the matrix and the key (or combination), for
    anything a render could not use. ``plain(value, where)`` refuses a value TOML types cannot
    give a notebook."""
    where = f"matrices.{name}"
    if not isinstance(spec, dict):
        raise ConfigError(f"{file}: {where}: must be a table ([{where}])")
    for key in spec:
        if key not in MATRIX_KEYS:
            raise ConfigError(
                f"{file}: {where}.{key}: unknown key; allowed: {', '.join(MATRIX_KEYS)}"
            )
    notebook = spec.get("notebook")
    if not isinstance(notebook, str) or notebook not in notebooks:
        raise ConfigError(
            f"{file}: {where}.notebook: unknown report {notebook!r}; notebooks: "
            f"{', '.join(notebooks) or '(none)'}"
        )
    fixed = spec.get("parameters", {})
    if not isinstance(fixed, dict):
        raise ConfigError(f"{file}: {where}.parameters: must be a table of name = value")
    for key, value in fixed.items():
        plain(value, f"{file}: {where}.parameters.{key}")
    combos, from_lists = _combinations(file, where, spec, plain)
    varying = [k for k in dict.fromkeys(k for c in combos for k in c) if _varies(combos, k)]
    if not varying and len(combos) > 1:
        raise ConfigError(f"{file}: {where}: its combinations are all the same")
    reports, seen = [], {}
    for i, combo in enumerate(combos, start=1):
        clash = sorted(set(combo) & set(fixed))
        if clash:
            raise ConfigError(
                f"{file}: {where}: parameter '{clash[0]}' is both in parameters and in the "
                "matrix; give it once"
            )
        values = {**fixed, **combo}
        report = report_name(name, combo, varying)
        described = f"combination {i} of {len(combos)} ({_shown(combo)}, report '{report}')"
        if report.lower() in seen:
            raise ConfigError(
                f"{file}: {where}: {described} has the same report name as combination "
                f"{seen[report.lower()]}; make their values differ in letters or digits"
            )
        seen[report.lower()] = i
        origins = {
            key: (
                f"{file}: {where}.matrix.{key}, {described}"
                if from_lists
                else f"{file}: {where}.combinations[{i - 1}].{key}, {described}"
            )
            for key in combo
        }
        origins.update({key: f"{file}: {where}.parameters.{key}" for key in fixed})
        reports.append(
            dict(
                name=report,
                notebook=notebooks[notebook],
                parameters=values,
                origin=f"{file}: {where}",
                matrix=name,
                varying=tuple(varying),
                origins=origins,
            )
        )
    return reports


def _varies(combos: list[dict], key: str) -> bool:
    values = [json.dumps(c.get(key), sort_keys=True) if key in c else None for c in combos]
    return len(set(values)) > 1


def _combinations(file: Path, where: str, spec: dict, plain) -> tuple[list[dict], bool]:
    """The combinations a matrix lists, and whether they came from ``matrix`` (lists)."""
    lists, listed = spec.get("matrix"), spec.get("combinations")
    if (lists is None) == (listed is None):
        raise ConfigError(
            f"{file}: {where}: give either matrix = {{ name = [values] }} or combinations = "
            "[{ name = value }, ...]"
        )
    if lists is not None:
        if not isinstance(lists, dict) or not lists:
            raise ConfigError(f"{file}: {where}.matrix: must be a table of name = [values]")
        for key, values in lists.items():
            if not isinstance(values, list) or not values:
                raise ConfigError(
                    f"{file}: {where}.matrix.{key}: must be a non-empty list of values (a list "
                    "parameter takes a list of lists)"
                )
            for n, value in enumerate(values):
                plain(value, f"{file}: {where}.matrix.{key}[{n}]")
            dupes = [v for v in values if values.count(v) > 1]
            if dupes:
                raise ConfigError(f"{file}: {where}.matrix.{key}: {dupes[0]!r} is listed twice")
        size = 1
        for values in lists.values():
            size *= len(values)
        _check_size(file, where, size)
        keys = list(lists)
        combos = [dict(zip(keys, c, strict=True)) for c in itertools.product(*lists.values())]
        return combos, True
    if not isinstance(listed, list) or not listed:
        raise ConfigError(f"{file}: {where}.combinations: must be a non-empty list of tables")
    _check_size(file, where, len(listed))
    seen: dict[str, int] = {}
    for n, combo in enumerate(listed):
        if not isinstance(combo, dict) or not combo:
            raise ConfigError(
                f"{file}: {where}.combinations[{n}]: must be a table {{ name = value, ... }}"
            )
        for key, value in combo.items():
            plain(value, f"{file}: {where}.combinations[{n}].{key}")
        text = json.dumps(combo, sort_keys=True)
        if text in seen:
            raise ConfigError(
                f"{file}: {where}.combinations[{n}]: the same as combinations[{seen[text]}]"
            )
        seen[text] = n
    return [dict(c) for c in listed], False


def _check_size(file: Path, where: str, size: int) -> None:
    if size > MAX_REPORTS:
        raise ConfigError(
            f"{file}: {where}: {size} combinations; a matrix renders at most {MAX_REPORTS}"
        )


def annotate(entry: dict, report: Any) -> None:
    """Record in a report's manifest entry the matrix it belongs to and the parameters that
    vary across it (the index's columns); remove them if it belongs to none."""
    if getattr(report, "matrix", None):
        entry["matrix"] = {"name": report.matrix, "varying": list(report.varying)}
    else:
        entry.pop("matrix", None)

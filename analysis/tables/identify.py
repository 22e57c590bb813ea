"""What a publisher's file is, from its columns; and one-line diagnoses of the usual mix-ups.

A user who brings their own data (``--data``, ``$AFGHAN_BRIEF_DATA``, ``data update --from``)
gives files by the publishers' names. The common mistakes are a neighbouring dataset (UCDP's
conflict-level battle-deaths file where the dyadic one belongs, the dyadic or event file where the
armed-conflict one belongs), a release whose columns were renamed, and a full release with rows
before 2015 for states the package's Gleditsch–Ward mapping lacks. Each gets one line that names
the file, where it came from (the option used) and what is expected, instead of one line per row.

Standard library only; used by the registry, the loaders and the updater.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..exceptions import Problem

# kind -> (columns that must all be present, columns that must all be absent)
SIGNATURES: dict[str, tuple[frozenset, frozenset]] = {
    "ucdp_country_year": (frozenset({"country_id_cy", "year_cy"}), frozenset()),
    "ucdp_brd": (frozenset({"dyad_id", "bd_best", "year"}), frozenset()),
    "ucdp_brd_conflict": (frozenset({"conflict_id", "bd_best", "year"}), frozenset({"dyad_id"})),
    "ucdp_dyadic": (
        frozenset({"dyad_id", "intensity_level", "year"}),
        frozenset({"bd_best"}),
    ),
    "ucdp_acd": (
        frozenset({"conflict_id", "intensity_level", "year"}),
        frozenset({"dyad_id", "bd_best"}),
    ),
    "ucdp_ged": (frozenset({"type_of_violence", "best", "latitude"}), frozenset()),
    "ucdp_actors": (frozenset({"ActorId", "NameData"}), frozenset()),
    "wdi": (frozenset({"country_code", "indicator_code", "year", "value"}), frozenset()),
    "wb_databank": (frozenset({"Country Code", "Series Code"}), frozenset()),
}

DESCRIPTIONS = {
    "ucdp_country_year": "the UCDP Country-Year Dataset on Organized Violence "
    "(organizedviolencecy-<version>-csv.zip)",
    "ucdp_brd": "the UCDP Battle-Related Deaths Dataset, dyadic version "
    "(ucdp-brd-dyadic-<version>-csv.zip)",
    "ucdp_brd_conflict": "the UCDP Battle-Related Deaths Dataset, conflict-level version "
    "(ucdp-brd-conf-<version>-csv.zip: one row per conflict, no dyad_id)",
    "ucdp_dyadic": "the UCDP Dyadic Dataset "
    "(ucdp-dyadic-<version>-csv.zip: dyads, no battle deaths)",
    "ucdp_acd": "the UCDP/PRIO Armed Conflict Dataset (ucdp-prio-acd-<version>-csv.zip)",
    "ucdp_ged": "the UCDP Georeferenced Event Dataset (one row per event)",
    "ucdp_actors": "the UCDP Actor Dataset (ucdp-actor-<version>-csv.zip)",
    "wdi": "World Bank indicators in the package's long format "
    "(country_code, indicator_code, year, value)",
    "wb_databank": "a World Bank DataBank export in wide format (one column per year)",
}

# the kind each table expects
EXPECTED = {
    "ucdp_country_year": "ucdp_country_year",
    "ucdp_acd": "ucdp_acd",
    "ucdp_brd": "ucdp_brd",
    "ucdp_actors": "ucdp_actors",
    "wdi": "wdi",
    "wdi_governance": "wdi",
}

FIRST_YEAR = 2015  # the package's scope: every shipped external table starts here


def identify(columns: Iterable[str]) -> str | None:
    """The kind of publisher's file these columns are, or None when none fits.

    >>> identify(["conflict_id", "dyad_id", "bd_best", "year", "side_a"])
    'ucdp_brd'
    >>> identify(["conflict_id", "bd_best", "year", "side_a"])
    'ucdp_brd_conflict'
    >>> identify(["a", "b"]) is None
    True
    """
    present = {str(c).strip() for c in columns}
    for kind, (must, must_not) in SIGNATURES.items():
        if must <= present and not (must_not & present):
            return kind
    return None


def shown(path: Path, data_dir: str | os.PathLike | None = None) -> str:
    """A file as a message names it: its path and the option that brought it in."""
    from .datadir import file_origin

    where = file_origin(path, data_dir)
    if where == "shipped":
        return path.name
    if where.startswith("installed"):
        return f"{path} ({where})"
    return f"{path} (given with {where})"


def diagnose(
    table: str,
    columns: list[str],
    path: Path,
    data_dir: str | os.PathLike | None = None,
    required: list[str] | None = None,
) -> Problem | None:
    """One problem when ``path`` is clearly not the table's dataset (``required``: the columns
    its schema needs), else None (the schema then reports column by column)."""
    expected = EXPECTED.get(table)
    if expected is None:
        return None
    required = list(required or [])
    actual = identify(columns)
    missing = _missing(required, columns)
    if actual == expected or (actual is None and len(missing) * 2 <= len(required)):
        return None
    want = DESCRIPTIONS[expected]
    if actual is not None:
        message = f"this is {DESCRIPTIONS[actual]}; expected {want}"
    else:
        message = (
            f"not {want} as this package reads it: {len(missing)} required columns are "
            f"missing ({', '.join(missing[:6])}{', ...' if len(missing) > 6 else ''}); "
            "a release with renamed columns, or another file"
        )
    return Problem(shown(path, data_dir), message)


def _missing(required: list[str], columns: list[str]) -> list[str]:
    present = {str(c).strip() for c in columns}
    return [c for c in required if c not in present]


def missing_codes_problem(
    table: str,
    years_by_code: Mapping[int, Iterable[int]],
    path: Path | None,
    data_dir: str | os.PathLike | None = None,
) -> Problem:
    """Every Gleditsch–Ward code of a UCDP file that ``country_codes.csv`` lacks, in one line,
    saying whether they come from rows before the package's first year."""
    codes = sorted(years_by_code)
    years = sorted({int(y) for ys in years_by_code.values() for y in ys})
    listed = ", ".join(str(c) for c in codes)
    name = shown(path, data_dir) if path is not None else table
    message = (
        f"{len(codes)} Gleditsch–Ward code{'s' if len(codes) > 1 else ''} not in "
        f"country_codes.csv: {listed}"
    )
    early = [y for y in years if y < FIRST_YEAR]
    if early:
        message += (
            f"; this release has rows from {years[0]} on and the package covers {FIRST_YEAR} "
            f"on: keep year >= {FIRST_YEAR} (`afghan-brief data update --from` does) or add "
            "the codes to a country_codes.csv beside the file"
        )
    else:
        message += "; add them to a country_codes.csv beside the file"
    return Problem(name, message)

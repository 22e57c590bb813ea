"""Small release files in the publishers' formats, built from the shipped tables for the tests:
UCDP zips (a CSV named as UCDP names it, a ``version`` column in every row) and World Bank API
pages (``[meta, records]`` JSON). Options add what a new release brings: rows before 2015 (the
scope filter drops them), a new year (appended), a revised past value, a renamed column."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

from analysis.tables.datadir import package_data_dir

SHIPPED = package_data_dir() / "external"

# table -> (shipped file pattern, member name template, year column, zip stem, folder)
UCDP_FILES = {
    "ucdp_country_year": (
        "ucdp_organized_violence_country_year_*.csv",
        "organizedviolencecy_v{v}.csv",
        "year_cy",
        "organizedviolencecy",
        "organizedviolencecy",
    ),
    "ucdp_acd": (
        "ucdp_prio_armed_conflict_*.csv",
        "UcdpPrioConflict_v{v}.csv",
        "year",
        "ucdp-prio-acd",
        "ucdpprio",
    ),
    "ucdp_brd": (
        "ucdp_battle_related_deaths_dyadic_*.csv",
        "BattleDeaths_v{v}.csv",
        "year",
        "ucdp-brd-dyadic",
        "brd",
    ),
    "ucdp_actors": ("ucdp_actor_list_*.csv", "ucdp-actor-{v}.csv", None, "ucdp-actor", "actor"),
}


def _read(pattern: str) -> tuple[list[str], list[list[str]]]:
    (path,) = SHIPPED.glob(pattern)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def ucdp_csv(
    table: str,
    release: str,
    *,
    new_year: bool = False,
    early_rows: int = 0,
    revise: tuple[str, int, int] | None = None,
    rename: tuple[str, str] | None = None,
    drop_after: int | None = None,
    drop_one_in: int | None = None,
) -> tuple[str, str]:
    """(member name, CSV text) of a UCDP release built from the shipped table.

    ``new_year``: the last year's rows again for the year after (values +1 in ``bd_best`` /
    deaths columns untouched); ``early_rows``: that many rows copied to 2010; ``revise``:
    (column, year, delta) added to that column in every row of that year; ``rename``:
    (old, new) header; ``drop_after``: keep rows up to that year (an older release);
    ``drop_one_in``: remove the first row of that year (a past year revised)."""
    pattern, member, year_col, _, _ = UCDP_FILES[table]
    header, rows = _read(pattern)
    vcol = header.index("version" if "version" in header else "Version")
    for row in rows:
        row[vcol] = release
    if year_col is not None:
        y = header.index(year_col)
        last = max(int(r[y]) for r in rows)
        if drop_after is not None:
            rows = [r for r in rows if int(r[y]) <= drop_after]
            last = drop_after
        if drop_one_in is not None:
            first = next(i for i, r in enumerate(rows) if int(r[y]) == drop_one_in)
            rows = rows[:first] + rows[first + 1 :]
        if revise is not None:
            column, year, delta = revise
            c = header.index(column)
            for row in rows:
                if int(row[y]) == year:
                    row[c] = str(int(row[c]) + delta)
        if new_year:
            rows += [[*r[:y], str(last + 1), *r[y + 1 :]] for r in rows if int(r[y]) == last]
        rows = [[*r[:y], "2010", *r[y + 1 :]] for r in rows[:early_rows]] + rows
    if rename is not None:
        header = [rename[1] if h == rename[0] else h for h in header]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, *rows])
    return member.format(v=release.replace(".", "_")), out.getvalue()


def ucdp_zip(table: str, release: str, **options) -> bytes:
    """The release zip's bytes, as UCDP serves ``<stem>-<vv><r>-csv.zip``."""
    name, text = ucdp_csv(table, release, **options)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, text.encode("utf-8"))
    return buffer.getvalue()


def zip_name(table: str, release: str) -> str:
    return f"{UCDP_FILES[table][3]}-{release.replace('.', '')}-csv.zip"


def zip_path(table: str, release: str) -> str:
    """The URL path of a release zip under the download site."""
    return f"/downloads/{UCDP_FILES[table][4]}/{zip_name(table, release)}"


def ucdp_index(release: str) -> bytes:
    """UCDP's download page, as far as the updater reads it: links to the CSV zips."""
    links = "\n".join(f'<a href="{zip_path(t, release)}">CSV</a>' for t in UCDP_FILES)
    older = "\n".join(f'<a href="{zip_path(t, "22.1")}">old</a>' for t in UCDP_FILES)
    return f"<html><body><h3>Downloads</h3>\n{links}\n{older}\n</body></html>".encode()


def worldbank_records(table: str) -> dict[str, list[dict]]:
    """indicator code -> API records for the shipped World Bank table."""
    pattern = {
        "wdi": "wdi_afghanistan_region_*.csv",
        "wdi_governance": "wdi_databank_governance_refugees_*.csv",
    }[table]
    header, rows = _read(pattern)
    at = {c: i for i, c in enumerate(header)}
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(r[at["indicator_code"]], []).append(
            {
                "indicator": {"id": r[at["indicator_code"]], "value": r[at["indicator_name"]]},
                "country": {"id": r[at["country_code"]][:2], "value": r[at["country_name"]]},
                "countryiso3code": r[at["country_code"]],
                "date": r[at["year"]],
                "value": float(r[at["value"]]),
                "unit": "",
                "obs_status": "",
                "decimal": 1,
            }
        )
    return out


def worldbank_page(records: list[dict], page: int, pages: int, lastupdated: str) -> bytes:
    """One page of the API's answer: the records split evenly over ``pages``."""
    size = max(1, -(-len(records) // pages))
    part = records[(page - 1) * size : page * size]
    meta = {
        "page": page,
        "pages": pages,
        "per_page": size,
        "total": len(records),
        "sourceid": "2",
        "lastupdated": lastupdated,
    }
    return json.dumps([meta, part]).encode()


def write_release_dir(target: Path, release: str, tables=tuple(UCDP_FILES), **options) -> Path:
    """A directory of UCDP release zips, as a user downloads them."""
    target.mkdir(parents=True, exist_ok=True)
    for table in tables:
        (target / zip_name(table, release)).write_bytes(ucdp_zip(table, release, **options))
    return target

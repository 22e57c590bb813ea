"""From a publisher's release file to a staged table: unpack, recognise, filter, describe.

A release file is a UCDP zip (or the CSV inside it), a CSV in the package's long World Bank
format, or a World Bank DataBank export (wide: one column per year). Each CSV is recognised by its
columns (:func:`analysis.tables.identify.identify`), not by its name, so a misnamed file is still
found and a neighbouring dataset (the conflict-level battle deaths, the dyadic or event files) is
named for what it is. Kept rows follow the shipped files' filter (:mod:`.publishers`); every
staged file is written with its provenance sidecar.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ...exceptions import DataError, FetchError, Problem
from ..identify import DESCRIPTIONS, FIRST_YEAR, identify
from .fetch import now, sha256_file
from .publishers import (
    CC_BY,
    COUNTRIES,
    GOVERNANCE_CODES,
    UCDP_BY_KIND,
    WORLDBANK_BY_TABLE,
    UcdpDataset,
    release_from_zip_name,
)

# a neighbouring dataset -> the table it is mistaken for
MIXUPS = {"ucdp_brd_conflict": "ucdp_brd", "ucdp_dyadic": "ucdp_brd", "ucdp_ged": None}


@dataclass
class Candidate:
    """One CSV found in a release file, recognised by its columns."""

    kind: str | None
    name: str  # the member's or file's name
    text: str
    origin: str  # where it came from, for messages: a URL or the user's path
    source_sha256: str
    url: str | None = None
    retrieved: str | None = None
    release_hint: str | None = None  # from the zip's name (UCDP)
    notes: list[str] = field(default_factory=list)


@dataclass
class Staged:
    """A table written into the staging directory, with its sidecar."""

    table: str
    path: Path
    release: str | None
    origin: str
    meta: dict


def read_release_file(
    path: Path, origin: str, *, url: str | None = None, retrieved: str | None = None
) -> list[Candidate]:
    """Every CSV in a zip (checked against its CRCs) or the CSV itself, recognised."""
    source_sha = sha256_file(path)
    hint = release_from_zip_name(Path(origin.split("?")[0]).name)
    if zipfile.is_zipfile(path):
        members = _zip_members(path, origin)
    elif path.suffix.lower() == ".zip" or (url and url.split("?")[0].endswith(".zip")):
        raise FetchError(f"{origin}: not a readable zip file (truncated or damaged download)")
    else:
        members = [(path.name, path.read_bytes())]
    out = []
    for name, raw in members:
        text, note = _decode(raw)
        kind = _kind(text)
        candidate = Candidate(
            kind, name, text, origin, source_sha, url, retrieved, hint or _name_release(name)
        )
        if note:
            candidate.notes.append(note)
        out.append(candidate)
    return out


def _zip_members(path: Path, origin: str) -> list[tuple[str, bytes]]:
    try:
        with zipfile.ZipFile(path) as archive:
            broken = archive.testzip()
            if broken is not None:
                raise FetchError(f"{origin}: checksum mismatch in {broken} (a damaged zip)")
            return [
                (Path(info.filename).name, archive.read(info))
                for info in archive.infolist()
                if info.filename.lower().endswith(".csv") and not info.is_dir()
            ]
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise FetchError(f"{origin}: not a readable zip file ({exc})") from None


def _decode(raw: bytes) -> tuple[str, str | None]:
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "converted from Latin-1 to UTF-8"


def _header(text: str) -> list[str]:
    try:
        return next(csv.reader(io.StringIO(text, newline="")))
    except (StopIteration, csv.Error):
        return []


def _kind(text: str) -> str | None:
    return identify(_header(text))


def _name_release(name: str) -> str | None:
    import re

    found = re.search(r"v(\d{2})_(\d)", name)
    return f"{found.group(1)}.{found.group(2)}" if found else None


def _rows(text: str) -> tuple[list[str], list[list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    return header, [row for row in reader if row]


def _write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def stage_ucdp(candidate: Candidate, dataset: UcdpDataset, staging: Path) -> Staged:
    """Filter a UCDP CSV to the package's scope and write it with its sidecar."""
    header, rows = _rows(candidate.text)
    release = _release_in_data(header, rows) or candidate.release_hint
    if release is None:
        raise DataError(
            [
                Problem(
                    candidate.origin,
                    f"{candidate.name}: no version column and no release "
                    "in the file name: cannot tell which UCDP release it is",
                )
            ]
        )
    if dataset.year_column is not None:
        at = header.index(dataset.year_column)
        kept = []
        for number, row in enumerate(rows, start=1):
            try:
                year = int(row[at])
            except (ValueError, IndexError):
                raise DataError(
                    [
                        Problem(
                            f"{candidate.origin}: {candidate.name}",
                            f"{row[at] if at < len(row) else ''!r} is not a year",
                            number,
                            dataset.year_column,
                        )
                    ]
                ) from None
            if year >= FIRST_YEAR:
                kept.append(row)
        if not kept:
            raise DataError(
                [
                    Problem(
                        f"{candidate.origin}: {candidate.name}",
                        f"no rows from {FIRST_YEAR} on: nothing in the package's scope",
                    )
                ]
            )
        years = [int(r[at]) for r in kept]
        first, last = min(years), max(years)
    else:
        kept, first, last = rows, None, None
    name = dataset.out.format(v=release.replace(".", "_"), first=first, last=last)
    path = staging / name
    _write_csv(path, header, kept)
    meta = {
        "file": name,
        "title": f"{dataset.title} v{release}",
        "publisher": "Uppsala Conflict Data Program (UCDP)"
        + (" and Peace Research Institute Oslo (PRIO)" if dataset.table == "ucdp_acd" else ""),
        "release": release,
        "url": candidate.url,
        "origin": candidate.origin,
        "member": candidate.name,
        "retrieved": candidate.retrieved,
        "source_sha256": candidate.source_sha256,
        "filter": dataset.filter + "".join(f"; {n}" for n in candidate.notes),
        "rows": len(kept),
        "licence": CC_BY,
        "citation": dataset.citation.format(title=dataset.title, release=release),
    }
    return _finish(dataset.table, path, release, candidate.origin, meta)


def _release_in_data(header: list[str], rows: list[list[str]]) -> str | None:
    for column in ("version", "Version"):
        if column in header:
            at = header.index(column)
            values = sorted({r[at].strip() for r in rows if at < len(r) and r[at].strip()})
            if len(values) == 1:
                return values[0]
    return None


def _finish(table: str, path: Path, release, origin: str, meta: dict) -> Staged:
    meta = {**meta, "sha256": sha256_file(path), "bytes": path.stat().st_size}
    meta.setdefault("installed", now())
    path.with_name(path.name + ".meta.json").write_text(
        json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return Staged(table, path, release, origin, meta)


def worldbank_table_of(codes: set[str]) -> str:
    """Which World Bank table a set of indicator codes belongs to."""
    return "wdi_governance" if codes & GOVERNANCE_CODES else "wdi"


def long_rows_from_csv(candidate: Candidate) -> list[dict]:
    """World Bank rows (country_name, country_code, indicator_code, indicator_name, year,
    value) from the package's long format or a DataBank wide export."""
    header, rows = _rows(candidate.text)
    out = []
    if candidate.kind == "wdi":
        at = {c: header.index(c) for c in header}
        for row in rows:
            out.append(
                {
                    c: row[at[c]]
                    for c in (
                        "country_name",
                        "country_code",
                        "indicator_code",
                        "indicator_name",
                        "year",
                        "value",
                    )
                }
            )
        return out
    at = {c: i for i, c in enumerate(header)}
    year_columns = [(c, c[:4]) for c in header if c[:4].isdigit()]
    for row in rows:
        if len(row) < len(header) or not row[at["Country Code"]].strip():
            continue  # DataBank's footer lines ("Data from database: ...")
        for column, year in year_columns:
            value = row[at[column]].strip()
            out.append(
                {
                    "country_name": row[at["Country Name"]],
                    "country_code": row[at["Country Code"]],
                    "indicator_code": row[at["Series Code"]],
                    "indicator_name": row[at.get("Series Name", at["Series Code"])],
                    "year": year,
                    "value": "" if value == ".." else value,
                }
            )
    return out


def stage_worldbank(
    table: str,
    rows: list[dict],
    staging: Path,
    *,
    origin: str,
    release: str | None,
    url: str | None,
    retrieved: str | None,
    source_sha256: str | None,
) -> Staged:
    """Keep the package's countries, years from 2015, non-empty values; write with a sidecar."""
    spec = WORLDBANK_BY_TABLE[table]
    kept = {}
    for row in rows:
        value = str(row["value"]).strip() if row["value"] is not None else ""
        if not value or row["country_code"] not in COUNTRIES:
            continue
        try:
            year = int(str(row["year"]).strip())
        except ValueError:
            raise DataError(
                [Problem(origin, f"{row['year']!r} is not a year", column="year")]
            ) from None
        if year < FIRST_YEAR:
            continue
        key = (row["country_code"], row["indicator_code"], year)
        kept[key] = [
            row["country_name"],
            row["country_code"],
            row["indicator_code"],
            row["indicator_name"],
            year,
            value,
        ]
    if not kept:
        raise DataError(
            [
                Problem(
                    origin,
                    f"no {spec.title} values for the package's countries from {FIRST_YEAR} on",
                )
            ]
        )
    ordered = [kept[k] for k in sorted(kept)]
    years = [r[4] for r in ordered]
    name = spec.out.format(first=min(years), last=max(years))
    path = staging / name
    _write_csv(
        path,
        ["country_name", "country_code", "indicator_code", "indicator_name", "year", "value"],
        ordered,
    )
    meta = {
        "file": name,
        "title": spec.title + (f" (last updated {release})" if release else ""),
        "publisher": "The World Bank",
        "release": release,
        "url": url,
        "origin": origin,
        "retrieved": retrieved,
        "source_sha256": source_sha256,
        "filter": f"countries {' '.join(COUNTRIES)}; year >= {FIRST_YEAR}; empty values dropped",
        "rows": len(ordered),
        "licence": CC_BY,
        "citation": spec.citation.format(release=release or "not stated"),
    }
    return _finish(table, path, release, origin, meta)


def mixup_problem(candidate: Candidate) -> Problem:
    """A neighbouring dataset given where one of the package's tables belongs: one line."""
    mistaken = MIXUPS.get(candidate.kind or "")
    expected = (
        DESCRIPTIONS[UCDP_BY_KIND[mistaken].kind] if mistaken else "a release the reports use"
    )
    return Problem(
        f"{candidate.origin}"
        + (f" ({candidate.name})" if candidate.name not in candidate.origin else ""),
        f"this is {DESCRIPTIONS[candidate.kind]}; expected {expected}",
    )

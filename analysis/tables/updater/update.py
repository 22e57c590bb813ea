"""``data update``: fetch (or take) the releases, stage them, validate the set, swap it in.

Steps, in order and visibly so: (1) get the release files — from the publishers (UCDP's current
release from its download page, or ``ucdp_release``; the World Bank's indicators page by page) or
from ``from_path`` (a directory or zip of files downloaded elsewhere); (2) stage each table,
filtered to the package's scope, with its sidecar; (3) complete the set with the active set's
other tables (or the shipped copies); (4) refuse a release older than the installed one; (5) stop
when nothing differs from the active set; (6) validate the staged set as ``validate`` does;
(7) make it the active set. A failure anywhere removes the staging directory and leaves the
store as it was.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ...exceptions import DataError, FetchError, Problem
from ..datadir import package_data_dir
from ..identify import DESCRIPTIONS
from .fetch import Fetcher, Progress, sha256_file
from .publishers import (
    UCDP,
    UCDP_BY_KIND,
    UCDP_INDEX,
    WORLDBANK,
    release_key,
    ucdp_base,
)
from .stage import (
    MIXUPS,
    Candidate,
    Staged,
    long_rows_from_csv,
    mixup_problem,
    read_release_file,
    stage_ucdp,
    stage_worldbank,
    worldbank_table_of,
)
from .store import SetInfo, Store
from .worldbank import fetch_table

EXTERNAL_TABLES = (
    "ucdp_country_year",
    "ucdp_acd",
    "ucdp_brd",
    "ucdp_actors",
    "wdi",
    "wdi_governance",
)


@dataclass
class UpdateResult:
    """What ``data update`` did."""

    store: Path
    installed: SetInfo | None  # the new active set; None when nothing changed
    active: SetInfo | None  # the active set after the update
    changes: list[str] = field(default_factory=list)  # "ucdp_acd: 25.1 -> 26.1"
    notes: list[str] = field(default_factory=list)
    downloaded: int = 0  # bytes
    requests: int = 0

    @property
    def changed(self) -> bool:
        return self.installed is not None


def update(
    data_dir: str | os.PathLike | None = None,
    *,
    from_path: str | os.PathLike | None = None,
    ucdp_release: str | None = None,
    timeout: float = 60.0,
    retries: int = 3,
    backoff: float = 1.0,
    progress: Progress | None = None,
) -> UpdateResult:
    """Install the current releases (or those in ``from_path``) into the store at ``data_dir``
    (default: the user's). Raises FetchError (exit 6), DataError (exit 3) or LockHeldError
    (exit 5), changing nothing."""
    store = Store(data_dir)
    with store.locked():
        staging = store.staging()
        try:
            fetcher = Fetcher(
                store.cache_dir,
                timeout=timeout,
                retries=retries,
                backoff=backoff,
                progress=progress,
            )
            with fetcher:
                notes: list[str] = []
                if from_path is not None:
                    staged = _from_files(Path(from_path).expanduser(), staging, notes)
                    source = f"--from {from_path}"
                else:
                    staged = _from_publishers(fetcher, staging, ucdp_release)
                    source = "publishers"
            result = _install(store, staging, staged, source, notes)
            result.downloaded, result.requests = fetcher.downloaded, fetcher.requests
            return result
        finally:
            shutil.rmtree(staging, ignore_errors=True)


# -- (1, 2) the release files ---------------------------------------------------------------


def current_ucdp_release(page: str, stem_pattern: re.Pattern, index_url: str) -> str:
    """The newest release the download page links for one dataset (``"25.1"``)."""
    found = sorted(set(stem_pattern.findall(page)), key=lambda v: (int(v[:2]), int(v[2:])))
    if not found:
        raise FetchError(
            f"UCDP download page lists no {stem_pattern.pattern} link: {index_url} (the page "
            "changed?); give the release with --ucdp-release, e.g. 25.1; nothing was changed"
        )
    latest = found[-1]
    return f"{latest[:2]}.{latest[2:]}"


def _from_publishers(fetcher: Fetcher, staging: Path, ucdp_release: str | None) -> list[Staged]:
    staged = []
    index = f"{ucdp_base()}/{UCDP_INDEX}"
    page = ""
    if ucdp_release is None:
        got = fetcher.get(index, "UCDP download page")
        page = got.path.read_text(encoding="utf-8", errors="replace")
    for dataset in UCDP:
        release = ucdp_release or current_ucdp_release(page, dataset.link_pattern(), index)
        url = dataset.url(release)
        got = fetcher.get(url, dataset.zip_name(release))
        candidates = read_release_file(got.path, url, url=url, retrieved=got.retrieved)
        match = [c for c in candidates if c.kind == dataset.kind]
        if not match:
            wrong = [c for c in candidates if c.kind in MIXUPS]
            if wrong:
                raise DataError([mixup_problem(wrong[0])])
            raise DataError([_unrecognised(url, candidates, dataset.table)])
        staged.append(stage_ucdp(match[0], dataset, staging))
    for spec in WORLDBANK:
        got = fetch_table(fetcher, spec)
        staged.append(
            stage_worldbank(
                spec.table,
                got.rows,
                staging,
                origin=got.url,
                release=got.release,
                url=got.url,
                retrieved=got.retrieved,
                source_sha256=got.source_sha256,
            )
        )
    return staged


def _unrecognised(url: str, candidates: list[Candidate], table: str) -> Problem:
    """A release zip whose CSV is not the dataset as the package reads it: which columns lack."""
    from ..catalog import get_spec
    from .stage import _header

    if not candidates:
        return Problem(url, f"holds no CSV file; expected {DESCRIPTIONS[table]}")
    required = [str(c) for c in get_spec(table).schema.columns]
    c = candidates[0]
    header = set(_header(c.text))
    missing = [col for col in required if col not in header]
    return Problem(
        url,
        f"{c.name} is not {DESCRIPTIONS[table]} as this package reads it: required column"
        f"{'s' if len(missing) > 1 else ''} missing: {', '.join(missing[:8]) or 'none'} "
        "(a release with renamed columns?)",
    )


def _from_files(path: Path, staging: Path, notes: list[str]) -> list[Staged]:
    if not path.exists():
        raise DataError([Problem(str(path), "--from: no such file or directory")])
    files = (
        sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in (".zip", ".csv"))
        if path.is_dir()
        else [path]
    )
    _check_sums(path, files)
    candidates: list[Candidate] = []
    for file in files:
        candidates += read_release_file(file, str(file))
    by_kind: dict[str, list[Candidate]] = {}
    for c in candidates:
        by_kind.setdefault(c.kind or "", []).append(c)
    staged = []
    for kind, dataset in UCDP_BY_KIND.items():
        found = by_kind.get(kind, [])
        if len(found) > 1:
            names = ", ".join(f"{c.origin} ({c.name})" for c in found)
            message = f"several files are {DESCRIPTIONS[kind]}: {names}"
            raise DataError([Problem(str(path), message)])
        if found:
            staged.append(stage_ucdp(found[0], dataset, staging))
    for kind, mistaken in MIXUPS.items():
        for c in by_kind.get(kind, []):
            if mistaken is None or mistaken in {s.table for s in staged}:
                notes.append(f"ignored {c.origin} ({c.name}): {DESCRIPTIONS[kind]}")
            else:
                raise DataError([mixup_problem(c)])
    rows_by_table: dict[str, list[dict]] = {}
    origins: dict[str, list[Candidate]] = {}
    for c in by_kind.get("wdi", []) + by_kind.get("wb_databank", []):
        rows = long_rows_from_csv(c)
        table = worldbank_table_of({r["indicator_code"] for r in rows})
        rows_by_table.setdefault(table, []).extend(rows)
        origins.setdefault(table, []).append(c)
    for table, rows in rows_by_table.items():
        found = origins[table]
        staged.append(
            stage_worldbank(
                table,
                rows,
                staging,
                origin=", ".join(c.origin for c in found),
                release=None,
                url=None,
                retrieved=None,
                source_sha256=",".join(c.source_sha256 for c in found),
            )
        )
    for c in by_kind.get("", []):
        notes.append(f"ignored {c.origin} ({c.name}): not a release file the package reads")
    if not staged:
        raise DataError(
            [
                Problem(
                    str(path),
                    "--from: no release file the package reads (UCDP country-year, "
                    "armed conflict, battle-related deaths dyadic, actor list; World Bank "
                    "indicators in long format or a DataBank export)",
                )
            ]
        )
    return staged


def _check_sums(path: Path, files: list[Path]) -> None:
    """A ``SHA256SUMS`` file beside the release files (``sha256sum`` format) must match them."""
    sums = (path if path.is_dir() else path.parent) / "SHA256SUMS"
    if not sums.is_file():
        return
    for line in sums.read_text(encoding="utf-8").splitlines():
        parts = line.strip().split()
        if len(parts) != 2:
            continue
        digest, name = parts[0].lower(), parts[1].lstrip("*")
        target = sums.parent / name
        if target in files and sha256_file(target) != digest:
            raise FetchError(f"{target}: checksum mismatch with SHA256SUMS; nothing was changed")


# -- (3 to 7) complete, compare, validate, install ---------------------------------------------


def _base_files(store: Store) -> tuple[dict[str, Path], str]:
    """The active set's file for each external table (else the shipped copies)."""
    from ..catalog import get_spec

    active = store.active()
    out = {}
    for table in EXTERNAL_TABLES:
        spec = get_spec(table)
        where = active.path if active is not None else package_data_dir() / spec.subdir
        matches = sorted(where.glob(spec.pattern))
        if len(matches) == 1:
            out[table] = matches[0]
    return out, (f"installed set {active.id}" if active else "shipped")


def _release_of(path: Path) -> str | None:
    """A file's release: its sidecar's, else the UCDP version column of its first row."""
    import csv

    side = path.with_name(path.name + ".meta.json")
    try:
        release = json.loads(side.read_text(encoding="utf-8")).get("release")
        if release:
            return str(release)
    except (OSError, ValueError):
        pass
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        first = next(reader, None) or {}
    return first.get("version") or first.get("Version")


def _install(
    store: Store, staging: Path, staged: list[Staged], source: str, notes: list[str]
) -> UpdateResult:
    base, base_name = _base_files(store)
    new = {s.table: s for s in staged}
    changes = []
    for table, s in new.items():
        old_path = base.get(table)
        old = _release_of(old_path) if old_path else None
        if old and s.release and release_key(s.release) < release_key(old):
            raise DataError(
                [
                    Problem(
                        s.origin,
                        f"release {s.release} of {table} is older than the installed "
                        f"{old} ({base_name}): nothing was changed (use `afghan-brief "
                        "data rollback` to go back)",
                    )
                ]
            )
        if old_path is None or sha256_file(old_path) != s.meta["sha256"]:
            what = f"{old or 'unversioned'} -> {s.release or 'unversioned'}"
            changes.append(
                f"{table}: {what}"
                if old != s.release
                else f"{table}: {what} (same release, contents changed)"
            )
    if not changes:
        return UpdateResult(store.root, None, store.active(), [], notes)
    for table, path in base.items():  # the tables this update did not bring
        if table not in new:
            shutil.copy2(path, staging / path.name)
            side = path.with_name(path.name + ".meta.json")
            if side.is_file():
                shutil.copy2(side, staging / side.name)
    _validate(staging, staged)
    record = {
        "created": staged[0].meta.get("installed"),
        "source": source,
        "tables": {
            s.table: {k: s.meta.get(k) for k in ("file", "release", "sha256", "url", "retrieved")}
            for s in staged
        },
        "changes": changes,
    }
    installed = store.install(staging, record)
    return UpdateResult(store.root, installed, installed, changes, notes)


def _validate(staging: Path, staged: list[Staged]) -> None:
    """The staged set checked as ``afghan-brief validate`` checks a data directory; problems are
    named by the file the user gave or the URL, in one line."""
    from ..validate import validate_data

    problems = validate_data(staging).problems
    if not problems:
        return
    first = problems[0]
    for s in staged:
        if s.path.name in first.file:
            first = Problem(f"{s.origin} ({s.table})", first.message, first.row, first.column)
            break
    else:
        first = Problem(
            first.file.replace(str(staging), "<staged set>"), first.message, first.row, first.column
        )
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    raise DataError(
        [
            Problem(
                first.file, first.message + more + "; nothing was changed", first.row, first.column
            )
        ]
    )

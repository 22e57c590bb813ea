"""What release of each external dataset is loaded: name, version, years, retrieval, citation.

Every chart note, hover and sentence that names a dataset, its version or its last year takes
them from here, never from typed text: :func:`dataset_info` reads the file a table resolves to
(and the provenance sidecar ``<file>.meta.json`` beside it), :func:`loaded_info` the file this
process last loaded for the table (what a notebook's charts drew from). The version comes from
the data itself where the publisher puts it in every row (UCDP's ``version`` column), else from
the sidecar (the World Bank's "last updated" date); what neither states stays None.

>>> cy = dataset_info("ucdp_country_year")
>>> cy.version, cy.first_year, cy.last_year
('25.1', 2015, 2024)
>>> cy.label
'UCDP Country-Year Dataset on Organized Violence v25.1 (Davies et al. 2025, CC BY 4.0)'
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from .. import files
from .catalog import get_spec
from .datadir import file_origin
from .registry import last_loaded, read_validated

# the tables that come from a publisher, with their dataset name and short name
DATASETS = {
    "ucdp_country_year": ("UCDP Country-Year Dataset on Organized Violence", "UCDP country-year"),
    "ucdp_acd": ("UCDP/PRIO Armed Conflict Dataset", "UCDP/PRIO ACD"),
    "ucdp_brd": ("UCDP Battle-Related Deaths, dyadic", "UCDP BRD"),
    "ucdp_actors": ("UCDP Actor Dataset", "UCDP Actors"),
    "wdi": ("World Development Indicators", "World Bank WDI"),
    "wdi_governance": ("World Bank DataBank: governance (WGI) and refugees", "World Bank WGI"),
}
_YEAR_COLUMNS = ("year_cy", "year")
_VERSION_COLUMNS = ("version", "Version")


@dataclass(frozen=True)
class DatasetInfo:
    """One loaded dataset's release facts; None where neither data nor sidecar states it."""

    table: str
    name: str
    short: str
    version: str | None
    first_year: int | None
    last_year: int | None
    retrieved: str | None  # ISO time the file was fetched from its publisher
    citation: str | None
    licence: str | None
    url: str | None
    file: str
    sha256: str | None
    origin: str  # "shipped", "installed set <id>", "--data", "$AFGHAN_BRIEF_DATA"

    @property
    def versioned(self) -> str:
        """``UCDP BRD v24.1`` (the short name, with the version when known)."""
        return f"{self.short} v{self.version}" if self.version else self.short

    @property
    def years(self) -> str:
        """``2015–2024`` (or ``""`` for a lookup table without years)."""
        if self.first_year is None:
            return ""
        return f"{self.first_year}–{self.last_year}"

    @property
    def label(self) -> str:
        """The source line of a chart: name, version, short citation and licence."""
        name = f"{self.name} v{self.version}" if self.version else self.name
        extra = [x for x in (short_citation(self.citation), _licence(self.licence)) if x]
        return f"{name} ({', '.join(extra)})" if extra else name

    @property
    def retrieved_text(self) -> str:
        if self.retrieved:
            return f"retrieved {self.retrieved[:10]}"
        return "retrieval date not recorded" + (
            " (the package's snapshot)" if self.sha256 and not self.url_fetched else ""
        )

    @property
    def url_fetched(self) -> bool:
        """The file was fetched by ``data update`` (its sidecar records a download URL)."""
        return bool(self.url) and str(self.url).startswith("http") and " " not in str(self.url)

    def as_record(self) -> dict:
        """JSON-safe, for manifests and reads logs."""
        return asdict(self)


def sidecar_of(path: Path) -> dict:
    """The provenance sidecar beside a data file (``{}`` when there is none or it is unreadable)."""
    side = path.with_name(path.name + ".meta.json")
    try:  # by type before opening: a FIFO named like a sidecar must not block
        data = json.loads(files.read_text(side, cap=files.CONFIG_CAP, what="a sidecar"))
    except (files.Refused, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def dataset_info(table: str, data_dir: str | os.PathLike | None = None) -> DatasetInfo:
    """The release facts of ``table`` as ``data_dir`` (else ``$AFGHAN_BRIEF_DATA``, the installed
    set, the shipped copy) resolves it."""
    spec = get_spec(table)
    return _info(table, spec.path(data_dir), data_dir)


def loaded_info(table: str) -> DatasetInfo:
    """The release facts of the file this process last loaded for ``table`` (what a report's
    frames hold); the default resolution when it loaded none yet."""
    path, data_dir = last_loaded(table)
    if path is None:
        return dataset_info(table)
    return _info(table, path, data_dir)


_INFO_CACHE: dict[tuple, DatasetInfo] = {}


def _info(table: str, path: Path, data_dir) -> DatasetInfo:
    stat = path.stat()
    key = (table, str(path), stat.st_mtime_ns, stat.st_size, str(data_dir))
    if key in _INFO_CACHE:
        return _INFO_CACHE[key]
    spec = get_spec(table)
    meta = sidecar_of(path)
    raw = read_validated(spec, data_dir, path=path)
    version = _data_version(raw) or meta.get("release") or meta.get("last_updated")
    years = next((raw[c] for c in _YEAR_COLUMNS if c in raw), None)
    name, short = DATASETS.get(table, (meta.get("title") or table, table))
    info = DatasetInfo(
        table=table,
        name=name,
        short=short,
        version=str(version) if version else None,
        first_year=int(years.min()) if years is not None and len(years) else None,
        last_year=int(years.max()) if years is not None and len(years) else None,
        retrieved=meta.get("retrieved"),
        citation=meta.get("citation"),
        licence=meta.get("licence"),
        url=meta.get("url") or meta.get("upstream"),
        file=path.name,
        sha256=meta.get("sha256"),
        origin=file_origin(path, data_dir),
    )
    _INFO_CACHE[key] = info
    return info


def _data_version(raw) -> str | None:
    for column in _VERSION_COLUMNS:
        if column in raw:
            values = sorted({str(v).strip() for v in raw[column].dropna()})
            return ", ".join(values) if values else None
    return None


def _licence(licence: str | None) -> str | None:
    if not licence:
        return None
    return licence.split(" (")[0]


_YEAR = re.compile(r"\((\d{4})\)")


def short_citation(citation: str | None) -> str | None:
    """``Davies et al. 2025`` from a full citation ``Davies, Shawn, ... (2025). Title ...``; the
    first work's authors when several are cited.

    >>> short_citation("Davies, Shawn, Therése Pettersson & Magnus Öberg (2025). Organized ...")
    'Davies et al. 2025'
    >>> short_citation("Gleditsch, Nils & Håvard Strand (2002). Armed ... And: Davies (2025)")
    'Gleditsch et al. 2002; Davies 2025'
    >>> short_citation("World Bank, WDI; WGI: Kaufmann, Daniel, Aart Kraay & M. M. (2010). The")
    'Kaufmann et al. 2010'
    >>> short_citation("Uppsala Conflict Data Program, UCDP Actor Dataset version 22.1.") is None
    True
    """
    if not citation:
        return None
    parts = []
    for work in re.split(r"\bAnd:\s*", citation):
        year = _YEAR.search(work)
        if not year:
            continue
        authors = re.split(r"[;:]", work[: year.start()])[-1].strip()
        surname = authors.split(",")[0].split(" & ")[0].strip()
        several = "&" in authors or authors.count(",") > 1
        parts.append(f"{surname}{' et al.' if several else ''} {year.group(1)}")
    return "; ".join(parts) or None


def mixed_vintages(infos: list[DatasetInfo]) -> str | None:
    """One sentence when datasets shown together end in different years (BRD to 2023 with the
    country-year file to 2024), else None."""
    dated = [i for i in infos if i.last_year is not None]
    if len({i.last_year for i in dated}) < 2:
        return None
    parts = ", ".join(f"{i.versioned} ends in {i.last_year}" for i in dated)
    latest = max(i.last_year for i in dated)
    short = [i.versioned for i in dated if i.last_year < latest]
    return (
        f"Mixed data vintages: {parts}. Figures from {' and '.join(short)} stop before "
        f"{latest}: a missing later year is not covered by that release, not zero."
    )


class Markdown(str):
    """Text that Jupyter shows as Markdown when it is a cell's last expression."""

    def _repr_markdown_(self) -> str:
        return str(self)


def sources_note(tables: list[str], data_dir: str | os.PathLike | None = None) -> Markdown:
    """A report's data sources as Markdown: each dataset with its version, years, retrieval
    date, licence and citation, and a warning when their vintages are mixed."""
    infos = [dataset_info(t, data_dir) for t in tables]
    lines = ["**Data sources** (read from the loaded files and their provenance records):", ""]
    for i in infos:
        years = f", {i.years}" if i.years else ""
        lines.append(
            f"- {i.name}{f' version {i.version}' if i.version else ''}{years}; "
            f"{i.retrieved_text}; {_licence(i.licence) or 'licence not recorded'}; "
            f"{i.citation or 'citation not recorded'} (`{i.file}`, {i.origin})"
        )
    warning = mixed_vintages(infos)
    if warning:
        lines += ["", f"> ⚠ **Warning.** {warning}"]
    return Markdown("\n".join(lines))

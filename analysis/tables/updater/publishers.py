"""Where each external table comes from, and the package's scope: what is kept of a release.

UCDP publishes each dataset as a versioned zip on its download site; the URL pattern per dataset is
the one owid/etl's snapshot metadata records (``snapshots/war/<date>/ucdp_*.zip.dvc``,
``url_download``): ``https://ucdp.uu.se/downloads/<folder>/<name>-<vv><r>-csv.zip`` for release
``vv.r``. The current release is read from the download page's links. The World Bank serves its
indicators through the v2 API as paged JSON (``[{page, pages, ..., lastupdated}, [records]]``):
World Development Indicators are source 2, the Worldwide Governance Indicators source 3.

The scope is the shipped files' (``seeds/external/*.meta.json`` ``filter``): UCDP rows from 2015
on, every country and column; the actor list whole; World Bank values for 14 countries and
aggregates from 2015 on, empty values dropped.

Base URLs can be pointed at a mirror with ``$AFGHAN_BRIEF_UCDP_URL`` and
``$AFGHAN_BRIEF_WORLDBANK_URL`` (the tests serve release files from a local server that way).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass

from ..identify import FIRST_YEAR

UCDP_BASE = "https://ucdp.uu.se/downloads"
WORLDBANK_BASE = "https://api.worldbank.org/v2"
UCDP_ENV = "AFGHAN_BRIEF_UCDP_URL"
WORLDBANK_ENV = "AFGHAN_BRIEF_WORLDBANK_URL"

CC_BY = "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"


def ucdp_base() -> str:
    return os.environ.get(UCDP_ENV, UCDP_BASE).rstrip("/")


def worldbank_base() -> str:
    return os.environ.get(WORLDBANK_ENV, WORLDBANK_BASE).rstrip("/")


@dataclass(frozen=True)
class UcdpDataset:
    """One UCDP dataset: its table, its zip's place on the download site, what is kept."""

    table: str
    kind: str  # the identify() kind of its CSV
    folder: str  # path under the download site
    stem: str  # "ucdp-prio-acd": the zip is <stem>-<vv><r>-csv.zip
    title: str
    out: str  # installed file name; {v} = "25_1", {first}/{last} = years kept
    year_column: str | None  # rows kept from FIRST_YEAR on; None: the file is kept whole
    citation: str  # generic; a release's journal article is named in its codebook

    def zip_name(self, release: str) -> str:
        return f"{self.stem}-{release.replace('.', '')}-csv.zip"

    def url(self, release: str, base: str | None = None) -> str:
        return f"{base or ucdp_base()}/{self.folder}/{self.zip_name(release)}"

    def link_pattern(self) -> re.Pattern:
        """Links to this dataset's CSV zips on the download page; group 1 is the release."""
        return re.compile(rf"{re.escape(self.stem)}-(\d{{2}}\d)-csv\.zip")

    @property
    def filter(self) -> str:
        if self.year_column is None:
            return "none: every record kept (converted to UTF-8 if it was not)"
        return f"{self.year_column} >= {FIRST_YEAR}; all countries; all columns; LF line endings"


_UCDP_CITE = (
    "Uppsala Conflict Data Program (UCDP), {title}, version {release}, Department of Peace and "
    "Conflict Research, Uppsala University, https://ucdp.uu.se/downloads/ (cite also the "
    "release's Journal of Peace Research article named in its codebook)."
)


UCDP = (
    UcdpDataset(
        "ucdp_country_year",
        "ucdp_country_year",
        "organizedviolencecy",
        "organizedviolencecy",
        "UCDP Country-Year Dataset on Organized Violence",
        "ucdp_organized_violence_country_year_v{v}_{first}_{last}.csv",
        "year_cy",
        _UCDP_CITE,
    ),
    UcdpDataset(
        "ucdp_acd",
        "ucdp_acd",
        "ucdpprio",
        "ucdp-prio-acd",
        "UCDP/PRIO Armed Conflict Dataset",
        "ucdp_prio_armed_conflict_v{v}_{first}_{last}.csv",
        "year",
        _UCDP_CITE,
    ),
    UcdpDataset(
        "ucdp_brd",
        "ucdp_brd",
        "brd",
        "ucdp-brd-dyadic",
        "UCDP Battle-Related Deaths Dataset, dyadic",
        "ucdp_battle_related_deaths_dyadic_v{v}_{first}_{last}.csv",
        "year",
        _UCDP_CITE,
    ),
    UcdpDataset(
        "ucdp_actors",
        "ucdp_actors",
        "actor",
        "ucdp-actor",
        "UCDP Actor Dataset",
        "ucdp_actor_list_v{v}.csv",
        None,
        _UCDP_CITE,
    ),
)
UCDP_BY_TABLE = {d.table: d for d in UCDP}
UCDP_BY_KIND = {d.kind: d for d in UCDP}
UCDP_INDEX = "index.html"


# the World Bank's countries and aggregates the reports use (as the shipped files)
COUNTRIES = (
    *("AFG", "PAK", "IRN", "CHN", "RUS", "TJK", "UZB", "TKM", "KGZ", "KAZ", "IND", "USA"),
    *("WLD", "SAS"),
)


@dataclass(frozen=True)
class WorldBankTable:
    """One World Bank table: which series, from which API source, written where."""

    table: str
    title: str
    series: tuple[tuple[str, int], ...]  # (indicator code, API source id)
    out: str  # {first}/{last}: years kept
    citation: str


WDI_SERIES = (
    *("FI.RES.TOTL.CD", "DT.ODA.ODAT.CD", "DT.ODA.ODAT.GN.ZS", "DT.ODA.ODAT.PC.ZS"),
    *("NY.GDP.MKTP.CD", "NY.GDP.MKTP.KD.ZG", "NY.GDP.PCAP.CD", "SP.POP.TOTL", "DT.DOD.DIMF.CD"),
    *("DT.DOD.DECT.CD", "BX.TRF.PWKR.CD.DT", "FP.CPI.TOTL.ZG", "PA.NUS.FCRF"),
    *("MS.MIL.XPND.GD.ZS", "SM.POP.REFG", "SM.POP.REFG.OR", "VC.IHR.PSRC.P5"),
)


WORLDBANK = (
    WorldBankTable(
        "wdi",
        "World Development Indicators",
        tuple((code, 2) for code in WDI_SERIES),
        "wdi_afghanistan_region_{first}_{last}.csv",
        "World Bank, World Development Indicators (last updated {release}), CC BY 4.0, "
        "via the World Bank Indicators API (api.worldbank.org/v2).",
    ),
    WorldBankTable(
        "wdi_governance",
        "World Bank governance (WGI) and refugees",
        (("PV.EST", 3), ("GE.EST", 3), ("CC.EST", 3), ("SM.POP.RHCR.EO", 2)),
        "wdi_databank_governance_refugees_{first}_{last}.csv",
        "World Bank, World Development Indicators and Worldwide Governance Indicators (last "
        "updated {release}); WGI: Kaufmann, Daniel, Aart Kraay & Massimo Mastruzzi (2010). The "
        "Worldwide Governance Indicators: Methodology and Analytical Issues. World Bank Policy "
        "Research Working Paper 5430.",
    ),
)
WORLDBANK_BY_TABLE = {t.table: t for t in WORLDBANK}
GOVERNANCE_CODES = frozenset({"PV.EST", "GE.EST", "CC.EST"})


def worldbank_url(code: str, source: int, page: int = 1, base: str | None = None) -> str:
    """The API URL of one page of an indicator for the package's countries and years."""
    last = dt.date.today().year
    return (
        f"{base or worldbank_base()}/country/{';'.join(COUNTRIES)}/indicator/{code}"
        f"?format=json&source={source}&date={FIRST_YEAR}:{last}&per_page=1000&page={page}"
    )


def release_key(release: str | None) -> tuple:
    """A release as a sortable key: ``"25.1"`` -> (25, 1); ``"2025-07-01"`` -> (2025, 7, 1).

    >>> release_key("24.1") < release_key("25.1") < release_key("25.2")
    True
    """
    if not release:
        return ()
    return tuple(int(p) for p in re.findall(r"\d+", release))


def release_from_zip_name(name: str) -> str | None:
    """``ucdp-prio-acd-251-csv.zip`` -> ``"25.1"`` (None for any other name)."""
    found = re.search(r"-(\d{2})(\d)-csv\.zip$", name)
    return f"{found.group(1)}.{found.group(2)}" if found else None

"""The World Bank context of an aid-dependent economy: WDI series (reserves, aid, growth, IMF
credit) for Afghanistan and comparison countries, and the years each series does not report.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..exceptions import DataError, ParameterError, Problem
from .common import AFG, FIRST_YEAR, NO_DATA, _last_year, _require

RESERVES = "FI.RES.TOTL.CD"


ODA_LEVEL = "DT.ODA.ODAT.CD"


ODA_SHARE = "DT.ODA.ODAT.GN.ZS"


GDP_GROWTH = "NY.GDP.MKTP.KD.ZG"


IMF_CREDIT = "DT.DOD.DIMF.CD"


IMF_CAVEAT = (
    "Use of IMF credit (DT.DOD.DIMF.CD) includes SDR allocations (World Bank metadata): "
    "the 2021 jump reflects the August 2021 general SDR allocation, not new lending."
)


_WDI_COLUMNS = ("country_code", "country_name", "indicator_code", "year", "value")


def wdi_series(
    wdi: pd.DataFrame,
    indicator: str,
    countries: Sequence[str] = (AFG,),
    *,
    as_of=None,
    first_year: int = FIRST_YEAR,
    last_year: int | None = None,
) -> pd.DataFrame:
    """One WDI indicator for the given countries, one row per country and year, gaps kept.

    The years run from ``first_year`` to ``last_year`` (default: the last year any country reports
    the indicator), capped at the last year complete on ``as_of``. A year a country does not report
    has ``value`` NaN, ``reported`` False and ``status`` "no data reported": it is a gap, not zero.

    Columns: country_code, country_name, indicator_code, indicator_name, year, value, reported,
    status. Raises DataError when the indicator is absent, ParameterError for a country code the
    table does not have.
    """
    _require(wdi, _WDI_COLUMNS, "wdi")
    rows = wdi.loc[wdi["indicator_code"] == indicator]
    if rows.empty:
        raise DataError(
            [Problem("wdi table", f"indicator {indicator} has no rows", column="indicator_code")]
        )
    countries = list(dict.fromkeys(countries))
    names = wdi.drop_duplicates("country_code").set_index("country_code")["country_name"]
    unknown = [c for c in countries if c not in names.index]
    if unknown:
        raise ParameterError(
            f"unknown country code(s) {', '.join(map(repr, unknown))}; the WDI table has: "
            + ", ".join(sorted(map(str, names.index)))
        )
    name = str(rows["indicator_name"].iloc[0]) if "indicator_name" in rows else indicator
    years = rows["year"].astype(int)
    end = int(years.max()) if last_year is None else int(last_year)
    complete = _last_year(as_of)
    if complete is not None:
        end = min(end, complete)
    grid = pd.MultiIndex.from_product(
        [countries, range(first_year, end + 1)], names=["country_code", "year"]
    ).to_frame(index=False)
    values = rows.assign(year=years)[["country_code", "year", "value"]]
    out = grid.merge(values, on=["country_code", "year"], how="left")
    out["value"] = out["value"].astype(float)
    out["country_name"] = out["country_code"].map(names).astype(str)
    out["indicator_code"] = indicator
    out["indicator_name"] = name
    out["reported"] = out["value"].notna()
    out["status"] = np.where(out["reported"], "reported", NO_DATA)
    order = {c: i for i, c in enumerate(countries)}
    out = out.sort_values(
        ["country_code", "year"], key=lambda s: s.map(order) if s.name == "country_code" else s
    )
    return out[
        [
            "country_code",
            "country_name",
            "indicator_code",
            "indicator_name",
            "year",
            "value",
            "reported",
            "status",
        ]
    ].reset_index(drop=True)


def _countries(compare: Sequence[str] | None) -> list[str]:
    return [AFG, *[c for c in (compare or ()) if c != AFG]]


def reserves(wdi: pd.DataFrame, compare: Sequence[str] = (), *, as_of=None) -> pd.DataFrame:
    """Total reserves incl. gold (FI.RES.TOTL.CD, current USD) for Afghanistan and ``compare``,
    2015 to the table's last year: Afghanistan reports 2015–2020, then a gap (no data reported)."""
    return wdi_series(wdi, RESERVES, _countries(compare), as_of=as_of)


def net_oda(wdi: pd.DataFrame, compare: Sequence[str] = (), *, as_of=None) -> pd.DataFrame:
    """Net ODA received, as a level (DT.ODA.ODAT.CD, current USD) and as % of GNI
    (DT.ODA.ODAT.GN.ZS), 2015–2023, stacked (tell them apart by ``indicator_code``)."""
    countries = _countries(compare)
    return pd.concat(
        [wdi_series(wdi, code, countries, as_of=as_of) for code in (ODA_LEVEL, ODA_SHARE)],
        ignore_index=True,
    )


def gdp_growth(wdi: pd.DataFrame, compare: Sequence[str] = (), *, as_of=None) -> pd.DataFrame:
    """GDP growth (NY.GDP.MKTP.KD.ZG, annual %) for Afghanistan and ``compare``."""
    return wdi_series(wdi, GDP_GROWTH, _countries(compare), as_of=as_of)


def imf_credit(wdi: pd.DataFrame, compare: Sequence[str] = (), *, as_of=None) -> pd.DataFrame:
    """Use of IMF credit (DT.DOD.DIMF.CD, current USD). Caveat (:data:`IMF_CAVEAT`): the series
    includes SDR allocations, so its 2021 jump is the August 2021 allocation, not new lending."""
    out = wdi_series(wdi, IMF_CREDIT, _countries(compare), as_of=as_of)
    out["caveat"] = IMF_CAVEAT
    return out


def gaps(series: pd.DataFrame) -> pd.DataFrame:
    """Runs of consecutive unreported years per country and indicator.

    Columns: country_code, indicator_code, first_year, last_year, years (label ``"2021–2025"``).
    """
    rows = []
    missing = series.loc[~series["reported"]]
    for (country, indicator), group in missing.groupby(
        ["country_code", "indicator_code"], sort=False
    ):
        years = sorted(group["year"].astype(int))
        start = prev = years[0]
        for year in [*years[1:], None]:
            if year is not None and year == prev + 1:
                prev = year
                continue
            label = str(start) if start == prev else f"{start}–{prev}"
            rows.append((country, indicator, start, prev, label))
            if year is not None:
                start = prev = year
    return pd.DataFrame(
        rows, columns=["country_code", "indicator_code", "first_year", "last_year", "years"]
    )

"""World Bank tables: World Development Indicators for Afghanistan, its region and comparators,
and the DataBank extract of governance estimates (WGI) and refugees — long, one row per country,
indicator and year with a value. A missing year is a missing row, never a filled value.
"""

from __future__ import annotations

import pandas as pd

from .registry import TableSpec, load_table
from .vocab import WDI_COLUMNS, DataDir

# World Bank aggregate codes (regions, income and lending groups); every other code is a country
WDI_AGGREGATES = frozenset(
    {
        *("AFE", "AFW", "ARB", "CEB", "CSS", "EAP", "EAR", "EAS", "ECA", "ECS", "EMU", "EUU"),
        *("FCS", "HIC", "HPC", "IBD", "IBT", "IDA", "IDB", "IDX", "INX", "LAC", "LCN", "LDC"),
        *("LIC", "LMC", "LMY", "LTE", "MEA", "MIC", "MNA", "NAC", "OED", "OSS", "PRE", "PSS"),
        *("PST", "SAS", "SSA", "SSF", "SST", "TEA", "TEC", "TLA", "TMN", "TSA", "TSS", "UMC"),
        "WLD",
    }
)


# unit of each WDI series, from its indicator name; a series not listed here gets <NA>
INDICATOR_UNITS = {
    "BX.TRF.PWKR.CD.DT": "current USD",
    "DT.DOD.DECT.CD": "current USD",
    "DT.DOD.DIMF.CD": "current USD",
    "DT.ODA.ODAT.CD": "current USD",
    "DT.ODA.ODAT.GN.ZS": "% of GNI",
    "DT.ODA.ODAT.PC.ZS": "current USD per person",
    "FI.RES.TOTL.CD": "current USD",
    "FP.CPI.TOTL.ZG": "% per year",
    "MS.MIL.XPND.GD.ZS": "% of GDP",
    "NY.GDP.MKTP.CD": "current USD",
    "NY.GDP.MKTP.KD.ZG": "% per year",
    "NY.GDP.PCAP.CD": "current USD per person",
    "PA.NUS.FCRF": "local currency units per USD",
    "SM.POP.REFG": "persons",
    "SM.POP.REFG.OR": "persons",
    "SM.POP.RHCR.EO": "persons",
    "SP.POP.TOTL": "persons",
    "VC.IHR.PSRC.P5": "per 100,000 people",
    "CC.EST": "index (about -2.5 to 2.5, higher is better)",
    "GE.EST": "index (about -2.5 to 2.5, higher is better)",
    "PV.EST": "index (about -2.5 to 2.5, higher is better)",
}


def _tidy_wdi(raw: pd.DataFrame) -> pd.DataFrame:
    out = raw[list(WDI_COLUMNS)].copy()
    out["is_aggregate"] = out["country_code"].isin(WDI_AGGREGATES)
    out["unit"] = out["indicator_code"].map(INDICATOR_UNITS)
    out["year"] = out["year"].astype("int64")
    out["value"] = out["value"].astype("float64")
    columns = [
        "country_code",
        "country_name",
        "is_aggregate",
        "indicator_code",
        "indicator_name",
        "unit",
        "year",
        "value",
    ]
    return out[columns].sort_values(["country_code", "indicator_code", "year"], ignore_index=True)


WDI = TableSpec(
    "wdi",
    "wdi_afghanistan_region_*.csv",
    "external",
    "external_schemas:WDI_SCHEMA",
    "World Bank WDI series for Afghanistan, its region and comparators (long)",
    tidy=_tidy_wdi,
)


WDI_GOVERNANCE = TableSpec(
    "wdi_governance",
    "wdi_databank_governance_refugees_*.csv",
    "external",
    "external_schemas:WDI_SCHEMA",
    "World Bank governance estimates (WGI) and refugees by origin (long)",
    tidy=_tidy_wdi,
)


def load_wdi(data_dir: DataDir = None) -> pd.DataFrame:
    """World Development Indicators, long: one row per country, indicator and year with a value.

    ==============  ========  ====================================================================
    column          dtype     meaning
    ==============  ========  ====================================================================
    country_code    str       ISO3, or a World Bank aggregate code (WLD world, SAS South Asia)
    country_name    str       World Bank name (``Iran, Islamic Rep.``)
    is_aggregate    bool      country_code is a World Bank aggregate (``WDI_AGGREGATES``)
    indicator_code  str       WDI series code
    indicator_name  str       WDI series name
    unit            str       from ``INDICATOR_UNITS``: current USD; current USD per person;
                              % of GNI; % of GDP; % per year; local currency units per USD;
                              persons; per 100,000 people (<NA> for a series not listed)
    year            int64     calendar year
    value           float64   in ``unit``
    ==============  ========  ====================================================================

    A missing year is a missing row, never a filled value: Afghan reserves stop after 2020.

    >>> wdi = load_wdi()
    >>> reserves = wdi.query("country_code == 'AFG' and indicator_code == 'FI.RES.TOTL.CD'")
    >>> int(reserves.year.max()), round(float(reserves.value.iloc[-1]) / 1e9, 2)
    (2020, 9.75)
    >>> reserves.unit.iloc[0]
    'current USD'
    """
    return load_table(WDI, data_dir)


def load_wdi_governance(data_dir: DataDir = None) -> pd.DataFrame:
    """WDI DataBank extract, long, same columns as :func:`load_wdi`: Worldwide Governance
    Indicators ``PV.EST`` (political stability and absence of violence/terrorism), ``GE.EST``
    (government effectiveness), ``CC.EST`` (control of corruption) — estimates on a scale of about
    −2.5 to +2.5, higher is better — and ``SM.POP.RHCR.EO``, refugees under UNHCR's mandate by
    country of origin (persons; the only series given for WLD and SAS).

    >>> gov = load_wdi_governance()
    >>> afg = gov.query("country_code == 'AFG' and indicator_code == 'SM.POP.RHCR.EO'")
    >>> afg.set_index("year").loc[[2021, 2022], "value"].astype(int).tolist()
    [2712869, 5661717]
    """
    return load_table(WDI_GOVERNANCE, data_dir)

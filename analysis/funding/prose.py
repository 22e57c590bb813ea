"""The funding report's sentences with numbers in them, written from the frames of
:mod:`.measures` and :mod:`.economy`, never typed: what the article says was frozen, blocked or
halted; how the reserves split; when a WDI series stops; how large aid was against GNI.

Each function returns :class:`Prose` (Markdown in Jupyter), so a notebook's prose follows its
parameters (``as_of``, ``unit``, ``compare_countries``) and the data a user supplies.

May import: pandas and this package's computation modules.
"""

from __future__ import annotations

import pandas as pd

from .common import AFG, amount_text, fmt_number
from .economy import ODA_SHARE, RESERVES, gaps


class Prose(str):
    """Text that Jupyter shows as Markdown when it is a cell's last expression."""

    def _repr_markdown_(self) -> str:
        return str(self)


def _amount(row, unit: str) -> str:
    return amount_text(row["amount_usd"], str(row["qualifier"]), unit)


def money_text(composition: pd.DataFrame, measures: pd.DataFrame, unit: str = "bn") -> Prose:
    """What the article states about the money: the reserves, the part frozen and where it is
    held, and every other measure with its amount or "amount not stated" (from
    :func:`~.measures.reserve_composition` and :func:`~.measures.freeze_measures`)."""
    parts = []
    total = composition[composition["role"] == "total"]
    frozen = composition[composition["role"] == "part"]
    if not total.empty and not frozen.empty:
        t, f = total.iloc[0], frozen.iloc[0]
        where = f" in {f['held_in']}" if isinstance(f["held_in"], str) and f["held_in"] else ""
        parts.append(
            f"{_cap(_amount(f, unit))} of the {_amount(t, unit)} of Afghan central-bank "
            f"reserves were {f['measure']}{where}"
            + (
                "; where the rest was held the article does not say"
                if (composition["role"] == "remainder").any()
                else ""
            )
            + "."
        )
    others = measures[~measures["measure_id"].isin(frozen["measure_id"])]
    for r in others.itertuples(index=False):
        if pd.isna(r.amount_usd):
            parts.append(
                f"The {r.actor} {r.measure} {r.instrument} (an amount the article does not state)."
            )
        else:
            amount = amount_text(r.amount_usd, str(r.qualifier), unit)
            parts.append(f"The {r.actor} {r.measure} {amount} of {r.instrument}.")
    return Prose(" ".join(parts))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def composition_text(composition: pd.DataFrame, unit: str = "bn") -> Prose:
    """The reserves: the stated total, the stated part, and the derived remainder with its
    arithmetic."""
    total = composition[composition["role"] == "total"]
    part = composition[composition["role"] == "part"]
    rest = composition[composition["role"] == "remainder"]
    if total.empty:
        return Prose("The article states no total of the reserves.")
    t = total.iloc[0]
    text = f"The article states a total ({_amount(t, unit)})"
    if not part.empty:
        p = part.iloc[0]
        where = f", held in {p['held_in']}" if isinstance(p["held_in"], str) else ""
        text += f" and one part of it ({_amount(p, unit)} {p['measure']}{where})"
    text += "."
    if not rest.empty:
        r = rest.iloc[0]
        text += (
            f" The rest, {_amount(r, unit)}, is **derived here** by subtraction "
            f"({r['arithmetic']}); it is not a figure the article states, and the article does "
            "not say where that money is held."
        )
    return Prose(text)


def reserves_gap_text(reserves: pd.DataFrame) -> Prose:
    """Where Afghanistan's WDI reserves series stops (the years it does not report)."""
    afg = reserves[(reserves["country_code"] == AFG) & (reserves["indicator_code"] == RESERVES)]
    reported = afg[afg["reported"]]
    if reported.empty:
        return Prose("Afghanistan reports no total reserves in this table.")
    last = int(reported["year"].max())
    runs = gaps(afg)
    after = runs[runs["first_year"] > last]
    text = f"Afghanistan's total reserves (including gold) are reported up to {last}"
    if not after.empty:
        text += f" and not for {after['years'].iloc[0]}: the central bank stopped reporting"
    return Prose(text + ". A gap is drawn as a gap, not as a fall to zero.")


def aid_text(oda: pd.DataFrame, before: int = 2020) -> Prose:
    """Aid against GNI: Afghanistan's share up to ``before`` (the last full year before the
    takeover) and the highest share of any comparison country, from the WDI series."""
    share = oda[oda["indicator_code"] == ODA_SHARE]
    afg = share[(share["country_code"] == AFG) & (share["year"] <= before) & share["reported"]]
    others = share[(share["country_code"] != AFG) & share["reported"]]
    if afg.empty:
        return Prose("Afghanistan reports no net ODA share of GNI before the takeover.")
    lo, hi = afg["value"].min(), afg["value"].max()
    first, last = int(afg["year"].min()), int(afg["year"].max())
    text = (
        f"In {first}–{last}, before the takeover, net ODA received was "
        f"{fmt_number(lo, 1)}–{fmt_number(hi, 1)} % of Afghanistan's GNI"
    )
    if not others.empty:
        top = others.loc[others["value"].idxmax()]
        years = f"{int(others['year'].min())}–{int(others['year'].max())}"
        text += (
            f"; for the comparison countries it stays at or under {fmt_number(top['value'], 1)} "
            f"% in {years} (highest: {top['country_name']}, {int(top['year'])})"
        )
    return Prose(text + ".")

"""The regional-risk report's key figures (a table a reader checks) and what it exports for the
change report: figure records and verdict records (:func:`analysis.figures.export`).

Years and dataset releases in the figures are read from the data: the last year is the data's,
the source names the release the numbers come from.

May import: pandas, :mod:`analysis.observed`, :mod:`.indicators`, :mod:`.grid`.
"""

from __future__ import annotations

import pandas as pd

from .. import observed
from ..figures import slug
from .definitions import VERDICTS
from .indicators import Observed


def _source(obs: Observed, dataset: str) -> str:
    version = obs.versions().get(dataset)
    name = {"country-year": "UCDP country-year", "BRD": "UCDP BRD", "ACD": "UCDP/PRIO ACD"}[dataset]
    return f"{name} v{version}" if version else name


def key_figures(
    obs: Observed,
    exposure_table: pd.DataFrame,
    claims_table: pd.DataFrame,
    dependence: pd.DataFrame,
    robust: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The report's headline numbers: id, figure, value (rounded), unit, source. Deterministic.

    The years shown are the withdrawal's (2021) and the last each dataset covers; the TTP series
    adds its first and lowest years. With ``robust`` (:func:`~analysis.risk.grid.robust_verdicts`)
    the robust verdict counts come first, the chosen-window counts after them.
    """
    totals = observed.country_year_deaths(obs.cells, observed.VIOLENCE_TYPES)
    total = totals.set_index(["iso3", "year"])["deaths_reported"]
    ttp = observed.pakistan_ttp(obs.brd).dropna(subset=["deaths"]).set_index("year")["deaths"]
    last = obs.last_year
    is_os = observed.actor_year_deaths(
        obs.cells, "IS", ["IRN", "RUS"], ["one_sided"], present=obs.present
    ).set_index(["iso3", "year"])["deaths"]
    top = exposure_table.sort_values(["shift", "iso3"], ascending=[False, True]).iloc[0]
    cy, brd = _source(obs, "country-year"), _source(obs, "BRD")
    rows = [
        ("Afghanistan, organised-violence deaths 2021", total.get(("AFG", 2021)), "deaths", cy),
        (f"Afghanistan, organised-violence deaths {last}", total.get(("AFG", last)), "deaths", cy),
        (f"Pakistan, organised-violence deaths {last}", total.get(("PAK", last)), "deaths", cy),
    ]
    if not ttp.empty:
        for year in sorted({int(ttp.index[0]), int(ttp.idxmin()), 2021, int(ttp.index[-1])}):
            if year in ttp.index:
                rows.append((f"Pakistan–TTP battle deaths {year}", ttp[year], "deaths", brd))
    for iso3, name in (("IRN", "Iran"), ("RUS", "Russia")):
        rows.append(
            (f"Civilians killed by IS in {name} {last}", is_os.get((iso3, last)), "deaths", cy)
        )
    for r in dependence.itertuples(index=False):
        rows.append(
            (
                f"TTP change {r.baseline}→{r.comparison}: {r.verdict}",
                r.change,
                "deaths per year",
                brd,
            )
        )
    rows.append(
        (
            f"Largest seed-assessed shift: {top['country']}",
            top["shift"],
            "score",
            "seed article, exposure formula",
        )
    )
    if robust is not None:
        from .grid import ROBUST_VERDICTS

        for verdict in ROBUST_VERDICTS:
            rows.append(
                (
                    f"Claim tests {verdict} (grid)",
                    int((robust["robust_verdict"] == verdict).sum()),
                    "tests",
                    "specification grid",
                )
            )
    for verdict in VERDICTS:
        rows.append(
            (
                f"Claim tests {verdict} (chosen windows)",
                int((claims_table["verdict"] == verdict).sum()),
                "tests",
                "claims vs outcomes",
            )
        )
    out = pd.DataFrame(rows, columns=["figure", "value", "unit", "source"])
    out["value"] = [None if pd.isna(v) else round(float(v), 1) for v in out["value"]]
    out.insert(0, "id", [slug(f) for f in out["figure"]])
    return out


def figure_records(key: pd.DataFrame) -> list[dict]:
    """The key-figures table as export records (id, label, value, unit, source, text)."""
    return [
        dict(
            id=r.id,
            label=r.figure,
            value=None if r.value is None or pd.isna(r.value) else float(r.value),
            unit=r.unit,
            source=r.source,
            text="missing" if r.value is None or pd.isna(r.value) else f"{r.value:,g} {r.unit}",
        )
        for r in key.itertuples(index=False)
    ]


def verdict_records(robust: pd.DataFrame, obs: Observed) -> list[dict]:
    """One export record per claim test: its robust verdict and specification counts, the
    chosen-window verdict, the part tested, the parts untested and the caveat. ``value`` is the
    share of measurable specifications that support the claim (None when none is measurable)."""
    sources = ", ".join(_source(obs, d) for d in ("country-year", "BRD"))
    out = []
    for r in robust.itertuples(index=False):
        measurable = r.supported + r.contradicted
        out.append(
            dict(
                id=f"verdict_{slug(r.test)}",
                label=f"{r.claim_id} · {r.target}",
                value=r.supported / measurable if measurable else None,
                unit="share of measurable specifications supporting the claim",
                source=f"seed claims vs {sources}",
                verdict=r.robust_verdict,
                counts=dict(
                    specifications=int(r.specifications),
                    supported=int(r.supported),
                    contradicted=int(r.contradicted),
                    not_measurable=int(r.not_measurable),
                ),
                chosen_verdict=r.chosen_verdict,
                tested=r.target,
                untested=r.untested,
                caveat=r.caveat,
            )
        )
    return out

"""What was held, frozen, blocked, halted or released: the reserves' composition (stated and
derived parts), one row per freeze measure, the 2022 executive order, and the timeline of acts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..exceptions import DataError, Problem
from .common import (
    _names,
    _require,
    _string,
    amount_text,
    date_bounds,
    dated_by,
    fmt_number,
    unit_factor,
    unit_label,
    when_texts,
)

FREEZE_MEASURES = ("frozen", "blocked", "halted")


TIMELINE_MEASURES = (*FREEZE_MEASURES, "made_available", "subject_to_litigation", "transferred")


TIMELINE_RELATIONS = {"freezes": "frozen", "blocks": "blocked", "halts": "halted"}


ACTIONS = {
    "held": "held",
    "frozen": "frozen",
    "blocked": "blocked",
    "halted": "halted",
    "made_available": "made available",
    "subject_to_litigation": "left to litigation",
    "transferred": "transferred",
}


_FUNDING_COLUMNS = (
    "measure_id",
    "actor_id",
    "target_id",
    "measure",
    "instrument",
    "amount_usd",
    "amount_qualifier",
    "held_in",
    "part_of",
    "source_id",
    "quote",
    "date",
    "date_precision",
)


_EVENT_COLUMNS = (
    "event_id",
    "date",
    "date_precision",
    "name",
    "kind",
    "actor_id",
    "source_id",
    "quote",
)


_RELATION_COLUMNS = (
    "relation_id",
    "subject_id",
    "relation",
    "object_id",
    "source_id",
    "quote",
    "date",
    "date_precision",
)


def _held_total(funding: pd.DataFrame) -> pd.Series:
    """The row stating the central bank's total reserves: measure ``held`` with an empty
    ``part_of``. Where several qualify (a later source restating US-held assets), the one a
    ``frozen``/``blocked``/``halted``/``held`` row is part of, then the earliest dated."""
    held = funding.loc[(funding["measure"].astype(str) == "held") & funding["part_of"].isna()]
    if held.empty:
        raise DataError(
            [
                Problem(
                    "funding table",
                    "no held total: reserve composition needs a row with measure 'held' and an "
                    "empty part_of (the central bank's total reserves, 9.5 bn USD in the seed)",
                    column="measure",
                )
            ]
        )
    if len(held) > 1:
        split = funding["measure"].astype(str).isin(("held", *FREEZE_MEASURES))
        parents = set(funding.loc[split, "part_of"].dropna().astype(str))
        with_parts = held.loc[held["measure_id"].astype(str).isin(parents)]
        held = with_parts if not with_parts.empty else held
        earliest = held.loc[held["date"] == held["date"].min()]
        if len(earliest) > 1:
            ids = ", ".join(earliest["measure_id"].astype(str))
            raise DataError(
                [Problem("funding table", f"several held totals: {ids}", column="measure")]
            )
        held = earliest
    return held.iloc[0]


def reserve_composition(funding: pd.DataFrame, *, as_of=None, unit: str = "bn") -> pd.DataFrame:
    """The central bank's reserves: the stated total, its stated parts, and the remainder.

    One row per component, in this order: the ``total`` (9.5 bn USD held, exact), each stated
    ``part`` of it (about 7 bn USD frozen by the US, held in US institutions), and a ``remainder``
    row *derived* here as total − parts (9.5 − 7 = 2.5 bn USD) whose location the article does not
    state. The remainder carries ``stated=False``, its arithmetic in ``derivation`` and the quotes
    of both stated figures. Rows dated after ``as_of`` are left out (no remainder without the
    total or a part).

    Columns: component, role (total/part/remainder), measure_id, actor_id, measure, amount_usd,
    amount (in ``unit``), unit, qualifier, stated, derivation, held_in, label, source_id, quote,
    date, date_precision.

    Raises DataError when ``funding`` lacks a column or the held total, or when the parts add up
    to more than the total.
    """
    factor = unit_factor(unit)
    _require(funding, _FUNDING_COLUMNS, "funding")
    total = _held_total(funding)
    parts = funding.loc[
        (funding["part_of"].astype("string") == str(total["measure_id"]))
        & funding["measure"].astype(str).isin(("held", *FREEZE_MEASURES))
    ]
    stated_sum = parts["amount_usd"].sum(min_count=1)
    if pd.notna(total["amount_usd"]) and pd.notna(stated_sum) and stated_sum > total["amount_usd"]:
        raise DataError(
            [
                Problem(
                    "funding table",
                    f"parts of {total['measure_id']} add up to {fmt_number(stated_sum / 1e9)} bn "
                    f"USD, more than its total of {fmt_number(total['amount_usd'] / 1e9)} bn USD",
                    column="amount_usd",
                )
            ]
        )

    kept = dated_by(pd.concat([total.to_frame().T, parts]), as_of)
    kept_ids = set(kept["measure_id"].astype(str))
    rows = []
    if str(total["measure_id"]) in kept_ids:
        rows.append(_component(total, "total", "Total reserves held", unit))
        for _, part in parts.iterrows():
            if str(part["measure_id"]) in kept_ids:
                rows.append(_component(part, "part", _part_name(part), unit))
        kept_parts = parts.loc[parts["measure_id"].astype(str).isin(kept_ids)]
        if not kept_parts.empty:
            rows.append(_remainder(total, kept_parts, unit))
    columns = [
        "component",
        "role",
        "measure_id",
        "actor_id",
        "measure",
        "amount_usd",
        "amount",
        "unit",
        "qualifier",
        "stated",
        "arithmetic",
        "derivation",
        "held_in",
        "label",
        "source_id",
        "quote",
        "date",
        "date_precision",
    ]
    out = pd.DataFrame(rows, columns=columns)
    out["amount"] = out["amount_usd"].astype(float) / factor
    out["amount_usd"] = out["amount_usd"].astype(float)
    out["stated"] = out["stated"].astype(bool)
    out["date"] = pd.to_datetime(out["date"])
    return out.reset_index(drop=True)


def _part_name(part: pd.Series) -> str:
    action = ACTIONS.get(str(part["measure"]), str(part["measure"]))
    where = _string(part["held_in"])
    return f"{action.capitalize()}, held in {where}" if where else action.capitalize()


def _component(row: pd.Series, role: str, name: str, unit: str) -> dict:
    qualifier = str(row["amount_qualifier"])
    return dict(
        component=name,
        role=role,
        measure_id=str(row["measure_id"]),
        actor_id=str(row["actor_id"]),
        measure=str(row["measure"]),
        amount_usd=row["amount_usd"],
        unit=unit_label(unit),
        qualifier=qualifier,
        stated=True,
        arithmetic="",
        derivation="",
        held_in=_string(row["held_in"]),
        label=f"{amount_text(row['amount_usd'], qualifier, unit)} (stated)",
        source_id=str(row["source_id"]),
        quote=str(row["quote"]),
        date=row["date"],
        date_precision=str(row["date_precision"]),
    )


def _remainder(total: pd.Series, parts: pd.DataFrame, unit: str) -> dict:
    factor = unit_factor(unit)
    ids = [str(total["measure_id"]), *parts["measure_id"].astype(str)]
    if pd.isna(total["amount_usd"]) or parts["amount_usd"].isna().any():
        amount, qualifier, arithmetic = np.nan, "not_stated", ""
        derivation = "cannot be derived: " + ", ".join(ids) + " do not all state an amount"
        label = "amount not stated; cannot be derived"
    else:
        amount = float(total["amount_usd"] - parts["amount_usd"].sum())
        approximate = (parts["amount_qualifier"].astype(str) != "exact").any() or (
            str(total["amount_qualifier"]) != "exact"
        )
        qualifier = "about" if approximate else "exact"
        terms = " − ".join(
            fmt_number(v / factor) for v in [total["amount_usd"], *parts["amount_usd"]]
        )
        arithmetic = f"{terms} = {fmt_number(amount / factor)}"
        derivation = (
            f"derived: {arithmetic} {unit} USD, arithmetic on the stated figures "
            f"{', '.join(ids)}; not a figure the source states, which does not say where it is held"
        )
        label = f"{amount_text(amount, qualifier, unit)} (derived: {terms})"
    quotes = [str(total["quote"]), *parts["quote"].astype(str)]
    return dict(
        component="Held elsewhere — the article does not say where",
        role="remainder",
        measure_id="",
        actor_id=str(total["actor_id"]),
        measure="held",
        amount_usd=amount,
        unit=unit_label(unit),
        qualifier=qualifier,
        stated=False,
        arithmetic=arithmetic,
        derivation=derivation,
        held_in="",
        label=label,
        source_id="; ".join(dict.fromkeys([str(total["source_id"]), *parts["source_id"]])),
        quote=" | ".join(dict.fromkeys(quotes)),
        date=max([total["date"], *parts["date"]]),
        date_precision=str(total["date_precision"]),
    )


def freeze_measures(
    funding: pd.DataFrame,
    actors: pd.DataFrame | None = None,
    *,
    as_of=None,
    unit: str = "bn",
) -> pd.DataFrame:
    """Who froze, blocked or halted what, and how much, as the sources state it.

    One row per funding measure in ``frozen``, ``blocked``, ``halted``, largest stated amount first
    and measures without an amount last. A measure whose amount is not stated (the World Bank's
    halt) keeps ``amount_usd`` NaN, ``label`` "halted, amount not stated" and ``drawn_as``
    ``"marker"``; the others are ``"bar"``.

    Columns: measure_id, actor_id, actor, measure, instrument, target_id, amount_usd, amount,
    unit, qualifier, label, drawn_as, held_in, source_id, quote, date, date_precision, when.
    """
    factor = unit_factor(unit)
    _require(funding, _FUNDING_COLUMNS, "funding")
    names = _names(actors)
    rows = funding.loc[funding["measure"].astype(str).isin(FREEZE_MEASURES)]
    rows = dated_by(rows, as_of)
    out = pd.DataFrame(
        {
            "measure_id": rows["measure_id"].astype(str),
            "actor_id": rows["actor_id"].astype(str),
            "actor": [names.get(a, a) for a in rows["actor_id"].astype(str)],
            "measure": rows["measure"].astype(str),
            "instrument": rows["instrument"].astype(str),
            "target_id": rows["target_id"].astype(str),
            "amount_usd": rows["amount_usd"].astype(float),
            "amount": rows["amount_usd"].astype(float) / factor,
            "unit": unit_label(unit),
            "qualifier": rows["amount_qualifier"].astype(str),
            "held_in": [_string(v) for v in rows["held_in"]],
            "source_id": rows["source_id"].astype(str),
            "quote": rows["quote"].astype(str),
            "date": pd.to_datetime(rows["date"]),
            "date_precision": rows["date_precision"].astype(str),
            "date_bound": date_bounds(rows),
        }
    )
    out["label"] = [
        f"{m}, amount not stated" if pd.isna(a) else f"{m}: {amount_text(a, q, unit)}"
        for m, a, q in zip(out["measure"], out["amount_usd"], out["qualifier"], strict=True)
    ]
    out["drawn_as"] = np.where(out["amount_usd"].isna(), "marker", "bar")
    out["when"] = when_texts(out)
    out = out.sort_values(
        ["amount_usd", "date", "measure_id"], ascending=[False, True, True], na_position="last"
    )
    return out.reset_index(drop=True)


def executive_order(funding: pd.DataFrame, *, as_of=None, unit: str = "bn") -> pd.DataFrame:
    """The split of the US-held reserves announced after the article (the February 2022 US
    executive order), with its own source: the ``held`` row it splits (role ``held``: about 7 bn
    USD in the US) and the ``made_available`` / ``subject_to_litigation`` rows (role ``split``:
    3.5 bn USD for the Afghan people, more than 3.5 bn USD left to litigation). Empty when none
    is dated on or before ``as_of``.

    Columns: measure_id, role, measure, action, amount_usd, amount, qualifier, label, part_of,
    source_id, quote, date, date_precision, when.
    """
    factor = unit_factor(unit)
    _require(funding, _FUNDING_COLUMNS, "funding")
    measure = funding["measure"].astype(str)
    split = funding.loc[measure.isin(("made_available", "subject_to_litigation"))]
    parents = funding.loc[
        funding["measure_id"].astype(str).isin(set(split["part_of"].dropna().astype(str)))
        & (measure == "held")
    ]
    rows = dated_by(pd.concat([parents, split]), as_of)
    role = np.where(rows["measure"].astype(str) == "held", "held", "split")
    out = pd.DataFrame(
        {
            "measure_id": rows["measure_id"].astype(str),
            "role": role,
            "measure": rows["measure"].astype(str),
            "action": [ACTIONS[m] for m in rows["measure"].astype(str)],
            "amount_usd": rows["amount_usd"].astype(float),
            "amount": rows["amount_usd"].astype(float) / factor,
            "qualifier": rows["amount_qualifier"].astype(str),
            "part_of": [_string(v) for v in rows["part_of"]],
            "source_id": rows["source_id"].astype(str),
            "quote": rows["quote"].astype(str),
            "date": pd.to_datetime(rows["date"]),
            "date_precision": rows["date_precision"].astype(str),
            "date_bound": date_bounds(rows),
        }
    )
    out["label"] = [
        f"{amount_text(a, q, unit)} {act}"
        + (f" in {_string(h)}" if act == "held" and _string(h) else "")
        for a, q, act, h in zip(
            out["amount_usd"], out["qualifier"], out["action"], rows["held_in"], strict=True
        )
    ]
    out["when"] = when_texts(out)
    out = out.sort_values(["date", "role", "measure_id"])
    return out.reset_index(drop=True)


def freeze_timeline(
    events: pd.DataFrame,
    relations: pd.DataFrame,
    funding: pd.DataFrame,
    actors: pd.DataFrame | None = None,
    *,
    as_of=None,
    unit: str = "bn",
) -> pd.DataFrame:
    """Who froze, blocked, halted, released or moved what, and when, to the precision stated.

    Rows come from ``funding`` (measures other than ``held``), from ``relations`` (``freezes``,
    ``blocks``, ``halts``) and from ``events`` of kind ``freeze``. A relation that repeats a funding
    row (same actor, same action) is dropped, and so is a freeze event whose actor already froze,
    blocked or halted something above: the funding row carries the amount. Sorted by date, then
    actor.

    Columns: date, date_precision, date_bound (``by``: done by that date, day not stated), when,
    actor_id, actor, action, what, amount_usd, amount_label, origin (table and id), source_id,
    quote.
    """
    unit_factor(unit)
    _require(funding, _FUNDING_COLUMNS, "funding")
    _require(relations, _RELATION_COLUMNS, "relations")
    _require(events, _EVENT_COLUMNS, "events")
    names = _names(actors)
    columns = [
        "date",
        "date_precision",
        "date_bound",
        "actor_id",
        "action",
        "what",
        "amount_usd",
        "amount_label",
        "origin",
        "source_id",
        "quote",
    ]

    money = dated_by(funding.loc[funding["measure"].astype(str).isin(TIMELINE_MEASURES)], as_of)
    from_funding = pd.DataFrame(
        {
            "date": pd.to_datetime(money["date"]),
            "date_precision": money["date_precision"].astype(str),
            "date_bound": date_bounds(money),
            "actor_id": money["actor_id"].astype(str),
            "action": [ACTIONS[m] for m in money["measure"].astype(str)],
            "what": money["instrument"].astype(str),
            "amount_usd": money["amount_usd"].astype(float),
            "amount_label": [
                amount_text(a, q, unit)
                for a, q in zip(
                    money["amount_usd"], money["amount_qualifier"].astype(str), strict=True
                )
            ],
            "origin": "funding " + money["measure_id"].astype(str),
            "source_id": money["source_id"].astype(str),
            "quote": money["quote"].astype(str),
        },
        columns=columns,
    )

    ties = dated_by(
        relations.loc[relations["relation"].astype(str).isin(TIMELINE_RELATIONS)], as_of
    )
    from_relations = pd.DataFrame(
        {
            "date": pd.to_datetime(ties["date"]),
            "date_precision": ties["date_precision"].astype(str),
            "date_bound": date_bounds(ties),
            "actor_id": ties["subject_id"].astype(str),
            "action": [TIMELINE_RELATIONS[r] for r in ties["relation"].astype(str)],
            "what": [f"funds of {names.get(o, o)}" for o in ties["object_id"].astype(str)],
            "amount_usd": np.nan,
            "amount_label": "amount not stated",
            "origin": "relations " + ties["relation_id"].astype(str),
            "source_id": ties["source_id"].astype(str),
            "quote": ties["quote"].astype(str),
        },
        columns=columns,
    )

    acts = dated_by(events.loc[events["kind"].astype(str) == "freeze"], as_of)
    from_events = pd.DataFrame(
        {
            "date": pd.to_datetime(acts["date"]),
            "date_precision": acts["date_precision"].astype(str),
            "date_bound": date_bounds(acts),
            "actor_id": [_string(a) for a in acts["actor_id"]],
            "action": "frozen",
            "what": acts["name"].astype(str),
            "amount_usd": np.nan,
            "amount_label": "amount not stated",
            "origin": "events " + acts["event_id"].astype(str),
            "source_id": acts["source_id"].astype(str),
            "quote": acts["quote"].astype(str),
        },
        columns=columns,
    )

    stated = set(zip(from_funding["actor_id"], from_funding["action"], strict=True))
    from_relations = from_relations.loc[
        [
            k not in stated
            for k in zip(from_relations["actor_id"], from_relations["action"], strict=True)
        ]
    ]
    freezers = {a for a, act in stated if act in FREEZE_MEASURES} | set(from_relations["actor_id"])
    from_events = from_events.loc[[a == "" or a not in freezers for a in from_events["actor_id"]]]
    parts = [f for f in (from_funding, from_relations, from_events) if not f.empty]
    out = pd.concat(parts, ignore_index=True) if parts else from_funding.iloc[0:0].copy()
    out["actor"] = [names.get(a, a) if a else "actor not stated" for a in out["actor_id"]]
    out["when"] = when_texts(out)
    out = out.sort_values(["date", "actor", "origin"]).reset_index(drop=True)
    return out[
        [
            "date",
            "date_precision",
            "date_bound",
            "when",
            "actor_id",
            "actor",
            "action",
            "what",
            "amount_usd",
            "amount_label",
            "origin",
            "source_id",
            "quote",
        ]
    ]

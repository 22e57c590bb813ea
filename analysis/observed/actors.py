"""Who a UCDP dyad belongs to: the groups of interest, read through the actor map at the place and
the days the dyad's sides existed.

**Groups** (:data:`ACTOR_GROUPS`, in order; a dyad goes to the first on either side): IS, TTP,
Jaish al-Adl, al-Qaida, ETIM, the Taliban as an insurgency (UCDP's ``Taleban``, to 15 August
2021) and the Government of Afghanistan (the Ghani administration to 14 August 2021, the Taliban
government from 15 August). The labels come from ``ucdp_actor_map.csv``: IS is "ISIS-K" only where
the map reads it so at that location and date, otherwise "IS (other province)" (Russia 2015–2020:
the Caucasus province); :func:`is_reading` says where, from the map.

**Days.** A dyad is read at the days *all* its sides existed within the year, as far as the map
dates them: the NRF's row starts on 15 August 2021, so the 2021 "Government of Afghanistan –
NRF" dyad is the Taliban government's fight, not the Ghani administration's.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .scope import label


@dataclass(frozen=True)
class ActorGroup:
    """A UCDP actor the report follows: its UCDP name and how its dyads are labelled."""

    ucdp_name: str
    label: str  # label when the actor map gives no seed actor here and then
    by_seed_id: tuple[tuple[str, str], ...] = ()  # seed actor id -> label


ISIS_K = "ISIS-K (UCDP: IS)"
IS_OTHER = "IS (other province)"
TALIBAN_INSURGENCY = "Taliban insurgency (to 15 Aug 2021)"
TALIBAN_GOVERNMENT = "Taliban government (from 15 Aug 2021)"
GHANI = "Government of Afghanistan (Ghani)"
GHANI_THEN_TALIBAN = "Government of Afghanistan (Ghani, then Taliban)"


ACTOR_GROUPS = (
    ActorGroup("IS", IS_OTHER, (("isis_k", ISIS_K),)),
    ActorGroup("TTP", "TTP"),
    ActorGroup("Jaish al-Adl", "Jaish al-Adl"),
    ActorGroup("al-Qaida", "al-Qaida"),
    ActorGroup("ETIM", "ETIM"),
    ActorGroup("Taleban", TALIBAN_INSURGENCY, (("taliban", TALIBAN_INSURGENCY),)),
    ActorGroup(
        "Government of Afghanistan",
        "Government of Afghanistan",
        (("ghani_admin", GHANI), ("taliban", TALIBAN_GOVERNMENT)),
    ),
)


SEVERAL = "several actors (not separable)"


OTHER = "other actors"


def dyad_actors(dyad: str) -> set[str]:
    """The actor names in a UCDP dyad name: sides split at " - ", coalitions at ", ".

    >>> sorted(dyad_actors("High Council of Afghanistan Islamic Emirate, IS - Taleban"))
    ['High Council of Afghanistan Islamic Emirate', 'IS', 'Taleban']
    """
    return {name.strip() for side in dyad.split(" - ") for name in side.split(", ") if name.strip()}


def is_government_dyad(dyad: str) -> bool:
    """A one-sided dyad whose perpetrator is a government (``Government of X - Civilians``)."""
    return dyad.startswith("Government of ")


_OPEN_START, _OPEN_END = pd.Timestamp("1900-01-01"), pd.Timestamp("2200-12-31")


@dataclass(frozen=True)
class _Row:
    name: str  # casefolded
    actor_id: str | None
    location: str | None
    start: pd.Timestamp
    end: pd.Timestamp
    note: str


def _rows(actor_map: pd.DataFrame) -> list[_Row]:
    def day(value, default):
        return default if value is None or pd.isna(value) else pd.Timestamp(value)

    def opt(value):
        return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value

    return [
        _Row(
            str(r.ucdp_name).strip().casefold(),
            opt(r.actor_id),
            opt(r.location_iso3),
            day(r.valid_from, _OPEN_START),
            day(r.valid_to, _OPEN_END),
            opt(r.note) or "",
        )
        for r in actor_map.itertuples(index=False)
    ]


class _ActorLookup:
    """The actor map's rows for a name at a place over a span of days, memoised."""

    def __init__(self, actor_map: pd.DataFrame):
        self._map = actor_map
        self._rows = _rows(actor_map)
        self._cache: dict[tuple, list[_Row]] = {}

    def rows(self, name: str, iso3: str | None, start, end) -> list[_Row]:
        key = (name.casefold(), iso3, start, end)
        if key not in self._cache:
            self._cache[key] = sorted(
                (
                    r
                    for r in self._rows
                    if r.name == key[0]
                    and r.location in (None, iso3)
                    and r.start <= end
                    and start <= r.end
                ),
                key=lambda r: r.start,
            )
        return self._cache[key]

    def span(self, names, iso3: str, year: int) -> tuple[pd.Timestamp, pd.Timestamp]:
        """The days of ``year`` on which every named actor the map dates existed."""
        start, end = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
        for name in names:
            rows = self.rows(name, iso3, start, end)
            if rows:  # an actor the map does not know (or dates) constrains nothing
                start = max(start, min(r.start for r in rows))
                end = min(end, max(r.end for r in rows))
        return start, end

    def __call__(self, name: str, iso3: str, year: int) -> list[str]:
        """Every seed actor id ``name`` stands for at ``iso3`` in ``year``, in date order."""
        start, end = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
        found = self.rows(name, iso3, start, end)
        return list(dict.fromkeys(r.actor_id for r in found if r.actor_id is not None))


def actor_group(dyad: str, iso3: str, year: int, lookup: _ActorLookup) -> str:
    """The group a dyad is attributed to: the first of :data:`ACTOR_GROUPS` on either side,
    labelled through the actor map at the country and on the days all the dyad's sides existed
    that year; :data:`OTHER` if none."""
    names = dyad_actors(dyad)
    for group in ACTOR_GROUPS:
        if group.ucdp_name not in names:
            continue
        start, end = lookup.span(names, iso3, year)
        rows = lookup.rows(group.ucdp_name, iso3, start, end)
        seed_ids = list(dict.fromkeys(r.actor_id for r in rows if r.actor_id is not None))
        labels = dict(group.by_seed_id)
        found = [labels[s] for s in seed_ids if s in labels]
        if len(found) > 1:  # Government of Afghanistan against civilians in 2021
            return GHANI_THEN_TALIBAN
        return found[0] if found else group.label
    return OTHER


def reads_as_isis_k(lookup: _ActorLookup, iso3: str, year: int) -> bool:
    """Whether the actor map reads UCDP's IS as ISIS-K at ``iso3`` for all of ``year``."""
    start, end = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    rows = lookup.rows("IS", iso3, start, end)
    return bool(rows) and all(r.actor_id == "isis_k" for r in rows)


def reading_note(lookup: _ActorLookup, name: str, iso3: str, year: int) -> str:
    """The actor map's note for ``name`` at ``iso3`` in ``year`` (why it is read so), or ""."""
    start, end = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    return " ".join(dict.fromkeys(r.note for r in lookup.rows(name, iso3, start, end) if r.note))


def is_reading(actor_map: pd.DataFrame) -> str:
    """Where the actor map reads UCDP's IS as ISIS-K, in one sentence for a chart's note.

    >>> from analysis.tables import load_ucdp_actor_map
    >>> print(is_reading(load_ucdp_actor_map()))  # doctest: +NORMALIZE_WHITESPACE
    UCDP codes every Islamic State branch as one actor, IS. Read as ISIS-K (ucdp_actor_map.csv):
    Afghanistan and Pakistan from 2015, Russia and Tajikistan from 2021, Iran from 2024;
    elsewhere and before, "IS (other province)" (Iran to 2023, Russia to 2020, Tajikistan to 2020).
    """
    rows = [r for r in _rows(actor_map) if r.name == "is" and r.location]
    since: dict[int, list[str]] = {}
    for r in rows:
        if r.actor_id == "isis_k":
            since.setdefault(r.start.year, []).append(label(r.location))
    before = sorted(
        f"{label(r.location)} to {r.end.year}"
        for r in rows
        if r.actor_id != "isis_k" and r.end < _OPEN_END
    )
    read = ", ".join(
        f"{' and '.join(sorted(places))} from {year}" for year, places in sorted(since.items())
    )
    text = "UCDP codes every Islamic State branch as one actor, IS."
    if read:
        text += f" Read as ISIS-K (ucdp_actor_map.csv): {read}"
        text += (
            f'; elsewhere and before, "{IS_OTHER}" ({", ".join(before)}).'
            if before
            else f'; elsewhere "{IS_OTHER}".'
        )
    return text


def actors_present(cy: pd.DataFrame) -> dict[int, set[str]]:
    """Per year, every actor name in any dyad UCDP lists anywhere in the world that year."""
    rows = cy[cy["violence_type"].isin(["state_based", "non_state", "one_sided"])]
    present: dict[int, set[str]] = {}
    for year, names in zip(rows["year"], rows["dyad_names"], strict=True):
        bucket = present.setdefault(int(year), set())
        for dyad in names or []:
            bucket |= dyad_actors(dyad)
    return present

"""Schemas of the seed-derived tables, declared once with pandera.

Each class is one CSV under ``analysis/data/seed/``. Vocabularies are constants of
:mod:`.vocab` (imported without pandera), re-exported here, so the reports, the docs and the
tests name the same values. Every evidence row carries ``source_id``,
a verbatim ``quote`` and the ``date`` it speaks for; cross-table rules (quotes verbatim in their
source, numbers present in their quote, ids that exist, voices that are actors, repeats that
point at an original) live in :mod:`analysis.tables.provenance`.

**How a statement is made.** Every relation, claim and event says who makes it and how:

- ``stance`` (:data:`STANCES`): ``asserted`` — the voice states it as fact; ``reported`` — the
  voice only relays what others said or reported, or hints at it, without asserting it
  ("recent reports", "some see", "hinting", "as the TTP chief recently said"); ``expected`` — a
  forecast, need or expectation ("will", "need to", "could", "may"); ``hypothetical`` — holds
  only under a condition ("if and when", "unless", "any alliance ... could"); ``denied`` —
  stated as not so ("no longer faces any ... threat", "mostly off the mark").
- ``voice``: who makes the statement: :data:`VOICE_AUTHOR` (the article's own narration and
  judgement, photo captions included), the ``actor_id`` of a speaker the article attributes it
  to (Sullivan, Raab, Shaheen, Yue, the spokesman, Russia), or :data:`VOICE_ANONYMOUS` (an unnamed
  source: the Kabul-based observer, "some"). A quote from a speaker is that speaker's voice, not
  the author's; the stance is the speaker's.
- ``repeats``: the id of the row of the same table that this row restates (a photo caption
  repeating the text, a passage restating a hint already coded), so it is counted once.
- ``date_bound`` (:data:`DATE_BOUNDS`, also on funding rows): ``on`` — it happened on ``date``
  (to ``date_precision``); ``by`` — the source says only that it had happened by ``date`` (an
  act the text does not date, known to precede the source or a dated event).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from .vocab import (  # the vocabularies, declared without pandera; named from here too
    ACTOR_KINDS,
    AMOUNT_QUALIFIERS,
    CLAIM_TOPICS,
    DATE_BOUNDS,
    DATE_PRECISIONS,
    EVENT_KINDS,
    FUNDING_MEASURES,
    PERIODS,
    RELATIONS,
    SOURCE_KINDS,
    STANCES,
    VOICE_ANONYMOUS,  # noqa: F401 (re-exported)
    VOICE_AUTHOR,  # noqa: F401 (re-exported)
    VOICES,
)

_ID = r"^[a-z][a-z0-9_]*$"
_ISO3 = r"^[A-Z]{3}$"


class _Evidence(pa.DataFrameModel):
    """Columns every row drawn from a source carries."""

    source_id: Series[str]
    quote: Series[str] = pa.Field(str_length={"min_value": 3})
    date: Series[pd.Timestamp]
    date_precision: Series[str] = pa.Field(isin=DATE_PRECISIONS)

    class Config:
        strict = True
        coerce = True


class Sources(pa.DataFrameModel):
    """sources.csv: one row per source the tables cite (the article, documents, datasets)."""

    source_id: Series[str] = pa.Field(unique=True, str_matches=r"^[a-z0-9][a-z0-9.\-]*$")
    kind: Series[str] = pa.Field(isin=SOURCE_KINDS)
    title: Series[str]
    publisher: Series[str]
    url: Series[str] = pa.Field(nullable=True)
    published: Series[pd.Timestamp] = pa.Field(nullable=True)
    date_precision: Series[str] = pa.Field(isin=DATE_PRECISIONS, nullable=True)
    text_file: Series[str] = pa.Field(
        nullable=True
    )  # verbatim text, relative to analysis/data/texts
    licence: Series[str]
    citation: Series[str]
    note: Series[str] = pa.Field(nullable=True)

    class Config:
        strict = True
        coerce = True


class _Statement(_Evidence):
    """Columns of every row that codes a statement: how it is made and by whom (see above)."""

    date_bound: Series[str] = pa.Field(isin=DATE_BOUNDS)
    stance: Series[str] = pa.Field(isin=STANCES)
    voice: Series[str] = pa.Field(str_matches=_ID)  # author, anonymous or an actor id


class Actors(_Evidence):
    """actors.csv: every actor the article names."""

    # "author" and "anonymous" are voices, so no actor may take those ids
    actor_id: Series[str] = pa.Field(unique=True, str_matches=_ID, notin=VOICES)
    name: Series[str]
    kind: Series[str] = pa.Field(isin=ACTOR_KINDS)
    iso3: Series[str] = pa.Field(nullable=True, str_matches=_ISO3)
    affiliation_id: Series[str] = pa.Field(nullable=True, str_matches=_ID)
    role: Series[str] = pa.Field(nullable=True)
    fighters: Series[pd.Int64Dtype] = pa.Field(ge=0, nullable=True)  # strength, as stated
    fighters_estimated_by: Series[str] = pa.Field(nullable=True, str_matches=_ID)


class Relations(_Statement):
    """relations.csv: directed ties between actors (who threatens, freezes, endorses ... whom)."""

    relation_id: Series[str] = pa.Field(unique=True, str_matches=r"^R\d+$")
    repeats: Series[str] = pa.Field(nullable=True, str_matches=r"^R\d+$")
    subject_id: Series[str] = pa.Field(str_matches=_ID)
    relation: Series[str] = pa.Field(isin=RELATIONS)
    object_id: Series[str] = pa.Field(str_matches=_ID)
    period: Series[str] = pa.Field(isin=PERIODS)
    wording: Series[str]  # the phrase of the quote that carries the tie's strength
    note: Series[str] = pa.Field(nullable=True)


class Funding(_Evidence):
    """funding.csv: reserves held, frozen, blocked, halted or released; amounts in USD."""

    measure_id: Series[str] = pa.Field(unique=True, str_matches=r"^F\d+$")
    actor_id: Series[str] = pa.Field(str_matches=_ID)
    target_id: Series[str] = pa.Field(str_matches=_ID)
    measure: Series[str] = pa.Field(isin=FUNDING_MEASURES)
    instrument: Series[str]
    amount_usd: Series[float] = pa.Field(ge=0, nullable=True)
    amount_qualifier: Series[str] = pa.Field(isin=AMOUNT_QUALIFIERS)
    held_in: Series[str] = pa.Field(nullable=True)
    date_bound: Series[str] = pa.Field(isin=DATE_BOUNDS)
    part_of: Series[str] = pa.Field(nullable=True, str_matches=r"^F\d+$")
    note: Series[str] = pa.Field(nullable=True)

    @pa.dataframe_check(
        error="amount_usd must be empty exactly when amount_qualifier is not_stated"
    )
    @classmethod
    def amount_matches_qualifier(cls, df: pd.DataFrame) -> Series[bool]:
        return df["amount_usd"].isna() == (df["amount_qualifier"] == "not_stated")


class Events(_Statement):
    """events.csv: dated events; death counts only where the source states them."""

    event_id: Series[str] = pa.Field(unique=True, str_matches=r"^E\d+$")
    repeats: Series[str] = pa.Field(nullable=True, str_matches=r"^E\d+$")
    name: Series[str]
    kind: Series[str] = pa.Field(isin=EVENT_KINDS)
    location: Series[str] = pa.Field(nullable=True)
    country_iso3: Series[str] = pa.Field(nullable=True, str_matches=_ISO3)
    actor_id: Series[str] = pa.Field(nullable=True, str_matches=_ID)
    # whom it struck or was aimed at: one or more actor ids separated by ";"
    target_id: Series[str] = pa.Field(nullable=True, str_matches=r"^[a-z0-9_;]+$")
    killed: Series[pd.Int64Dtype] = pa.Field(ge=0, nullable=True)
    killed_us_military: Series[pd.Int64Dtype] = pa.Field(ge=0, nullable=True)
    note: Series[str] = pa.Field(nullable=True)


class Claims(_Statement):
    """claims.csv: the article's testable statements, one per row, paraphrased and quoted."""

    claim_id: Series[str] = pa.Field(unique=True, str_matches=r"^C\d+$")
    repeats: Series[str] = pa.Field(nullable=True, str_matches=r"^C\d+$")
    topic: Series[str] = pa.Field(isin=CLAIM_TOPICS)
    claim: Series[str]
    subject_ids: Series[str] = pa.Field(nullable=True, str_matches=r"^[a-z0-9_;]+$")
    object_ids: Series[str] = pa.Field(nullable=True, str_matches=r"^[a-z0-9_;]+$")


class StrengthTerms(pa.DataFrameModel):
    """strength_terms.csv: the lexicon that turns a relation's wording into a strength (1–3).

    Not evidence from a source but this project's documented reading rule, so it carries a
    rationale instead of a quote; :mod:`analysis.risk` matches terms against
    ``relations.wording``.
    """

    term: Series[str] = pa.Field(unique=True, str_length={"min_value": 2})
    strength: Series[int] = pa.Field(isin=[1, 2, 3])
    rationale: Series[str] = pa.Field(str_length={"min_value": 3})

    class Config:
        strict = True
        coerce = True

"""Loaders for the tables curated from the seed article (``analysis/data/seed/*.csv``).

Each ``load_<table>(data_dir=None)`` returns a validated frame: dates parsed, vocabularies as
ordered categoricals, amounts as floats in USD, counts as nullable integers, missing values left
missing. ``data_dir`` (or ``$AFGHAN_BRIEF_DATA``) points at a directory whose files replace the
shipped ones.
"""

from __future__ import annotations

import os

import pandas as pd

from . import vocab as s
from .registry import TableSpec, load_table

DataDir = str | os.PathLike | None


def _categories(**vocab: tuple[str, ...]):
    """A tidy step that turns the named columns into ordered categoricals of their vocabulary."""

    def tidy(frame: pd.DataFrame) -> pd.DataFrame:
        out = frame.copy()
        for column, values in vocab.items():
            out[column] = pd.Categorical(out[column], categories=list(values), ordered=True)
        return out

    return tidy


def _split_ids(*columns: str, **vocab: tuple[str, ...]):
    """A tidy step: the vocab columns as ordered categoricals, each of ``columns`` (actor ids
    separated by ";") as a list."""

    def tidy(frame: pd.DataFrame) -> pd.DataFrame:
        out = _categories(**vocab)(frame)
        for column in columns:
            out[column] = out[column].map(
                lambda v: [] if pd.isna(v) else [x for x in str(v).split(";") if x]
            )
        return out

    return tidy


# the vocabularies every statement table (relations, events, claims) shares
_STATEMENT_VOCAB = dict(
    date_precision=s.DATE_PRECISIONS, date_bound=s.DATE_BOUNDS, stance=s.STANCES
)


SOURCES = TableSpec(
    "sources", "sources.csv", "seed", "schemas:Sources", "sources cited by the seed-derived tables"
)
ACTORS = TableSpec(
    "actors",
    "actors.csv",
    "seed",
    "schemas:Actors",
    "every actor the seed article names",
    tidy=_categories(kind=s.ACTOR_KINDS, date_precision=s.DATE_PRECISIONS),
)
RELATIONS = TableSpec(
    "relations",
    "relations.csv",
    "seed",
    "schemas:Relations",
    "directed ties between actors, with the period they speak for",
    tidy=_categories(relation=s.RELATIONS, period=s.PERIODS, **_STATEMENT_VOCAB),
)
FUNDING = TableSpec(
    "funding",
    "funding.csv",
    "seed",
    "schemas:Funding",
    "reserves held, frozen, blocked, halted or released (USD)",
    tidy=_categories(
        measure=s.FUNDING_MEASURES,
        amount_qualifier=s.AMOUNT_QUALIFIERS,
        date_precision=s.DATE_PRECISIONS,
        date_bound=s.DATE_BOUNDS,
    ),
)
EVENTS = TableSpec(
    "events",
    "events.csv",
    "seed",
    "schemas:Events",
    "dated events the article reports",
    tidy=_split_ids("target_id", kind=s.EVENT_KINDS, **_STATEMENT_VOCAB),
)
CLAIMS = TableSpec(
    "claims",
    "claims.csv",
    "seed",
    "schemas:Claims",
    "the article's testable statements",
    tidy=_split_ids("subject_ids", "object_ids", topic=s.CLAIM_TOPICS, **_STATEMENT_VOCAB),
)


def _tidy_terms(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.reset_index(drop=True).copy()
    out["strength"] = out["strength"].astype("int64")
    out["order"] = range(len(out))  # ties between equally long terms go to the earlier row
    return out


STRENGTH_TERMS = TableSpec(
    "strength_terms",
    "strength_terms.csv",
    "seed",
    "schemas:StrengthTerms",
    "lexicon: the strength (1-3) a threat's wording carries",
    tidy=_tidy_terms,
)
TABLES = [SOURCES, ACTORS, RELATIONS, FUNDING, EVENTS, CLAIMS, STRENGTH_TERMS]


def load_sources(data_dir: DataDir = None) -> pd.DataFrame:
    """Sources cited by the seed-derived tables.

    ==============  ==========  =====================================================
    column          dtype       meaning
    ==============  ==========  =====================================================
    source_id       str         stable id cited by every evidence row
    kind            str         article, document or dataset
    title           str         title as published (or described, see note)
    publisher       str         who published it
    url             str         where it is published (nullable)
    published       datetime64  publication date, to ``date_precision`` (nullable)
    date_precision  str         day, month or year
    text_file       str         verbatim text under ``analysis/data/texts`` (nullable)
    licence         str         licence or terms of use
    citation        str         how to cite it
    note            str         caveats (nullable)
    ==============  ==========  =====================================================
    """
    return load_table(SOURCES, data_dir)


def load_actors(data_dir: DataDir = None) -> pd.DataFrame:
    """Every actor the seed names: groups, states, bodies and people.

    ==============  ==========  =====================================================
    column          dtype       meaning
    ==============  ==========  =====================================================
    actor_id        str         stable id (``isis_k``, ``chn``, ``imf``, ...)
    name            str         name as the article writes it
    kind            category    militant_group, state, state_group, international_org,
                                central_bank, government, person
    iso3            str         ISO 3166-1 alpha-3 for states (nullable)
    affiliation_id  str         the actor a person or government speaks for (nullable)
    role            str         short description in this project's words (nullable)
    fighters        Int64       fighters, where the quote states an estimate (nullable)
    fighters_estimated_by  str  actor id of who made that estimate (nullable)
    source_id       str         the source naming the actor
    quote           str         verbatim passage naming it
    date            datetime64  the date the passage speaks for
    date_precision  category    day, month or year
    ==============  ==========  =====================================================
    """
    return load_table(ACTORS, data_dir)


def load_relations(data_dir: DataDir = None) -> pd.DataFrame:
    """Directed ties between actors as the article states them.

    ==============  ==========  =====================================================
    column          dtype       meaning
    ==============  ==========  =====================================================
    relation_id     str         ``R001`` ...
    subject_id      str         actor id of the one who acts (threatens, freezes, ...)
    relation        category    one of :data:`analysis.tables.schemas.RELATIONS`
    object_id       str         actor id acted upon
    period          category    before / after the 31 August 2021 withdrawal, or both
    wording         str         the phrase of the quote carrying the tie's strength
    stance          category    asserted, reported, expected, hypothetical or denied
    voice           str         who says it: ``author``, ``anonymous`` or an actor id
    repeats         str         ``relation_id`` this row restates (nullable)
    source_id       str         source id
    quote           str         verbatim evidence
    date            datetime64  the date it speaks for
    date_precision  category    day, month or year
    date_bound      category    ``on`` the date, or ``by`` it (day not stated)
    note            str         caveats (nullable)
    ==============  ==========  =====================================================

    Stance, voice and repeats are defined in :mod:`analysis.tables.schemas`.
    """
    return load_table(RELATIONS, data_dir)


def load_funding(data_dir: DataDir = None) -> pd.DataFrame:
    """Money held, frozen, blocked, halted or released, in USD.

    ================  ==========  =====================================================
    column            dtype       meaning
    ================  ==========  =====================================================
    measure_id        str         ``F01`` ...
    actor_id          str         who holds / froze / blocked / halted
    target_id         str         whose money (``dab``, ``afg``)
    measure           category    held, frozen, blocked, halted, made_available,
                                  subject_to_litigation, transferred
    instrument        str         what money (central bank reserves, funding, ...)
    amount_usd        float       USD; NaN where the source states no amount
    amount_qualifier  category    exact, about, more_than, not_stated
    held_in           str         where it is held, as stated (nullable)
    part_of           str         ``measure_id`` of the total it belongs to (nullable)
    date_bound        category    ``on`` the date, or ``by`` it (day not stated)
    source_id, quote, date, date_precision, note: as in every evidence table
    ================  ==========  =====================================================
    """
    return load_table(FUNDING, data_dir)


def load_events(data_dir: DataDir = None) -> pd.DataFrame:
    """Dated events the article reports.

    ==================  ==========  ===================================================
    column              dtype       meaning
    ==================  ==========  ===================================================
    event_id            str         ``E01`` ...
    date                datetime64  when, to ``date_precision``
    name                str         short name in this project's words
    kind                category    attack, strike, withdrawal, statement, ...
    location            str         place as stated (nullable)
    country_iso3        str         ISO3 of the place (nullable)
    actor_id            str         who acted (nullable)
    target_id           list[str]   whom it struck or was aimed at (empty: not stated)
    killed              Int64       deaths as stated (nullable: never estimated)
    killed_us_military  Int64       US service members killed as stated (nullable)
    stance, voice       category, str  how and by whom it is stated (as in relations)
    repeats             str         ``event_id`` this row restates (nullable)
    date_bound          category    ``on`` the date, or ``by`` it (day not stated)
    source_id, quote, date_precision, note: as in every evidence table
    ==================  ==========  ===================================================
    """
    return load_table(EVENTS, data_dir)


def load_claims(data_dir: DataDir = None) -> pd.DataFrame:
    """The article's testable statements, one per row.

    ==============  ==========  =====================================================
    column          dtype       meaning
    ==============  ==========  =====================================================
    claim_id        str         ``C01`` ...
    topic           category    risk_shift, threat, alignment, counterterrorism, ...
    claim           str         paraphrase in this project's words
    subject_ids     list[str]   actors the claim is about (not its speaker: see voice)
    object_ids      list[str]   actors affected
    stance          category    asserted, reported, expected, hypothetical or denied
    voice           str         who says it: ``author``, ``anonymous`` or an actor id
    repeats         str         ``claim_id`` this row restates (nullable)
    date_bound      category    ``on`` the date, or ``by`` it
    source_id, quote, date, date_precision: as in every evidence table
    ==============  ==========  =====================================================
    """
    return load_table(CLAIMS, data_dir)


def load_strength_terms(data_dir: DataDir = None) -> pd.DataFrame:
    """The project's lexicon for reading a threat's strength from its wording.

    =========  =====  ================================================================
    column     dtype  meaning
    =========  =====  ================================================================
    term       str    a phrase matched (case-insensitively) inside ``relations.wording``
    strength   int64  1 weak, 2 moderate, 3 strong
    rationale  str    why the term carries that strength
    order      int64  row order; among equally long matches the earlier term wins
    =========  =====  ================================================================
    """
    return load_table(STRENGTH_TERMS, data_dir)

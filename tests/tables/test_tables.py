"""The seed-derived tables load with fixed dtypes and hold the article's figures, no more."""

from __future__ import annotations

import pandas as pd
import pytest

import analysis
from analysis import tables


def test_loaders_fix_dtypes():
    funding = analysis.load_funding()
    assert funding["amount_usd"].dtype == "float64"
    assert isinstance(funding["measure"].dtype, pd.CategoricalDtype)
    assert funding["date"].dtype.kind == "M"
    events = analysis.load_events()
    assert str(events["killed"].dtype) == "Int64"
    claims = analysis.load_claims()
    assert all(isinstance(v, list) for v in claims["object_ids"])


def _funding(actor, measure):
    f = analysis.load_funding()
    return f[(f["actor_id"] == actor) & (f["measure"] == measure)].iloc[0]


def test_reserve_figures_are_the_articles():
    assert _funding("dab", "held")["amount_usd"] == 9.5e9
    frozen = _funding("usa", "frozen")
    assert frozen["amount_usd"] == 7e9 and frozen["amount_qualifier"] == "about"
    assert frozen["held_in"] == "US institutions"
    assert _funding("imf", "blocked")["amount_usd"] == 460e6


def test_world_bank_halt_has_no_amount():
    halted = _funding("world_bank", "halted")
    assert pd.isna(halted["amount_usd"]) and halted["amount_qualifier"] == "not_stated"


def test_executive_order_figures_carry_their_own_source():
    f = analysis.load_funding()
    eo = f[f["source_id"] == "wh-eo-2022-02-11"]
    assert set(eo["measure"]) >= {"made_available", "subject_to_litigation"}
    assert (eo["date"] == pd.Timestamp("2022-02-11")).all()


def test_airport_attack_counts():
    e = analysis.load_events().set_index("event_id")
    attack = e[(e["kind"] == "attack") & (e["date"] == pd.Timestamp("2021-08-26"))].iloc[0]
    assert (attack["killed"], attack["killed_us_military"]) == (170, 13)
    assert attack["actor_id"] == "isis_k"


def test_isis_k_strength_is_the_un_estimate():
    a = analysis.load_actors().set_index("actor_id")
    assert a.loc["isis_k", "fighters"] == 2000
    assert a.loc["isis_k", "fighters_estimated_by"] == "un"
    assert a["fighters"].notna().sum() == 1  # no other strength is stated


@pytest.mark.parametrize(
    "actor",
    [
        "taliban",
        "isis_k",
        "ttp",
        "etim",
        "al_qaeda",
        "usa",
        "chn",
        "rus",
        "irn",
        "pak",
        "ind",
        "gbr",
        "aut",
        "central_asia",
        "sco",
        "un",
        "imf",
        "world_bank",
        "dab",
    ],
)
def test_every_actor_the_issue_names_is_present(actor):
    assert actor in set(analysis.load_actors()["actor_id"])


def test_people_are_linked_to_who_they_speak_for():
    a = analysis.load_actors().set_index("actor_id")
    people = a[a["kind"] == "person"]
    assert len(people) >= 6
    assert a.loc["suhail_shaheen", "affiliation_id"] == "taliban"
    assert a.loc["jake_sullivan", "affiliation_id"] == "usa"


@pytest.mark.parametrize(
    "subject, relation, obj, period",
    [
        ("isis_k", "threatens", "rus", "after"),
        ("isis_k", "threatens", "chn", "after"),
        ("isis_k", "threatens", "irn", "after"),
        ("isis_k", "threatens", "pak", "after"),
        ("etim", "threatens", "chn", "after"),
        ("ttp", "threatens", "pak", "after"),
        # ISIS-K attacked the US (the airport); the threats before name no group
        ("isis_k", "attacks", "usa", "before"),
        ("unattributed", "threatens", "usa", "before"),
        ("usa", "freezes", "dab", "both"),
        ("afg", "observer_of", "sco", "both"),
        ("chn", "invests_in", "afg", "both"),
        ("taliban", "frees_detainees", "ttp", "before"),
    ],
)
def test_relations_the_article_states(subject, relation, obj, period):
    r = analysis.load_relations()
    hit = r[(r["subject_id"] == subject) & (r["relation"] == relation) & (r["object_id"] == obj)]
    assert not hit.empty, (subject, relation, obj)
    assert period in set(hit["period"]) or "both" in set(hit["period"])


def test_embassies_open_and_closed():
    r = analysis.load_relations()
    open_ = set(r.loc[r["relation"] == "embassy_open", "subject_id"])
    assert open_ == {"rus", "chn", "irn", "pak"}
    assert set(r.loc[r["relation"] == "embassy_closed", "subject_id"]) == {"western_countries"}


def test_claims_are_one_row_each_with_a_topic():
    c = analysis.load_claims()
    assert c["claim_id"].is_unique and len(c) >= 15
    assert "risk_shift" in set(c["topic"])
    shifted = c[c["quote"].str.contains("shifted to neighboring states")]
    assert len(shifted) == 1


def test_data_dir_replaces_only_the_files_it_holds(seed_min):
    (seed_min.path / "actors.csv").unlink()
    assert len(tables.load_funding(seed_min)) == 2  # from the override
    assert len(tables.load_actors(seed_min)) == len(tables.load_actors())  # shipped copy

"""How the seed's statements are made (stance, voice, repeats, date bound): the schemas and the
cross-table checks reject what is not allowed, naming file, row and column; and the rows the issue
lists read as the article means them.
"""

from __future__ import annotations

import pandas as pd
import pytest

import analysis
from analysis import tables
from analysis.exceptions import DataError
from analysis.tables import provenance
from analysis.tables.schemas import DATE_BOUNDS, STANCES, VOICES

SEED_TABLES = ("sources", "actors", "relations", "funding", "events", "claims")

# the second row of a small relations table: the same freeze, stated again in other words
SECOND = (
    "R002,usa,freezes,dab,both,asserted,author,{repeats},frozen,asiatimes-2021-09,"
    "{quote},2021-09-01,month,on,\n"
)
FREEZE = "The US has already frozen around US$7 billion worth of Afghan central bank reserves"


def _load(data_dir) -> dict:
    return {name: getattr(tables, f"load_{name}")(data_dir) for name in SEED_TABLES}


def _problems(data_dir) -> list[tuple]:
    found = provenance.check_provenance(_load(data_dir), data_dir)
    return [(p.file, p.row, p.column, p.message) for p in found]


def _relations_header_first(seed_min) -> None:
    """seed_min's relations.csv with the statement columns in the shipped table's order."""
    frame = pd.read_csv(seed_min.file("relations.csv"), dtype=str, keep_default_na=False)
    shipped = pd.read_csv(analysis.tables.get_spec("relations").path(), nrows=0).columns
    frame[list(shipped)].to_csv(seed_min.file("relations.csv"), index=False)


def _add_relation(seed_min, repeats: str = "", quote: str = FREEZE) -> None:
    _relations_header_first(seed_min)
    with seed_min.file("relations.csv").open("a", encoding="utf-8") as handle:
        handle.write(SECOND.format(repeats=repeats, quote=quote))


# --- the vocabularies ---------------------------------------------------------------------------


def test_the_vocabularies_are_the_issues():
    assert STANCES == ("asserted", "reported", "expected", "hypothetical", "denied")
    assert VOICES == ("author", "anonymous")
    assert DATE_BOUNDS == ("on", "by")


@pytest.mark.parametrize(
    ("name", "old", "new", "column"),
    [
        ("relations.csv", ",asserted,", ",rumoured,", "stance"),
        ("claims.csv", ",asserted,", ",claimed,", "stance"),
        ("events.csv", ",asserted,", ",alleged,", "stance"),
        ("relations.csv", ",on\n", ",about\n", "date_bound"),
        ("funding.csv", ",on\n", ",around\n", "date_bound"),
    ],
)
def test_schema_rejects_a_value_outside_the_vocabulary(seed_min, name, old, new, column):
    seed_min.replace(name, old, new)
    loader = getattr(tables, f"load_{name.removesuffix('.csv')}")
    with pytest.raises(DataError) as err:
        loader(seed_min)
    (problem,) = err.value.problems
    assert (problem.file, problem.row, problem.column) == (name, 1, column)
    assert new.strip(",\n") in problem.message


def test_schema_rejects_a_voice_that_cannot_be_an_id(seed_min):
    seed_min.replace("relations.csv", ",asserted,author,", ",asserted,The Author,")
    with pytest.raises(DataError) as err:
        tables.load_relations(seed_min)
    (problem,) = err.value.problems
    assert (problem.file, problem.row, problem.column) == ("relations.csv", 1, "voice")


@pytest.mark.parametrize("name", ["relations.csv", "claims.csv", "events.csv"])
def test_a_voice_that_is_no_actor_author_or_anonymous_is_named(seed_min, name):
    seed_min.replace(name, ",asserted,author,", ",asserted,narnia_spokesman,")
    assert _problems(seed_min) == [
        (
            name,
            1,
            "voice",
            "voice 'narnia_spokesman' is neither 'author', 'anonymous' nor an actor id of "
            "actors.csv",
        )
    ]


@pytest.mark.parametrize("voice", ["author", "anonymous", "usa"])
def test_author_anonymous_and_actor_ids_are_voices(seed_min, voice):
    seed_min.replace("relations.csv", ",asserted,author,", f",asserted,{voice},")
    assert _problems(seed_min) == []


def test_no_actor_may_take_the_id_of_a_voice(seed_min):
    seed_min.replace("actors.csv", "\nusa,US,", "\nauthor,US,")
    with pytest.raises(DataError) as err:
        tables.load_actors(seed_min)
    (problem,) = err.value.problems
    assert (problem.file, problem.row, problem.column) == ("actors.csv", 1, "actor_id")


def test_a_statement_table_without_stance_is_rejected(seed_min):
    seed_min.drop_column("claims.csv", "stance")
    with pytest.raises(DataError, match="claims.csv, column 'stance': required column is missing"):
        tables.load_claims(seed_min)


# --- repeats: a statement counted once ---------------------------------------------------------


def test_a_repeat_of_its_original_passes(seed_min):
    _add_relation(seed_min, repeats="R001")
    assert _problems(seed_min) == []
    assert tables.load_relations(seed_min)["repeats"].tolist()[1] == "R001"


@pytest.mark.parametrize(
    ("repeats", "message"),
    [
        ("R009", "repeats unknown relation_id 'R009'"),
        ("R002", "R002 repeats itself"),
    ],
)
def test_a_repeat_must_point_at_another_row(seed_min, repeats, message):
    _add_relation(seed_min, repeats=repeats)
    assert _problems(seed_min) == [("relations.csv", 2, "repeats", message)]


def test_a_repeat_points_at_the_original_not_at_another_repeat(seed_min):
    _add_relation(seed_min, repeats="R001")
    with seed_min.file("relations.csv").open("a", encoding="utf-8") as handle:
        handle.write(SECOND.replace("R002", "R003").format(repeats="R002", quote="already frozen"))
    assert _problems(seed_min) == [
        (
            "relations.csv",
            3,
            "repeats",
            "repeats R002, itself a repeat of R001: point at the original, R001",
        )
    ]


def test_a_repeat_states_the_same_tie(seed_min):
    _add_relation(seed_min, repeats="R001")
    seed_min.replace("relations.csv", "R002,usa,freezes,dab", "R002,usa,blocks,dab")
    ((file, row, column, message),) = _problems(seed_min)
    assert (file, row, column) == ("relations.csv", 2, "repeats")
    assert message.startswith("repeats R001 but differs from it in relation")


def test_the_same_tie_in_the_same_words_twice_must_be_marked_as_a_repeat(seed_min):
    _add_relation(
        seed_min,
        quote="The US has already frozen around US$7 billion worth of Afghan "
        "central bank reserves held in US institutions",
    )
    assert _problems(seed_min) == [
        (
            "relations.csv",
            2,
            "repeats",
            "states the same as R001 in the same quote: it would count twice; remove it or "
            "mark it as repeating R001",
        )
    ]


# --- the shipped tables --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped():
    return {name: getattr(tables, f"load_{name}")() for name in ("relations", "claims", "events")}


def test_every_shipped_statement_has_a_stance_and_a_voice(shipped):
    for frame in shipped.values():
        assert frame["stance"].notna().all() and frame["voice"].notna().all()
        assert frame["date_bound"].notna().all()
    assert provenance.check_voices(_load(None)) == []
    assert provenance.check_repeats(_load(None)) == []


def _relation(shipped, relation_id):
    return shipped["relations"].set_index("relation_id").loc[relation_id]


def _coded(row, *columns):
    return tuple(str(row[c]) if not pd.isna(row[c]) else "" for c in columns)


@pytest.mark.parametrize(
    ("relation_id", "expected"),
    [
        # "Recent reports ... on the verge of forming an unlikely alliance ... mostly off the mark"
        ("R051", ("usa", "allied_with", "taliban", "denied", "author")),
        # "the US no longer faces any direct or immediate threat from ISIS-K"
        ("R006", ("isis_k", "threatens", "usa", "denied", "author")),
        # "will reach more to Moscow ... before building any significant anti-terrorism
        # cooperation with Washington": no ties sought with the US now
        ("R055", ("taliban", "seeks_ties", "usa", "denied", "author")),
        # Raab's expectation that Russia and China "will need to have a moderating influence"
        ("R103", ("rus", "engages", "taliban", "expected", "dominic_raab")),
        ("R104", ("chn", "engages", "taliban", "expected", "dominic_raab")),
        # ... and the UK's own tie: its Foreign Secretary calls on Russia and China
        ("R114", ("gbr", "urges", "rus", "asserted", "dominic_raab")),
        ("R115", ("gbr", "urges", "chn", "asserted", "dominic_raab")),
        # the Afghan-related terror risks and the caption's bomb threats name no group
        ("R009", ("unattributed", "threatens", "usa", "asserted", "author")),
        ("R010", ("unattributed", "threatens", "western_countries", "asserted", "author")),
        ("R011", ("unattributed", "threatens", "usa", "asserted", "author")),
        # the airport attack struck Afghanistan (170 killed) as well as the US (13 servicemen)
        ("R012", ("isis_k", "attacks", "usa", "asserted", "author")),
        ("R111", ("isis_k", "attacks", "afg", "asserted", "author")),
        # Sullivan hinted at an understanding (a hint relayed), and said strikes will continue
        ("R047", ("usa", "engages", "taliban", "reported", "jake_sullivan")),
        ("R044", ("usa", "strikes", "isis_k", "expected", "jake_sullivan")),
        # the Kabul-based observer speaks anonymously
        ("R031", ("jihadi_movement", "threatens", "chn", "expected", "anonymous")),
        # "unless it activates sleeper cells": a condition
        ("R007", ("isis_k", "threatens", "usa", "hypothetical", "author")),
    ],
)
def test_issue_rows_read_as_the_article_means_them(shipped, relation_id, expected):
    row = _relation(shipped, relation_id)
    assert _coded(row, "subject_id", "relation", "object_id", "stance", "voice") == expected


def test_r046_is_gone_a_political_challenge_is_not_a_us_threat_to_the_taliban(shipped):
    relations = shipped["relations"]
    assert "R046" not in set(relations["relation_id"])
    us_threats = relations[
        (relations["subject_id"] == "usa") & (relations["relation"] == "threatens")
    ]
    assert us_threats.empty


def test_the_caption_r038_repeats_r036(shipped):
    assert _relation(shipped, "R038")["repeats"] == "R036"
    assert _coded(_relation(shipped, "R038"), "subject_id", "relation", "object_id") == _coded(
        _relation(shipped, "R036"), "subject_id", "relation", "object_id"
    )


def test_the_27_august_drone_strike_is_before_the_withdrawal_ended(shipped):
    # the text presents R043 as the US response to the 26 August attack
    row = _relation(shipped, "R043")
    assert (row["period"], row["date"], row["date_precision"]) == (
        "before",
        pd.Timestamp("2021-08-01"),
        "month",
    )


def test_the_release_of_ttp_fighters_has_one_date_in_both_tables(shipped):
    # R039 and E11 are the same act: by 29 August 2021, when the caption shows Kabul in
    # Taliban hands; the text gives no day
    relation = _relation(shipped, "R039")
    event = shipped["events"].set_index("event_id").loc["E11"]
    for row in (relation, event):
        assert _coded(row, "date", "date_precision", "date_bound") == (
            "2021-08-29 00:00:00",
            "day",
            "by",
        )


def test_the_tianjin_meeting_is_dated_only_as_before_the_article(shipped):
    # the caption gives no date: done by the article (September 2021), not "in September"
    rows = [_relation(shipped, "R074"), _relation(shipped, "R075")]
    rows.append(shipped["events"].set_index("event_id").loc["E19"])
    assert {_coded(r, "date_precision", "date_bound") for r in rows} == {("month", "by")}


def test_the_freezes_are_dated_august_before_the_withdrawal():
    funding = tables.load_funding().set_index("measure_id")
    events = tables.load_events().set_index("event_id")
    relations = tables.load_relations().set_index("relation_id")
    august = pd.Timestamp("2021-08-01")
    for row in [
        *(funding.loc[m] for m in ("F02", "F03", "F04")),
        *(events.loc[e] for e in ("E21", "E22", "E23")),
        *(relations.loc[r] for r in ("R087", "R088", "R089")),
    ]:
        assert (row["date"], row["date_precision"], row["date_bound"]) == (august, "month", "on")


def test_f08_is_dated_only_as_done_by_the_fact_sheet():
    row = tables.load_funding().set_index("measure_id").loc["F08"]
    assert (row["date"], row["date_precision"], row["date_bound"]) == (
        pd.Timestamp("2022-02-11"),
        "day",
        "by",
    )


def test_the_airport_attack_event_targets_afghanistan_and_the_us(shipped):
    e01 = shipped["events"].set_index("event_id").loc["E01"]
    assert e01["target_id"] == ["afg", "usa"]


@pytest.mark.parametrize(
    ("claim_id", "voice", "stance", "words"),
    [
        ("C35", "zabihullah_mujahid", "expected", "won’t allow any group to use Afghan soil"),
        ("C36", "jake_sullivan", "expected", "drone strikes targeting ISIS-K"),
        ("C37", "author", "asserted", "China is already the largest foreign investor"),
    ],
)
def test_the_articles_missing_testable_statements_are_claims(
    shipped, claim_id, voice, stance, words
):
    claim = shipped["claims"].set_index("claim_id").loc[claim_id]
    assert (claim["voice"], claim["stance"]) == (voice, stance)
    assert words in claim["quote"]


def test_a_speaker_is_the_voice_of_a_claim_not_its_subject(shipped):
    claims = shipped["claims"].set_index("claim_id")
    speakers = {"kabul_observer", "yue_xiaoyong", "dominic_raab"}
    assert not any(speakers & set(ids) for ids in claims["subject_ids"])
    assert claims.loc["C33", "voice"] == "dominic_raab"
    assert claims.loc["C33", "subject_ids"] == ["rus", "chn"]
    assert set(claims.loc[["C08", "C09", "C10", "C17"], "voice"]) == {"anonymous"}

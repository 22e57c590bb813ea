"""Which threat statements count towards exposure: the stances named by ``counted_stances``, in
the author's or a named speaker's voice; never a denial, a repeat or an anonymous source.

Unit tests on small frames built here (one threat statement, its stance varied), then the
shipped rows the issue names.
"""

from __future__ import annotations

import pandas as pd
import pytest

import analysis
from analysis import risk
from analysis.exceptions import ParameterError
from analysis.tables.schemas import STANCES

ACTORS = pd.DataFrame(
    {
        "actor_id": ["isis_k", "rus", "jake_sullivan"],
        "name": ["ISIS-K", "Russia", "Jake Sullivan"],
        "kind": ["militant_group", "state", "person"],
        "iso3": [None, "RUS", None],
    }
)
TERMS = pd.DataFrame({"term": ["threat"], "strength": [2], "rationale": ["plain"], "order": [0]})


def relations(*rows: dict) -> pd.DataFrame:
    """Threat statements of ISIS-K against Russia, after the withdrawal, one per row."""
    base = dict(
        subject_id="isis_k",
        relation="threatens",
        object_id="rus",
        period="after",
        stance="asserted",
        voice="author",
        repeats=None,
        wording="a threat",
        quote="a threat",
        source_id="asiatimes-2021-09",
        note=None,
    )
    return pd.DataFrame(
        [{**base, "relation_id": f"R{i + 1:03d}", **row} for i, row in enumerate(rows)]
    )


def after(rel: pd.DataFrame, weights: risk.Weights | None = None) -> float:
    weights = weights or risk.Weights()
    edges = risk.threat_edges(rel, ACTORS, TERMS)
    table = risk.exposure(risk.edge_contributions(edges, ACTORS, weights))
    return float(table.set_index("iso3").loc["RUS", "after"])


@pytest.mark.parametrize("stance", risk.COUNTABLE_STANCES)
def test_a_stance_counts_exactly_when_counted_stances_names_it(stance):
    rel = relations({"stance": stance})
    assert after(rel, risk.Weights(stances=(stance,))) == 2.0  # moderate
    others = tuple(s for s in risk.COUNTABLE_STANCES if s != stance)
    assert after(rel, risk.Weights(stances=others)) == 0.0


def test_each_stance_changes_the_default_exposure_as_documented():
    counted = {s: after(relations({"stance": s})) for s in STANCES}
    assert counted == {
        "asserted": 2.0,  # the default counts what the article asserts ...
        "reported": 0.0,
        "expected": 2.0,  # ... and what it expects
        "hypothetical": 0.0,
        "denied": 0.0,
    }


def test_a_denial_never_adds_exposure_whatever_is_counted():
    denial = relations({"stance": "denied"})
    assert after(denial, risk.Weights(stances=risk.COUNTABLE_STANCES)) == 0.0
    with pytest.raises(ParameterError, match="a denial never adds exposure"):
        risk.Weights(stances=("asserted", "denied"))
    # a denial beside an assertion takes nothing away either: exposure is never negative
    assert after(relations({}, {"stance": "denied"})) == after(relations({}))


def test_a_repeat_counts_once():
    original = relations({})
    repeated = relations({}, {"repeats": "R001", "quote": "the caption"})
    assert after(repeated) == after(original) == 2.0
    contributions = risk.edge_contributions(
        risk.threat_edges(repeated, ACTORS, TERMS), ACTORS
    ).set_index("relation_id")
    assert contributions.loc["R002", "formula"] == "not counted: repeats R001"
    assert not contributions.loc["R002", "counted"]


def test_an_anonymous_voice_never_counts_and_a_named_speaker_does():
    everything = risk.Weights(stances=risk.COUNTABLE_STANCES)
    assert after(relations({"voice": "anonymous"}), everything) == 0.0
    assert after(relations({"voice": "jake_sullivan", "stance": "expected"})) == 2.0


def test_a_state_reached_only_by_statements_that_do_not_count_is_listed_with_zero():
    edges = risk.threat_edges(relations({"stance": "denied"}), ACTORS, TERMS)
    table = risk.exposure(risk.edge_contributions(edges, ACTORS)).set_index("iso3")
    assert table.loc["RUS", ["before", "after", "edges_after"]].tolist() == [0.0, 0.0, 0]


def test_edges_without_stance_columns_count_as_asserted():
    old = relations({}).drop(columns=["stance", "voice", "repeats"])
    assert after(old) == 2.0


def test_weights_keep_the_stances_in_vocabulary_order_and_describe_them():
    weights = risk.Weights(stances=["hypothetical", "asserted"])
    assert weights.stances == ("asserted", "hypothetical")
    assert weights.describe().endswith("counting asserted, hypothetical statements")
    assert all(w.stances == weights.stances for w in risk.weight_grid(weights))


def test_counting_text_follows_the_parameter():
    rel = relations(
        {},
        {"stance": "denied"},
        {"stance": "hypothetical"},
        {"voice": "anonymous"},
        {"repeats": "R001", "quote": "the caption"},
    )
    edges = risk.threat_edges(rel, ACTORS, TERMS)
    default = risk.counting_text(edges)
    assert "stance asserted or expected" in default and ": 1 of the 5 threat statements" in default
    assert "1 denied (a denial never adds exposure); 1 repeating another row" in default
    assert "1 in an anonymous voice" in default
    assert "0 reported, 1 hypothetical" in default
    wider = risk.counting_text(edges, ["asserted", "hypothetical"])
    assert ": 2 of the 5 threat statements" in wider and "0 reported, 0 expected" in wider
    assert default._repr_markdown_() == str(default)


def test_counting_summary_names_the_statements_of_each_status():
    rel = relations({}, {"stance": "denied"}, {"repeats": "R001", "quote": "the caption"})
    summary = risk.counting_summary(risk.threat_edges(rel, ACTORS, TERMS))
    assert summary.values.tolist() == [
        ["counted", 1, "R001"],
        ["denied", 1, "R002"],
        ["repeats", 1, "R003"],
    ]


# --- the shipped statements the issue names ---------------------------------------------------


@pytest.fixture(scope="module")
def shipped():
    return risk.assess_exposure()


def _contribution(contributions: pd.DataFrame, relation_id: str) -> float:
    return float(
        contributions.loc[contributions["relation_id"] == relation_id, "contribution"].sum()
    )


def test_shipped_denial_r006_adds_nothing_to_the_us(shipped):
    # "the US no longer faces any direct or immediate threat from ISIS-K"
    _, contributions, _ = shipped
    assert _contribution(contributions, "R006") == 0.0
    everything = risk.Weights(stances=risk.COUNTABLE_STANCES)
    _, wide, _ = risk.assess_exposure(everything)
    assert _contribution(wide, "R006") == 0.0


def test_shipped_caption_r038_does_not_count_the_ttp_attacks_twice(shipped):
    _, contributions, table = shipped
    assert _contribution(contributions, "R038") == 0.0
    both = contributions[contributions["relation_id"] == "R036"]
    pak = table.set_index("iso3").loc["PAK"]
    assert pak["before"] == both.loc[both["period"] == "before", "contribution"].sum()


def test_shipped_observer_and_reported_statements_count_only_as_the_parameters_say(shipped):
    edges, contributions, _ = shipped
    anonymous = edges.loc[edges["voice"] == "anonymous", "relation_id"]
    assert set(anonymous) == {"R031", "R032", "R033", "R034"}  # the Kabul-based observer
    assert all(_contribution(contributions, r) == 0.0 for r in anonymous)
    _, wide, _ = risk.assess_exposure(risk.Weights(stances=("asserted", "expected", "reported")))
    assert _contribution(contributions, "R035") == 0.0  # the TTP chief's aim, relayed
    assert _contribution(wide, "R035") == 2.0  # counted when reported statements count


def test_the_regional_risk_notebook_declares_counted_stances():
    import json

    from conftest import REPO

    nb = json.loads((REPO / "notebooks" / "regional_risk.ipynb").read_text(encoding="utf-8"))
    parameters = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
    source = "".join(parameters["source"])
    assert 'counted_stances: list = ["asserted", "expected"]  #' in source
    assert analysis.check_parameters(counted_stances=["asserted", "expected"])

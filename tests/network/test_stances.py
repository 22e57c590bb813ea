"""The network draws how the article states each tie: one line style per stance (with a legend
entry), who says it in the hover, a repeat shown but counted once, and a filter by stance.

Built on ``tests/fixtures/network`` with one relation's stance or repeat changed per test.
"""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import FIXTURES

import analysis
from analysis import network
from analysis.exceptions import ParameterError
from analysis.tables import load_actors, load_relations
from analysis.tables.schemas import STANCES

FIXTURE = FIXTURES / "network"


@pytest.fixture(scope="module")
def frames():
    return load_actors(FIXTURE), load_relations(FIXTURE)


def _with(relations: pd.DataFrame, relation_id: str, **values) -> pd.DataFrame:
    out = relations.copy()
    for column, value in values.items():
        out[column] = out[column].astype(object)
        out.loc[out["relation_id"] == relation_id, column] = value
    return out


def _tie_traces(fig):
    return [t for t in fig.data if t.mode == "lines+markers"]


def _hover_of(fig, relation_id) -> tuple[str, int]:
    """The hover text naming a relation, and the index of the trace that draws its arrow."""
    carrier = next(t for t in fig.data if t.name == "tie details")
    found = [
        (h, owner)
        for h, owner in zip(carrier.hovertext, carrier.customdata, strict=True)
        if f"{relation_id}, stated for" in h
    ]
    assert len(found) == 1, relation_id
    return found[0]


def _trace_of(fig, relation_id):
    """The trace drawing a relation's arrow."""
    return fig.data[_hover_of(fig, relation_id)[1]]


@pytest.mark.parametrize("stance", STANCES)
def test_each_stance_has_its_own_line_style_and_legend_entry(frames, stance):
    actors, relations = frames
    # R006: China endorses the Taliban, asserted in the fixture; restated in each stance
    graph = network.build_graph(actors, _with(relations, "R006", stance=stance))
    fig = network.network_chart(graph)
    trace = _trace_of(fig, "R006")
    dash, head = network.STANCE_STYLES[stance]
    assert trace.line.dash == dash
    assert head in trace.marker.symbol
    legend = [t for t in fig.data if t.showlegend is not False and t.mode == "lines"]
    entry = next(t for t in legend if t.name == network.STANCE_LABELS[stance])
    assert entry.line.dash == dash
    hover = _hover_of(fig, "R006")[0]
    assert f"R006, stated for after 31 Aug 2021; {stance} by the author" in hover


def test_every_stance_is_drawn_differently_from_asserted():
    styles = set(network.STANCE_STYLES.values())
    assert len(styles) == len(STANCES)  # no two stances look alike
    assert network.STANCE_STYLES["asserted"] == ("solid", "arrow")
    assert all(v[0] != "solid" for k, v in network.STANCE_STYLES.items() if k != "asserted")


def test_legend_lists_only_the_stances_shown(frames):
    fig = network.network_chart(network.build_graph(*frames, ["threatens"]))
    stance_entries = [t.name for t in fig.data if t.name in network.STANCE_LABELS.values()]
    # the fixture's threats: R001, R002, R010 asserted, R009 denied
    assert stance_entries == [network.STANCE_LABELS["asserted"], network.STANCE_LABELS["denied"]]


def test_hover_says_who_says_it(frames):
    fig = network.network_chart(network.build_graph(*frames))
    sullivan = _hover_of(fig, "R008")[0]
    assert "R008, stated for before and after 31 Aug 2021; reported by Jake Sullivan" in sullivan
    yue = _hover_of(fig, "R007")[0]
    assert "asserted by Yue Xiaoyong" in yue


def test_the_same_tie_in_two_stances_is_two_arrows(frames):
    actors, relations = frames
    # R001 and R010 both say ISIS-K threatens China; deny one of them
    graph = network.build_graph(actors, _with(relations, "R010", stance="denied"))
    drawn = network.drawn_edges(graph.edges)
    china = drawn[(drawn["subject_id"] == "isis_k") & (drawn["object_id"] == "chn")]
    assert china[["stance", "ties", "relation_ids"]].values.tolist() == [
        ["asserted", 1, ["R001"]],
        ["denied", 1, ["R010"]],
    ]


def test_a_repeat_is_shown_but_counted_once(frames):
    actors, relations = frames
    base = network.build_graph(actors, relations)
    graph = network.build_graph(actors, _with(relations, "R010", repeats="R001"))
    drawn = network.drawn_edges(graph.edges)
    china = drawn[(drawn["subject_id"] == "isis_k") & (drawn["object_id"] == "chn")].iloc[0]
    # both passages in the hover, but the arrow is as thick as for one passage
    assert (china["ties"], china["relation_ids"]) == (1, ["R001", "R010"])
    hover = _hover_of(network.network_chart(graph), "R010")[0]
    assert "asserted by the author, repeating R001" in hover
    # counts: one tie fewer than when R010 is a statement of its own
    isis = graph.nodes.set_index("actor_id").loc["isis_k"]
    assert isis["ties_out"] == base.nodes.set_index("actor_id").loc["isis_k", "ties_out"] - 1
    summary = network.relation_summary(graph)
    assert (
        summary.loc["threatens", "ties"]
        == network.relation_summary(base).loc["threatens", "ties"] - 1
    )
    assert network.tie_counts(graph)["ties"].sum() == 2 * (len(graph.edges) - 1)
    stances = network.stance_summary(graph)
    assert stances.loc["asserted", "repeats"] == 1
    assert "and 1 passage(s) repeating one of them" in (
        network.network_chart(graph).layout.annotations[-1].text.replace("<br>", " ")
    )


def test_stance_summary_counts_ties_by_stance_and_voice(frames):
    summary = network.stance_summary(network.build_graph(*frames))
    assert list(summary.index) == ["asserted", "reported", "denied"]
    assert summary.loc["reported"].to_dict() == {
        "ties": 1,
        "by_the_author": 0,
        "by_a_named_speaker": 1,  # Sullivan
        "by_an_anonymous_source": 0,
        "repeats": 0,
    }
    assert summary["ties"].sum() == 10
    assert summary.loc["asserted", "by_a_named_speaker"] == 2  # Shaheen (R005), Yue (R007)


def test_stances_filter_keeps_only_those_stances(frames):
    graph = network.build_graph(*frames, stances=["asserted"])
    assert "R008" not in set(graph.edges["relation_id"])  # reported
    assert "R009" not in set(graph.edges["relation_id"])  # denied
    assert set(graph.edges["stance"]) == {"asserted"} and len(graph.edges) == 8
    assert graph.stances == ("asserted",)
    text = network.network_chart(graph).layout.annotations[-1].text.replace("<br>", " ")
    assert "stated as asserted" in text
    assert len(network.build_graph(*frames, stances=[]).edges) == 10  # [] keeps every stance


def test_an_unknown_stance_is_a_parameter_error(frames):
    with pytest.raises(ParameterError, match="parameter 'stances' must be a list"):
        network.build_graph(*frames, stances=["rumoured"])


def test_relations_without_stance_columns_read_as_asserted_by_the_author(frames):
    actors, relations = frames
    old = relations.drop(columns=["stance", "voice", "repeats"])
    graph = network.build_graph(actors, old)
    assert set(graph.edges["stance"]) == {"asserted"}
    assert set(graph.edges["voice_name"]) == {"the author"}


def test_stances_parameter_rule():
    assert analysis.check_parameters(stances=["denied", "asserted"]).stances == [
        "denied",
        "asserted",
    ]
    assert analysis.check_parameters(stances=[]).stances == []
    with pytest.raises(ParameterError, match="parameter 'stances' must be a list of at least 0"):
        analysis.check_parameters(stances=["asserted", "asserted"])


def test_shipped_ties_the_issue_lists_are_drawn_as_the_article_states_them():
    graph = network.load_graph(focus_actor="taliban")
    fig = network.network_chart(graph, "taliban")
    # "Recent reports ... an unlikely alliance ... mostly off the mark": a denied tie
    alliance = _trace_of(fig, "R051")
    assert (alliance.line.dash, "x-thin" in alliance.marker.symbol) == ("longdash", True)
    # Raab's expectation: dashed, and the hover names him
    raab = _trace_of(fig, "R103")
    assert raab.line.dash == "dash"
    assert "expected by Dominic Raab" in _hover_of(fig, "R103")[0]
    # the caption restating the TTP's attacks: listed with the original, adding no thickness
    drawn = network.drawn_edges(graph.edges).set_index(["subject_id", "relation", "object_id"])
    ttp = drawn.loc[("ttp", "attacks", "pak")]
    assert (ttp["ties"], ttp["relation_ids"]) == (1, ["R036", "R038"])

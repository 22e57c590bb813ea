"""analysis.network: graph filters, focus ties, counts, layout, charts and parameter rules.

Most tests use ``tests/fixtures/network`` (10 actors, 10 ties quoted from the article: R008 is
Sullivan's hint, reported; R009 a denial); the last ones check the shipped tables.
"""

from __future__ import annotations

import doctest
import shutil

import pandas as pd
import pytest
from conftest import FIXTURES

import analysis
from analysis import network
from analysis.exceptions import DataError, ParameterError
from analysis.tables import load_actors, load_relations

FIXTURE = FIXTURES / "network"
ASIA_TIMES = "Asia Times, US-Taliban anti-terror cooperation: not so fast (© Asia Times)"
ALL_TEN = [f"R{i:03d}" for i in range(1, 11)]


@pytest.fixture(scope="module")
def frames():
    return load_actors(FIXTURE), load_relations(FIXTURE)


@pytest.fixture(scope="module")
def graph():
    return network.load_graph(data_dir=FIXTURE)


def ids(frame: pd.DataFrame, column: str = "relation_id") -> list[str]:
    return frame[column].tolist()


def footer(fig) -> str:
    """The footer's text with charts.finish's line wrapping folded back into spaces."""
    text = next(a.text for a in fig.layout.annotations if a.name == "source-line")
    return text.replace("<br>Source: ", "\nSource: ").replace("<br>", " ")


def test_every_relation_kind_and_actor_kind_has_a_colour_and_a_ring():
    from analysis.tables.schemas import ACTOR_KINDS, RELATIONS

    assert set(network.RELATION_COLORS) == set(RELATIONS)
    assert len(set(network.RELATION_COLORS.values())) == len(RELATIONS)
    assert set(network.RING_OF_KIND) == set(ACTOR_KINDS) <= set(analysis.charts.KIND_COLORS)


def _testmod_package(package) -> doctest.TestResults:
    """Run the doctests of every module of a report package (they are split by concern)."""
    import importlib
    import pkgutil

    failed = attempted = 0
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        failed, attempted = failed + result.failed, attempted + result.attempted
    return doctest.TestResults(failed, attempted)


def test_docstring_examples():
    result = _testmod_package(network)
    assert result.attempted >= 4 and result.failed == 0


# --- building the graph ----------------------------------------------------------------------


def test_all_ties_give_every_connected_actor_and_no_isolated_one(graph):
    assert ids(graph.edges) == ALL_TEN
    assert ids(graph.nodes, "actor_id") == ["chn", "isis_k", "rus", "sco", "taliban", "usa"]
    assert "imf" in set(graph.actors["actor_id"])  # in the table, but without a tie
    isis = graph.nodes.set_index("actor_id").loc["isis_k"]
    assert (isis["ties_out"], isis["ties_in"], isis["ties"]) == (5, 1, 6)
    assert graph.citations == (ASIA_TIMES,)


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("before", ["R003", "R004", "R008", "R009"]),  # R008 is stated for both periods
        ("after", ["R001", "R002", "R005", "R006", "R007", "R008", "R010"]),
        ("both", ALL_TEN),
    ],
)
def test_period_keeps_ties_stated_for_it_or_for_both(frames, period, expected):
    assert ids(network.build_graph(*frames, period=period).edges) == expected


def test_relation_kinds_and_period_combine(frames):
    g = network.build_graph(*frames, ["threatens", "attacks"], "after")
    assert ids(g.edges) == ["R001", "R002", "R010"]
    assert ids(g.nodes, "actor_id") == ["chn", "isis_k", "rus"]
    assert g.relation_kinds == ("threatens", "attacks") and g.period == "after"


def test_edges_carry_names_quote_and_source(graph):
    r006 = graph.edges.set_index("relation_id").loc["R006"]
    assert (r006["subject_name"], r006["relation"], r006["object_name"]) == (
        "China",
        "endorses",
        "Taliban",
    )
    assert r006["quote"] == "all of which have effectively endorsed the Taliban’s takeover"
    assert r006["source_id"] == "asiatimes-2021-09"


def test_kept_actor_is_a_node_without_ties(frames):
    g = network.build_graph(*frames, ["threatens"], keep=["imf"])
    assert g.nodes.set_index("actor_id").loc["imf", "ties"] == 0
    assert ids(g.nodes, "actor_id") == ["chn", "imf", "isis_k", "rus", "usa"]


def test_edge_naming_an_unknown_actor_is_a_data_error(frames):
    actors, relations = frames
    broken = relations.copy()
    broken.loc[1, "object_id"] = "atlantis"
    broken.loc[4, "subject_id"] = "nobody"
    with pytest.raises(DataError) as err:
        network.build_graph(actors, broken)
    assert [str(p) for p in err.value.problems] == [
        "relations.csv, row 2, column 'object_id': unknown actor 'atlantis' (not in actors.csv)",
        "relations.csv, row 5, column 'subject_id': unknown actor 'nobody' (not in actors.csv)",
    ]


def test_edge_citing_an_unknown_source_is_a_data_error(frames):
    actors, relations = frames
    broken = relations.copy()
    broken.loc[2, "source_id"] = "nowhere-2021"
    sources = analysis.load_sources(FIXTURE)
    with pytest.raises(DataError, match=r"relations.csv, row 3, column 'source_id': unknown "):
        network.build_graph(actors, broken, sources=sources)
    assert network.build_graph(actors, broken).citations == ()  # not checked without sources


def test_unknown_relation_kind_and_period_are_parameter_errors(frames):
    with pytest.raises(ParameterError, match=r"unknown relation kind 'likes'; allowed: threatens"):
        network.build_graph(*frames, ["likes"])
    with pytest.raises(ParameterError, match=r"'threaten'; did you mean 'threatens'\?"):
        network.build_graph(*frames, ["threaten"])
    with pytest.raises(ParameterError, match=r"parameter 'period' must be one of .*got 'later'"):
        network.build_graph(*frames, period="later")


def test_load_graph_checks_the_focus_actor_against_its_own_data_dir():
    with pytest.raises(ParameterError, match=r"parameter 'focus_actor': unknown actor 'pak'"):
        network.load_graph(focus_actor="pak", data_dir=FIXTURE)


# --- focus actor -----------------------------------------------------------------------------


def test_neighbourhood_is_focus_then_neighbours_by_id(graph, frames):
    assert network.neighbourhood(graph, "taliban") == ["taliban", "chn", "sco", "usa"]
    assert network.neighbourhood(graph, "isis_k") == ["isis_k", "chn", "rus", "usa"]
    after = network.build_graph(*frames, period="after")
    assert network.neighbourhood(after, "isis_k") == ["isis_k", "chn", "rus"]
    assert network.neighbourhood(graph, "imf") == ["imf"]  # an actor without ties


def test_focus_ties_table(graph):
    ties = network.focus_ties(graph, "taliban")
    assert list(ties.columns) == network.FOCUS_TIE_COLUMNS
    shown = ties[["relation_id", "direction", "relation", "other_actor", "period"]]
    assert shown.values.tolist() == [
        ["R005", "outgoing", "seeks_ties", "China", "after"],
        ["R006", "incoming", "endorses", "China", "after"],
        ["R007", "incoming", "engages", "Shanghai Cooperation Organization (SCO)", "after"],
        ["R008", "incoming", "engages", "US", "both"],
    ]
    assert ties.loc[0, "quote"] == "the group is seeking to develop ties with China"
    assert set(ties["source_id"]) == {"asiatimes-2021-09"}


def test_focus_ties_of_an_actor_without_ties_is_empty(graph):
    ties = network.focus_ties(graph, "imf")
    assert ties.empty and list(ties.columns) == network.FOCUS_TIE_COLUMNS


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("talib", "unknown actor 'talib'; did you mean 'taliban'?"),
        ("ISIS-K", "unknown actor 'ISIS-K'; did you mean 'isis_k'?"),  # matched by name
        ("nobody", "unknown actor 'nobody'; no close match among the 10 actors: chn, imf, isis_k"),
    ],
)
def test_unknown_focus_actor_names_it_and_suggests(graph, value, expected):
    with pytest.raises(ParameterError) as err:
        network.focus_ties(graph, value)
    assert str(err.value).startswith("parameter 'focus_actor': " + expected)


# --- counts ----------------------------------------------------------------------------------


def test_tie_counts_per_actor_relation_and_direction(graph):
    counts = network.tie_counts(graph)
    assert list(counts.columns) == ["actor_id", "name", "kind", "relation", "direction", "ties"]
    totals = counts.groupby("actor_id", sort=False)["ties"].sum()
    # most ties first, ties broken by actor id
    assert totals.to_dict() == {"isis_k": 6, "chn": 4, "taliban": 4, "usa": 4, "rus": 1, "sco": 1}
    assert list(totals.index) == ["isis_k", "chn", "taliban", "usa", "rus", "sco"]
    isis = counts[counts["actor_id"] == "isis_k"]
    assert isis[["relation", "direction", "ties"]].values.tolist() == [
        ["threatens", "outgoing", 4],
        ["attacks", "outgoing", 1],
        ["strikes", "incoming", 1],
    ]
    assert counts["ties"].sum() == 2 * len(graph.edges)  # every tie counted at both ends


def test_relation_summary(graph):
    summary = network.relation_summary(graph)
    assert list(summary.index) == [
        "threatens",
        "attacks",
        "strikes",
        "endorses",
        "engages",
        "seeks_ties",
        "all kinds",
    ]
    assert summary.loc["all kinds"].to_dict() == {
        "ties": 10,
        "stated_before": 3,
        "stated_after": 6,
        "stated_both": 1,
        "asserted": 8,  # all but Sullivan's reported hint (R008) and the denial (R009)
        "acting_actors": 5,
        "actors_acted_upon": 5,
    }
    threatens = summary.loc["threatens", ["ties", "acting_actors", "actors_acted_upon"]]
    assert threatens.tolist() == [4, 1, 3]


def test_drawn_edges_merge_repeated_ties(graph):
    drawn = network.drawn_edges(graph.edges)
    assert len(drawn) == 9  # R001 and R010 both say ISIS-K threatens China
    first = drawn.iloc[0]
    assert (first["subject_id"], first["relation"], first["object_id"]) == (
        "isis_k",
        "threatens",
        "chn",
    )
    assert (first["ties"], first["relation_ids"]) == (2, ["R001", "R010"])


# --- layout and charts -----------------------------------------------------------------------


def test_layout_is_deterministic_and_ignores_row_order(graph):
    first = network.layout(graph.nodes)
    pd.testing.assert_frame_equal(first, network.layout(graph.nodes))
    shuffled = network.layout(graph.nodes.sample(frac=1, random_state=3))
    pd.testing.assert_frame_equal(
        first.set_index("actor_id").sort_index(), shuffled.set_index("actor_id").sort_index()
    )
    xy = first.set_index("actor_id")
    # the two armed groups on the inner ring (isis_k first by id, at the top), states outside
    assert xy.loc["isis_k"].tolist() == [0.0, 1.4]
    assert xy.loc["taliban"].tolist() == [0.0, -1.4]
    radius = (xy["x"] ** 2 + xy["y"] ** 2) ** 0.5
    assert radius.round(6).to_dict() == {
        "chn": 2.8,
        "isis_k": 1.4,
        "rus": 2.8,
        "sco": 4.0,
        "taliban": 1.4,
        "usa": 2.8,
    }
    assert not xy.duplicated().any()


def test_layout_puts_the_centre_actor_in_the_middle(graph):
    plain = network.layout(graph.nodes).set_index("actor_id")
    centred = network.layout(graph.nodes, centre="usa").set_index("actor_id")
    assert centred.loc["usa"].tolist() == [0.0, 0.0]
    # the states ring holds China and Russia only, opposite each other
    assert centred.loc["chn"].tolist() == plain.loc["chn"].tolist()
    assert centred.loc["rus"].tolist() == [-v for v in plain.loc["chn"].tolist()]


def test_edge_paths_point_at_the_target_and_opposite_ties_do_not_overlap(graph):
    positions = network.layout(graph.nodes)
    xy = positions.set_index("actor_id")
    drawn = network.drawn_edges(graph.edges)
    paths = dict(
        zip(drawn["relation_ids"].str[0], network.edge_paths(drawn, positions), strict=True)
    )
    isis, usa = xy.loc["isis_k"].to_numpy(), xy.loc["usa"].to_numpy()
    r003 = paths["R003"]  # isis_k attacks usa
    assert ((r003[-1] - usa) ** 2).sum() < ((r003[-1] - isis) ** 2).sum()
    assert ((r003[0] - isis) ** 2).sum() < ((r003[0] - usa) ** 2).sum()
    mid = len(r003) // 2
    r004, r009 = paths["R004"], paths["R009"]  # usa strikes isis_k; isis_k threatens usa
    assert abs(r003[mid] - r004[mid]).max() > 0.1
    assert abs(r003[mid] - r009[mid]).max() > 0.05


def test_network_chart_is_the_same_every_time(graph):
    one = network.network_chart(graph, "taliban").to_json()
    assert one == network.network_chart(graph, "taliban").to_json()


def _edges(fig, name):
    return [t for t in fig.data if t.name == name and t.mode == "lines+markers"]


def _hovertexts(fig, trace) -> list[str]:
    """The hover texts of the ties a line trace draws (carried by the "tie details" trace)."""
    carrier = next(t for t in fig.data if t.name == "tie details")
    index = next(i for i, t in enumerate(fig.data) if t is trace)
    return [
        h for h, owner in zip(carrier.hovertext, carrier.customdata, strict=True) if owner == index
    ]


def test_network_chart_edges_hover_quotes_and_sources_and_fade_outside_focus(graph):
    fig = network.network_chart(graph, "taliban")
    engages = _edges(fig, "engages (asserted)") + _edges(fig, "engages (reported)")
    # R007 (asserted) and R008 (reported) touch the Taliban: full colour, one trace per stance
    assert len(engages) == 2
    assert {t.line.color for t in engages} == {"rgba(33,113,181,1.0)"}
    assert [t.line.dash for t in engages] == ["solid", "dot"]
    hovers = [h for t in engages for h in _hovertexts(fig, t)]
    assert any(
        "opened talks with the Taliban" in h and "<br>source: asiatimes-2021-09" in h
        for h in hovers
    )
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in h for h in hovers)  # note, escaped
    assert not any("<script>" in h for h in hovers)
    threatens = _edges(fig, "threatens (asserted)") + _edges(fig, "threatens (denied)")
    assert all(t.line.color.endswith(f",{network.FADED_ALPHA})") for t in threatens)
    # the repeated tie: one arrow, both passages in its hover, a thicker line
    twice = [t for t in threatens if any("(2 passages)" in h for h in _hovertexts(fig, t))]
    assert len(twice) == 1
    hover = next(h for h in _hovertexts(fig, twice[0]) if "(2 passages)" in h)
    assert "R001, stated for after 31 Aug 2021; asserted by the author" in hover and "R010" in hover
    heads = [s for t in fig.data if t.mode == "lines+markers" for s in t.marker.symbol]
    assert len(network.drawn_edges(graph.edges)) == 9
    # every tie ends in an arrowhead but the denied one (R009), which ends in a cross
    assert (heads.count("arrow"), heads.count("x-thin")) == (8, 1)


def test_network_chart_nodes_coloured_by_kind_with_hover_and_focus_outline(graph):
    fig = network.network_chart(graph, "taliban")
    groups = [t for t in fig.data if t.mode == "markers+text"]
    assert [t.name for t in groups] == ["militant group", "state", "international org"]
    assert groups[0].marker.color == analysis.charts.KIND_COLORS["militant_group"]
    militant = dict(zip(groups[0].text, groups[0].hovertext, strict=True))
    assert militant["Taliban"].startswith("<b>Taliban</b> (taliban)<br>kind: militant group")
    assert "role: rules Afghanistan since August 2021" in militant["Taliban"]
    org = dict(zip(groups[2].text, groups[2].hovertext, strict=True))
    assert org["SCO"].startswith("<b>Shanghai Cooperation Organization (SCO)</b>")
    assert "role: &lt;b&gt;regional&lt;/b&gt; security body" in org["SCO"]
    # the focus actor outlined and in the middle, its neighbours in full, the rest faded
    at = list(groups[0].text).index("Taliban")
    assert groups[0].marker.line.width[at] == 3
    assert (groups[0].x[at], groups[0].y[at]) == (0.0, 0.0)
    opacity = {name: o for t in groups for name, o in zip(t.text, t.marker.opacity, strict=True)}
    assert opacity == {
        "ISIS-K": 0.3,
        "Taliban": 1.0,
        "China": 1.0,
        "Russia": 0.3,
        "US": 1.0,
        "SCO": 1.0,
    }
    assert [t.name for t in fig.data if t.name and t.name.startswith("focus")] == ["focus: Taliban"]


def test_network_chart_titles_note_and_source(frames):
    g = network.build_graph(*frames, ["threatens"], "after")
    fig = network.network_chart(g, "isis_k")
    text = footer(fig)
    assert "3 stated ties (threatens), after 31 Aug 2021." in text
    assert (
        "line style: how the article states the tie (legend); hover the middle of an arrow" in text
    )
    assert text.endswith("Source: source asiatimes-2021-09")  # built without a sources table
    assert fig.layout.title.text.startswith("Who threatens")
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.scaleanchor == "x"


def test_charts_of_an_empty_selection_say_so(frames):
    g = network.build_graph(*frames, ["invests_in"], keep=["taliban"])
    text = footer(network.network_chart(g, "taliban"))
    assert "0 stated ties" in text and "No tie matches this selection." in text
    assert text.endswith(
        "Source: the seed article's actors and relations tables (analysis/data/seed)"
    )
    counts = network.tie_counts(g)
    assert counts.empty
    assert "No tie matches this selection." in footer(network.tie_counts_chart(counts))
    assert network.relation_summary(g)["ties"].to_dict() == {"all kinds": 0}


def test_tie_counts_chart_stacks_by_relation_with_incoming_hatched(graph):
    counts = network.tie_counts(graph)
    fig = network.tie_counts_chart(counts, sources=graph.citations)
    bars = [t for t in fig.data if t.hoverinfo == "text"]
    per_actor: dict[str, int] = {}
    for bar in bars:
        for actor, n in zip(bar.y, bar.x, strict=True):
            per_actor[actor] = per_actor.get(actor, 0) + n
        hatched = bar.marker.pattern.shape == "/"
        assert hatched == bar.name.endswith("(incoming)")
    assert per_actor["ISIS-K"] == 6 and per_actor["Taliban"] == 4
    assert list(fig.layout.yaxis.categoryarray)[-1] == "ISIS-K"  # most ties on top
    assert fig.layout.barmode == "stack" and fig.layout.yaxis.type == "category"
    assert fig.layout.xaxis.title.text == "ties (count of stated relations)"
    assert footer(fig).endswith("Source: " + ASIA_TIMES)
    legend = [t.name for t in fig.data if t.showlegend is not False]
    assert legend[:3] == ["threatens", "attacks", "strikes"] and legend[-1] == "incoming (hatched)"
    top2 = network.tie_counts_chart(counts, top=2)
    assert list(top2.layout.yaxis.categoryarray) == ["China", "ISIS-K"]


def test_network_chart_has_a_two_line_footer(graph):
    assert footer(network.network_chart(graph)).count("\nSource: ") == 1  # note + source line


# --- parameter rules -------------------------------------------------------------------------


def test_parameter_rules_accept_valid_values():
    p = analysis.check_parameters(
        relation_kinds=["threatens", "attacks"], period="after", focus_actor="isis_k"
    )
    assert (p.relation_kinds, p.period, p.focus_actor) == (
        ["threatens", "attacks"],
        "after",
        "isis_k",
    )
    assert analysis.check_parameters(relation_kinds=[]).relation_kinds == []


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"focus_actor": "nobody"}, "parameter 'focus_actor': unknown actor 'nobody'"),
        ({"focus_actor": "Taliban"}, "did you mean 'taliban'"),
        ({"focus_actor": 3}, "parameter 'focus_actor' must be the id of an actor"),
        ({"period": "later"}, "parameter 'period' must be one of 'before', 'after', 'both'"),
        ({"relation_kinds": ["likes"]}, "parameter 'relation_kinds': unknown relation kind"),
        ({"relation_kinds": "threatens"}, "parameter 'relation_kinds' must be a list"),
        ({"relation_kinds": ["attacks", "attacks"]}, "'attacks' is listed twice"),
    ],
)
def test_parameter_rules_reject_bad_values(values, message):
    with pytest.raises(ParameterError) as err:
        analysis.check_parameters(**values)
    assert message in str(err.value)


def test_focus_actor_rule_reads_the_actor_table_of_the_environment(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    with (data / "actors.csv").open("a", encoding="utf-8") as handle:
        handle.write(
            "newcomer,Newcomer,state,,,,asiatimes-2021-09,With or without the US,"
            "2021-09-01,month,,\n"
        )
    with pytest.raises(ParameterError, match="unknown actor 'newcomer'"):
        analysis.check_parameters(focus_actor="newcomer")
    monkeypatch.setenv("AFGHAN_BRIEF_DATA", str(data))
    assert analysis.check_parameters(focus_actor="newcomer").focus_actor == "newcomer"


# --- the shipped tables ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped():
    return network.load_graph(focus_actor="taliban")


def test_shipped_network_and_its_periods(shipped):
    relations = load_relations()
    assert len(shipped.edges) == len(relations)  # every tie, whatever its stance
    stated = relations["period"].value_counts()
    assert len(network.load_graph(period="before").edges) == stated["before"] + stated["both"]
    assert len(network.load_graph(period="after").edges) == stated["after"] + stated["both"]
    assert "taliban_fateh" not in set(shipped.nodes["actor_id"])  # named, but without a tie
    # the UK is tied through its Foreign Secretary's call on Russia and China (R114, R115)
    assert {"gbr", "unattributed"} <= set(shipped.nodes["actor_id"])


def test_shipped_taliban_ties(shipped):
    ties = network.focus_ties(shipped, "taliban").set_index("relation_id")
    relations = load_relations()
    assert ties["direction"].value_counts().to_dict() == {
        "incoming": int((relations["object_id"] == "taliban").sum()),
        "outgoing": int((relations["subject_id"] == "taliban").sum()),
    }
    freed = ties.loc["R039"]
    assert (freed["direction"], freed["relation"], freed["other_id"], freed["period"]) == (
        "outgoing",
        "frees_detainees",
        "ttp",
        "before",
    )
    assert "freed several detained TTP fighters" in freed["quote"]
    # who says each tie, in the table: Shaheen's words are his, not the author's
    assert ties.loc["R069", ["stance", "voice_name"]].tolist() == ["asserted", "Suhail Shaheen"]
    assert ties.loc["R051", ["stance", "voice_name"]].tolist() == ["denied", "the author"]
    counts = network.tie_counts(shipped)
    assert list(counts.groupby("actor_id", sort=False)["ties"].sum().index[:1]) == ["taliban"]


def test_shipped_isis_k_threats_after_the_withdrawal():
    g = network.load_graph(["threatens", "attacks"], "after", focus_actor="isis_k")
    assert network.neighbourhood(g, "isis_k") == [
        "isis_k",
        "chn",
        "irn",
        "pak",
        "rus",
        "taliban",
        "usa",
        "western_countries",
    ]
    # ISIS-K and the US after the withdrawal: a lesser threat asserted, a direct threat denied,
    # a threat only under a condition; three arrows in three styles
    drawn = network.drawn_edges(g.edges).set_index(["subject_id", "object_id", "stance"])
    assert drawn.loc[("isis_k", "usa", "asserted"), "relation_ids"] == ["R005"]
    assert drawn.loc[("isis_k", "usa", "denied"), "relation_ids"] == ["R006"]
    assert drawn.loc[("isis_k", "usa", "hypothetical"), "relation_ids"] == ["R007"]


def test_every_shipped_tie_is_in_the_chart_with_its_quote(shipped):
    fig = network.network_chart(shipped, "taliban")
    hovers = "\n".join(next(t for t in fig.data if t.name == "tie details").hovertext)
    for tie in shipped.edges.itertuples():
        assert f"{tie.relation_id}, stated for" in hovers
        assert analysis.charts.wrap(tie.quote) in hovers
        said = f"{tie.stance} by {analysis.charts.esc(tie.voice_name)}"
        assert said in hovers, said


def test_focus_actor_is_checked_against_the_data_dir_given_with_it():
    fixture = str(FIXTURES / "network")
    assert analysis.check_parameters(focus_actor="pak").focus_actor == "pak"  # shipped table
    with pytest.raises(ParameterError, match="parameter 'focus_actor': unknown actor 'pak'"):
        analysis.check_parameters(focus_actor="pak", data_dir=fixture)


def test_each_tie_carries_its_text_once_in_the_middle_of_its_arrow(shipped):
    fig = network.network_chart(shipped, "taliban")
    carrier = next(t for t in fig.data if t.name == "tie details")
    drawn = network.drawn_edges(shipped.edges)
    assert len(carrier.hovertext) == len(drawn) == len(set(carrier.hovertext))
    lines = [t for t in fig.data if t.mode == "lines+markers"]
    assert all(t.hoverinfo == "skip" and t.hovertext is None for t in lines)
    # each hover point lies on the arrow of the trace it names
    for x, y, owner in zip(carrier.x, carrier.y, carrier.customdata, strict=True):
        arrow = fig.data[owner]
        assert any(
            px is not None and abs(px - x) < 1e-9 and abs(py - y) < 1e-9
            for px, py in zip(arrow.x, arrow.y, strict=True)
        )

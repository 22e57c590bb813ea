"""analysis.risk: the strength lexicon, threat edges, exposure and its sensitivity, the report's
parameters and the exposure charts (claims vs outcomes: test_claims.py, test_grid.py, ...)."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from conftest import FIXTURES

import analysis
from analysis import observed, risk
from analysis.exceptions import DataError, ParameterError

RISK = FIXTURES / "risk"


def terms(*rows):
    frame = pd.DataFrame(rows, columns=["term", "strength", "rationale"])
    frame["order"] = range(len(frame))
    return frame


# ---------------------------------------------------------------------------------------------
# The lexicon


def test_longest_matching_term_wins():
    lexicon = terms(("threat", 2, ""), ("no longer faces any direct or immediate threat", 1, ""))
    hit = risk.match_strength("the US no longer faces any direct or immediate threat", lexicon)
    assert (hit["term"], hit["strength"]) == ("no longer faces any direct or immediate threat", 1)
    assert risk.match_strength("a threat", lexicon)["strength"] == 2


def test_a_tie_in_length_goes_to_the_term_listed_first():
    lexicon = terms(("attack", 3, "first"), ("threat", 2, "second"))
    assert risk.match_strength("threat of attack", lexicon)["rationale"] == "first"


def test_matching_ignores_case_and_curly_apostrophes():
    lexicon = terms(("'s to", 2, ""))
    assert risk.match_strength("ETIM\u2019s to China", lexicon)["strength"] == 2
    assert risk.match_strength("DIRECTLY", terms(("directly", 3, "")))["strength"] == 3


def test_no_match_is_none():
    assert risk.match_strength("serene", terms(("threat", 2, ""))) is None


def test_shipped_lexicon_loads_with_its_order():
    lexicon = risk.load_strength_terms()
    assert set(lexicon["strength"]) == {1, 2, 3}
    assert list(lexicon["order"]) == list(range(len(lexicon)))
    assert lexicon["rationale"].str.len().min() >= 3


def test_a_strength_outside_1_to_3_is_a_data_error_naming_row_and_column(tmp_path):
    shutil.copy(analysis.risk.STRENGTH_TERMS.path(), tmp_path / "strength_terms.csv")
    path = tmp_path / "strength_terms.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("attack,3", "attack,4"), "utf-8")
    with pytest.raises(DataError) as err:
        risk.load_strength_terms(tmp_path)
    (problem,) = err.value.problems
    assert (problem.file, problem.row, problem.column) == ("strength_terms.csv", 1, "strength")


def test_a_duplicate_term_is_a_data_error(tmp_path):
    (tmp_path / "strength_terms.csv").write_text(
        "term,strength,rationale\nthreat,2,plain\nthreat,3,again\n", "utf-8"
    )
    with pytest.raises(DataError, match="duplicate value 'threat'"):
        risk.load_strength_terms(tmp_path)


# ---------------------------------------------------------------------------------------------
# Threat edges and exposure


@pytest.fixture(scope="module")
def shipped():
    actors = analysis.load_actors()
    edges = risk.threat_edges(analysis.load_relations(), actors, risk.load_strength_terms())
    return actors, edges


def test_every_shipped_threat_wording_has_a_strength(shipped):
    _, edges = shipped
    relations = analysis.load_relations()
    threats = set(relations.loc[relations["relation"].isin(risk.THREAT_RELATIONS), "relation_id"])
    not_edges = {
        "R015",  # ISIS-K threatens the Taliban: a militant object
        "R016",
        "R040",  # the Taliban attack the Ghani administration: a government object
        "R042",  # the US fought the Taliban: a state subject
        "R105",  # "an unstable Afghanistan that exports terror threats": a state subject
        "R106",
        "R107",
    }
    assert set(edges["relation_id"]) == threats - not_edges
    strength = edges.set_index("relation_id")["strength"]
    assert strength[["R006", "R007", "R005"]].tolist() == [1, 1, 1]  # denied, conditional, lesser
    assert strength[["R009", "R019", "R031", "R112"]].tolist() == [2, 2, 2, 2]
    assert strength[["R001", "R012", "R013", "R036"]].tolist() == [3, 3, 3, 3]


def test_threat_edges_keep_militant_subjects_and_state_objects_only(shipped):
    _, edges = shipped
    assert set(edges["relation"]) == {"threatens", "attacks"}
    assert "taliban" not in set(edges["object_id"])  # isis_k threatens taliban: a militant object
    assert "afg" not in set(edges["subject_id"])  # "an unstable Afghanistan": a state subject
    assert set(edges["object_kind"]) == {"state", "state_group"}


def test_an_unmatched_wording_is_reported_not_defaulted():
    actors = analysis.load_actors(RISK)
    relations = analysis.load_relations(RISK)
    lexicon = terms(("threat", 2, ""))
    with pytest.raises(DataError) as err:
        risk.threat_edges(relations, actors, lexicon)
    messages = [str(p) for p in err.value.problems]
    # every unmatched wording at once, counted or not ("directly threaten" and "no longer faces
    # any direct or immediate threat" match; R005 has a militant object, R006 is a strike)
    assert len(messages) == 7
    assert "wording 'terror risks' of R002 matches no term of strength_terms.csv" in messages[0]
    assert (err.value.problems[0].row, err.value.problems[0].column) == (2, "wording")


def test_exposure_of_the_fixture_at_default_weights():
    # see tests/fixtures/risk/README.md for the arithmetic
    _, contributions, table = risk.assess_exposure(data_dir=RISK)
    t = table.set_index("iso3")
    assert t.loc["RUS", ["before", "after", "shift"]].tolist() == [0.0, 3.0, 3.0]
    # before: R002 (moderate); after: R007 is hypothetical, R010 denied, so nothing counts
    assert t.loc["USA", ["before", "after", "shift"]].tolist() == [2.0, 0.0, -2.0]
    # R003 only: the caption R009 repeats it, R011 is the TTP chief's aim only as reported
    assert t.loc["PAK", ["before", "after", "shift"]].tolist() == [4.5, 4.5, 0.0]
    assert t.loc["GBR", "before"] == pytest.approx(2 / 9)  # R008 split among 9 Western states
    # R004, the anonymous observer's forecast, reaches Central Asia but never counts
    assert t.loc["TJK", ["before", "after", "edges_after"]].tolist() == [0.0, 0.0, 0]
    assert t.loc["RUS", "rank_shift"] == 1 and t.loc["USA", "rank_shift"] == len(t)
    formula = contributions.query("relation_id == 'R008' and iso3 == 'SWE'")["formula"].iloc[0]
    assert formula == "2 (moderate) × 1/9 (Western countries) = 0.222"
    why = contributions.drop_duplicates("relation_id").set_index("relation_id")["formula"]
    assert why[["R004", "R007", "R009", "R010", "R011"]].tolist() == [
        "not counted: anonymous voice",
        "not counted: hypothetical, not a counted stance",
        "not counted: repeats R003",
        "not counted: denied",
        "not counted: reported, not a counted stance",
    ]


def test_each_weight_moves_exposure_as_documented():
    def table(**w):
        return risk.assess_exposure(risk.Weights(**w), data_dir=RISK)[2].set_index("iso3")

    assert table(both=0.0).loc["PAK", ["before", "after"]].tolist() == [0.0, 0.0]
    assert table(attack=1.0).loc["PAK", "before"] == 3.0
    assert table(group_spread="full").loc["GBR", "before"] == 2.0
    assert table(strong=10.0).loc["RUS", "after"] == 10.0
    conditional = ("asserted", "hypothetical")  # R007 "unless ...", weak
    assert table(stances=conditional).loc["USA", "after"] == 1.0
    assert table(stances=conditional, weak=0.0).loc["USA", "after"] == 0.0


def test_shipped_exposure_shifts_towards_the_neighbours(shipped):
    actors, edges = shipped
    t = risk.exposure(risk.edge_contributions(edges, actors)).set_index("iso3")
    # before: two unattributed threats (R009 moderate 2, R011 strong 3) and the airport attack
    # (R012, strong 3 × attack 1.5); after: only the lesser threat R005 (weak 1), for R006 is a
    # denial and R007 a condition
    assert t.loc["USA", ["before", "after"]].tolist() == [2 + 3 + 4.5, 1.0]
    # the attack R036 (strong, both periods) counts once: the caption R038 repeats it
    assert t.loc["PAK", "before"] == 3 * 1.5
    # China and Russia: each two strong threats (R002, R013 / R001, R014), one moderate by name
    # (R019 ETIM / R017), the feared movement (R024 / R023) and unnamed groups (R113 / R112)
    assert t.loc["CHN", "after"] == t.loc["RUS", "after"] == 3 + 3 + 2 + 2 + 2
    assert (t["shift"] > 0).sum() == 4  # the neighbours China, Russia, Pakistan and Iran only
    assert set(t.index[t["shift"] > 0]) == {"CHN", "RUS", "PAK", "IRN"}
    assert t.loc["GBR", "before"] == pytest.approx(2 / 9)  # R010, split among 9 Western states
    assert t.loc["AFG", "before"] == 4.5  # the airport attack struck Afghanistan too (R111)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("weak", -1.0, "weight_weak must be a number >= 0; got -1.0"),
        ("attack", float("nan"), "weight_attack must be a number >= 0"),
        ("group_spread", "half", "group_spread must be 'split' or 'full'; got 'half'"),
    ],
)
def test_bad_weights_are_parameter_errors(field, value, message):
    with pytest.raises(ParameterError, match=message):
        risk.Weights(**{field: value})


def test_a_group_of_states_without_members_is_a_data_error(shipped):
    actors, edges = shipped
    with pytest.raises(DataError, match="'central_asia' has no member list"):
        risk.edge_targets(edges, actors, members={"western_countries": ("GBR",)})


def test_a_state_without_iso3_is_a_data_error(shipped):
    actors, edges = shipped
    broken = actors.assign(iso3=actors["iso3"].where(actors["actor_id"] != "rus"))
    with pytest.raises(DataError, match="state 'rus' has no iso3"):
        risk.edge_targets(edges, broken)


def test_weight_grid_keeps_weak_below_moderate_below_strong():
    grid = risk.weight_grid(risk.Weights())
    assert len(grid) == 270
    assert all(w.weak <= w.moderate <= w.strong for w in grid)
    assert {w.group_spread for w in grid} == {"split", "full"}


def test_sensitivity_of_the_shift_ranking(shipped):
    actors, edges = shipped
    sens = risk.sensitivity(edges, actors, rank_by="shift").set_index("iso3")
    # China's and Russia's statements have the same strengths (see above), so they tie in every
    # weighting; and their shift, 2 strong + 3 moderate, always exceeds Pakistan's (R004 strong,
    # R020, R025, R037 moderate; the attack R036 counts before and after alike) and Iran's
    # (1 strong + 2 moderate): they share the first rank in every weighting
    assert sens.loc["CHN", "share_first"] == sens.loc["RUS", "share_first"] == 1.0
    assert sens.loc["PAK", "best_rank"] == 3
    # the US is last in every weighting: it loses all Afghanistan loses (the airport attack)
    # and more (R009, R011), and gains only a weak threat after
    assert sens.loc["USA", "best_rank"] == sens.loc["USA", "worst_rank"] == len(sens)
    assert sens["runs"].eq(len(risk.weight_grid(risk.Weights()))).all()


def test_sensitivity_rejects_an_unknown_ranking(shipped):
    actors, edges = shipped
    with pytest.raises(ParameterError, match="rank_by must be 'after' or 'shift'"):
        risk.sensitivity(edges, actors, rank_by="before")


def test_collapse_groups_only_when_members_are_equal():
    table = pd.DataFrame(
        {
            "iso3": ["PAK", *observed.WESTERN_EUROPE],
            "country": ["Pakistan"] + ["x"] * 9,
            "before": [1.0] + [0.5] * 9,
        }
    )
    collapsed = risk.collapse_groups(table, ["before"])
    assert collapsed["iso3"].tolist() == ["PAK", "WEU"]
    assert collapsed["country"].iloc[1] == "Western Europe (each of 9)"
    table.loc[1, "before"] = 0.7
    assert len(risk.collapse_groups(table, ["before"])) == 10


# ---------------------------------------------------------------------------------------------
# Parameters


DEFAULTS = dict(
    focus_countries=["PAK", "IRN", "RUS", "AFG"],
    baseline_years=[2018, 2020],
    comparison_years=[2022, 2024],
    violence_types=["state_based", "non_state", "one_sided"],
    weight_weak=1.0,
    weight_moderate=2.0,
    weight_strong=3.0,
    weight_attack=1.5,
    weight_both=1.0,
    group_spread="split",
    counted_stances=["asserted", "expected"],
    min_change_deaths=25.0,
    min_change_percent=20.0,
    robust_share=0.8,
    measurable_share=0.3,
    data_dir="",
)


def test_defaults_pass_and_give_the_default_weights():
    p = analysis.check_parameters(**DEFAULTS)
    assert risk.weights_from(p) == risk.Weights()
    assert analysis.check_parameters(**{**DEFAULTS, "weight_strong": 4}).weight_strong == 4.0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"focus_countries": ["PAK", "XXX"]},
            "parameter 'focus_countries': unknown ISO3 code 'XXX'",
        ),
        ({"focus_countries": []}, "parameter 'focus_countries' must be a list of ISO3 codes"),
        (
            {"baseline_years": [2020, 2018]},
            "parameter 'baseline_years' must be a list [start, end]",
        ),
        ({"comparison_years": [2022, 2026]}, "<= end <= 2024"),
        ({"weight_moderate": -0.5}, "parameter 'weight_moderate' must be a number between 0 and"),
        ({"violence_types": ["terror"]}, "parameter 'violence_types' must be a list of at least 1"),
        ({"group_spread": "half"}, "parameter 'group_spread' must be one of 'split', 'full'"),
        (
            {"counted_stances": ["asserted", "denied"]},
            "parameter 'counted_stances': 'denied' cannot be counted: a denial never adds",
        ),
        ({"counted_stances": ["said"]}, "parameter 'counted_stances': unknown stance 'said'"),
        ({"counted_stances": []}, "parameter 'counted_stances' must list at least one of"),
        ({"counted_stances": "asserted"}, "parameter 'counted_stances' must be a list"),
        ({"robust_share": 0.5}, "parameter 'robust_share' must be a number between 0.51 and 1"),
        ({"measurable_share": 0.0}, "parameter 'measurable_share' must be a number between"),
        ({"min_change_deaths": -1.0}, "parameter 'min_change_deaths' must be a number between 0"),
    ],
)
def test_bad_parameters_fail_with_one_line_naming_them(change, message):
    with pytest.raises(ParameterError) as err:
        analysis.check_parameters(**{**DEFAULTS, **change})
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_dependence_baselines_adds_the_chosen_window_and_drops_overlaps():
    assert risk.dependence_baselines() == [(2015, 2017), (2018, 2020)]
    assert risk.dependence_baselines([2016, 2019], [2021, 2024]) == [
        (2015, 2017),
        (2016, 2019),
        (2018, 2020),
    ]
    assert risk.dependence_baselines([2015, 2016], [2018, 2024]) == [(2015, 2016), (2015, 2017)]
    with pytest.raises(ParameterError, match="must end before comparison_years"):
        risk.dependence_baselines([2018, 2022], [2022, 2024])


# ---------------------------------------------------------------------------------------------
# Charts


def footer(fig) -> str:
    return next(a.text for a in fig.layout.annotations if a.name == "source-line")


def test_exposure_and_shift_charts_cite_the_wording():
    edges, contributions, table = risk.assess_exposure(data_dir=RISK)
    fig = risk.exposure_chart(table, contributions)
    assert [t.name for t in fig.data] == ["before 31 Aug 2021", "after 31 Aug 2021"]
    hover = " ".join(fig.data[1].hovertext)
    assert "R001" in hover and "“directly threaten”" in hover
    assert "Asia Times" in footer(fig) and "Weights: weak 1" in footer(fig)
    shift = risk.shift_chart(table, contributions)
    bars = dict(zip(shift.data[0].y, shift.data[0].x, strict=True))
    assert bars["Russia"] == 3.0 and bars["United States"] == -2.0
    # a statement that does not count is named in the hover with why, and who says it
    hover = " ".join(shift.data[0].hovertext)
    assert "R010" in hover and "(denied, said by the author) · not counted: denied" in hover
    assert "counting asserted, expected statements" in footer(shift).replace("<br>", " ")
    assert shift.layout.xaxis.title.text.startswith("change in exposure score")


def test_chart_text_from_data_is_escaped():
    edges, contributions, table = risk.assess_exposure(data_dir=RISK)
    contributions = contributions.assign(wording="<script>alert(1)</script>")
    fig = risk.exposure_chart(table, contributions)
    hover = " ".join(fig.data[1].hovertext)
    assert "<script>" not in hover and "&lt;script&gt;" in hover


def test_sensitivity_chart_marks_the_share_ranked_first(shipped):
    actors, edges = shipped
    fig = risk.sensitivity_chart(risk.sensitivity(edges, actors, rank_by="shift"))
    dots = fig.data[-1]
    labels = dict(zip(dots.y, dots.text, strict=True))
    sens = risk.sensitivity(edges, actors, rank_by="shift").set_index("country")["share_first"]
    assert labels["China"] == f"first in {sens['China']:.0%}" and labels["United States"] == ""
    assert "Western Europe (each of 9)" in labels
    assert fig.layout.xaxis.range[0] > fig.layout.xaxis.range[1]  # rank 1 on the right


def _sensitivity_by_loop(edges, actors, weights, rank_by, factors):
    """The definition, one weighting at a time: exposure() of every weighting of the grid."""
    base = risk.exposure(risk.edge_contributions(edges, actors, weights))
    column = f"rank_{rank_by}"
    ranks = pd.concat(
        [
            risk.exposure(risk.edge_contributions(edges, actors, w)).set_index("iso3")[column]
            for w in risk.weight_grid(weights, factors)
        ],
        axis=1,
    )
    return base.set_index("iso3")[column], ranks


@pytest.mark.parametrize(
    "weights, rank_by",
    [
        (risk.Weights(), "shift"),
        (risk.Weights(weak=0.5, strong=5.0, attack=3.0, both=0.2, group_spread="full"), "after"),
        (risk.Weights(stances=("asserted", "expected", "reported", "hypothetical")), "shift"),
    ],
)
def test_sensitivity_over_the_grid_equals_one_exposure_per_weighting(weights, rank_by):
    actors = analysis.load_actors()
    edges, _, _ = risk.assess_exposure(weights)
    factors = (0.5, 2.0)
    at_weights, ranks = _sensitivity_by_loop(edges, actors, weights, rank_by, factors)
    got = risk.sensitivity(edges, actors, weights, rank_by=rank_by, factors=factors)
    got = got.set_index("iso3")
    assert got["runs"].eq(ranks.shape[1]).all()
    assert got["rank_at_weights"].to_dict() == at_weights.to_dict()
    assert got["best_rank"].to_dict() == ranks.min(axis=1).to_dict()
    assert got["worst_rank"].to_dict() == ranks.max(axis=1).to_dict()
    assert got["median_rank"].to_dict() == ranks.median(axis=1).to_dict()
    assert got["share_first"].to_dict() == (ranks == 1).mean(axis=1).to_dict()

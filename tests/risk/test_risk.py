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
    assert len(edges) == 30
    strength = edges.set_index("relation_id")["strength"]
    assert strength[["R006", "R007", "R005"]].tolist() == [1, 1, 1]  # denied, conditional, lesser
    assert strength[["R009", "R019", "R031"]].tolist() == [2, 2, 2]
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
    assert len(messages) == 4  # every unmatched wording at once ("directly threaten" matches)
    assert "wording 'terror risks' of R002 matches no term of strength_terms.csv" in messages[0]
    assert (err.value.problems[0].row, err.value.problems[0].column) == (2, "wording")


def test_exposure_of_the_fixture_at_default_weights():
    _, contributions, table = risk.assess_exposure(data_dir=RISK)
    t = table.set_index("iso3")
    assert t.loc["RUS", ["before", "after", "shift"]].tolist() == [0.0, 3.0, 3.0]
    assert t.loc["USA", ["before", "after", "shift"]].tolist() == [2.0, 1.0, -1.0]
    assert t.loc["PAK", ["before", "after", "shift"]].tolist() == [4.5, 4.5, 0.0]
    assert t.loc["TJK", "after"] == pytest.approx(0.4)  # 2 split among 5 Central Asian states
    assert t.loc["RUS", "rank_shift"] == 1 and t.loc["USA", "rank_shift"] == len(t)
    formula = contributions.query("relation_id == 'R004' and iso3 == 'UZB'")["formula"].iloc[0]
    assert formula == "2 (moderate) × 1/5 (Central Asian states) = 0.4"


def test_each_weight_moves_exposure_as_documented():
    def table(**w):
        return risk.assess_exposure(risk.Weights(**w), data_dir=RISK)[2].set_index("iso3")

    assert table(both=0.0).loc["PAK", ["before", "after"]].tolist() == [0.0, 0.0]
    assert table(attack=1.0).loc["PAK", "before"] == 3.0
    assert table(group_spread="full").loc["TJK", "after"] == 2.0
    assert table(strong=10.0).loc["RUS", "after"] == 10.0
    assert table(weak=0.0).loc["USA", "after"] == 0.0


def test_shipped_exposure_shifts_towards_the_neighbours(shipped):
    actors, edges = shipped
    t = risk.exposure(risk.edge_contributions(edges, actors)).set_index("iso3")
    assert t.loc["PAK", ["before", "after"]].tolist() == [9.0, 22.0]
    assert t.loc["USA", ["before", "after"]].tolist() == [9.5, 3.0]
    assert t.loc[["CHN", "RUS", "IRN"], "shift"].tolist() == [12.0, 10.0, 9.0]
    assert t.loc["GBR", "before"] == pytest.approx(2 / 9)


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
    assert sens.loc["PAK", "share_first"] + sens.loc["CHN", "share_first"] == pytest.approx(1.0)
    assert sens.loc["PAK", "share_first"] == pytest.approx(144 / 270)
    assert sens.loc["PAK", ["rank_at_weights", "best_rank", "worst_rank"]].tolist() == [1, 1, 3]
    assert sens.loc["USA", "best_rank"] == sens.loc["USA", "worst_rank"] == len(sens)
    by_after = risk.sensitivity(edges, actors, rank_by="after").set_index("iso3")
    assert by_after.loc["PAK", "share_first"] == 1.0


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
    assert bars["Russia"] == 3.0 and bars["United States"] == -1.0
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
    assert labels["Pakistan"] == "first in 53%" and labels["China"] == "first in 47%"
    assert "Western Europe (each of 9)" in labels
    assert fig.layout.xaxis.range[0] > fig.layout.xaxis.range[1]  # rank 1 on the right

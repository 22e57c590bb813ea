"""Colours a chart draws together stay apart for readers with a colour-vision deficiency.

Each palette is simulated for full deuteranopia, protanopia and tritanopia (Machado, Oliveira &
Fernandes 2009, as colorspacious implements it, severity 100) and for normal vision, and every
pair of colours drawn in the same chart must stay at least MIN_DISTANCE apart in CAM02-UCS, a
space where distance follows perceived difference. 10 is about what the Okabe–Ito palette, a
standard for colour-blind readers, keeps under the same simulations (11.0).
"""

from __future__ import annotations

import itertools

import colorspacious  # the dev extra: a missing install fails here, never skips
import numpy as np
import pytest

from analysis import charts
from analysis.funding.charts import ACTION_COLORS
from analysis.network.charts import RELATION_COLORS
from analysis.observed.charts import GROUP_COLORS, TYPE_COLORS
from analysis.risk.charts import PERIOD_COLORS, VERDICT_COLORS

MIN_DISTANCE = 10.0
VISION = {
    "normal": None,
    "deuteranopia": "deuteranomaly",
    "protanopia": "protanomaly",
    "tritanopia": "tritanomaly",
}
OKABE_ITO = ["#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"]

# colours drawn together in one chart (a palette and the greys it is drawn with)
TOGETHER = {
    "charts.KIND_COLORS (network nodes)": list(charts.KIND_COLORS.values()),
    "charts.COUNTRY_COLORS (country lines)": list(charts.COUNTRY_COLORS.values()),
    "network RELATION_COLORS (ties)": list(RELATION_COLORS.values()),
    "observed TYPE_COLORS (deaths by type)": list(TYPE_COLORS.values()),
    "observed GROUP_COLORS (battle deaths by actor)": list(GROUP_COLORS.values()),
    "funding ACTION_COLORS and the derived-part grey": [
        *ACTION_COLORS.values(),
        charts.MISSING_COLOR,
    ],
    "risk VERDICT_COLORS (claims)": list(VERDICT_COLORS.values()),
    "risk PERIOD_COLORS (exposure)": list(PERIOD_COLORS.values()),
}


def _srgb(hex_color: str) -> np.ndarray:
    value = hex_color.lstrip("#")
    assert len(value) == 6, f"not a #rrggbb colour: {hex_color}"
    return np.array([int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)])


def _seen(colors: list[str], vision: str | None) -> np.ndarray:
    """The colours as a reader with this vision sees them, in CAM02-UCS."""
    rgb = np.array([_srgb(c) for c in colors])
    if vision is not None:
        cvd = {"name": "sRGB1+CVD", "cvd_type": vision, "severity": 100}
        rgb = np.clip(colorspacious.cspace_convert(rgb, cvd, "sRGB1"), 0, 1)
    return colorspacious.cspace_convert(rgb, "sRGB1", "CAM02-UCS")


def closest_pair(colors: list[str], vision: str | None) -> tuple[float, tuple[str, str]]:
    seen = _seen(colors, vision)
    pairs = itertools.combinations(range(len(colors)), 2)
    return min((float(np.linalg.norm(seen[i] - seen[j])), (colors[i], colors[j])) for i, j in pairs)


def test_the_simulation_separates_what_it_should():
    # red and green look alike to a deuteranope, not to a trichromat; blue and orange to none
    red_green = ["#d62728", "#2ca02c"]
    assert closest_pair(red_green, "deuteranomaly")[0] < 10 < closest_pair(red_green, None)[0]
    assert closest_pair(["#0072B2", "#E69F00"], "deuteranomaly")[0] > 30
    # the reference palette the threshold is taken from passes it
    for vision in VISION.values():
        assert closest_pair(OKABE_ITO, vision)[0] >= MIN_DISTANCE


@pytest.mark.parametrize("vision", VISION)
@pytest.mark.parametrize("palette", TOGETHER)
def test_colours_drawn_together_stay_apart(palette, vision):
    colors = list(dict.fromkeys(c.lower() for c in TOGETHER[palette]))
    distance, pair = closest_pair(colors, VISION[vision])
    assert distance >= MIN_DISTANCE, (
        f"{palette}: {pair[0]} and {pair[1]} are {distance:.1f} apart for {vision} "
        f"(minimum {MIN_DISTANCE})"
    )

"""The actor network: who threatens, attacks, engages, freezes ... whom, as the seed article says.

Nodes are the actors of ``actors.csv``, edges the directed ties of ``relations.csv`` (subject acts
on object). Everything here is a plain function over validated frames:

- :func:`build_graph` / :func:`load_graph`: nodes and edges, filtered by relation kind, period
  and stance;
- :func:`neighbourhood`, :func:`focus_ties`: one actor's direct ties, with their quotes and who
  says them;
- :func:`tie_counts`, :func:`relation_summary`, :func:`stance_summary`: counts per actor, per
  relation kind and per stance;
- :func:`layout`, :func:`drawn_edges`, :func:`edge_paths`: the fixed geometry of the chart;
- :func:`network_chart`, :func:`tie_counts_chart`: plotly figures (the brief reuses them, e.g.
  ``network_chart(load_graph(["threatens", "attacks"], "after", focus_actor="isis_k"), "isis_k")``);

Every tie carries how the article states it (``stance``: asserted, reported, expected,
hypothetical, denied), who says it (``voice``, shown as ``voice_name``) and the row it repeats, if
it restates another (``repeats``; see :mod:`analysis.tables.schemas`). The chart draws each
stance in its own line style, and a repeat is listed in the hover but counted once everywhere.

Periods are relative to the end of the US withdrawal (31 August 2021). A tie whose ``period`` is
``both`` holds before and after, so it belongs to every period: ``period="before"`` keeps the ties
marked ``before`` or ``both``, ``period="after"`` those marked ``after`` or ``both``, and
``period="both"`` keeps every tie.

Modules: :mod:`.checks` (the checks of relation kinds, periods and actor ids, and their rules),
:mod:`.graph` (nodes, edges, neighbourhoods, counts), :mod:`.geometry` (the chart's fixed
geometry), :mod:`.charts` (figures), :mod:`.rules` (registers the report's parameter rules).

May import: pandas, numpy, plotly, :mod:`analysis.tables`, :mod:`analysis.charts`,
:mod:`analysis.rules` and :mod:`analysis.exceptions`. Computation modules never import a chart
module.
"""

from __future__ import annotations

from .._lazy import exports

_NAMES = {
    "FADED_ALPHA": "charts",
    "PERIOD_LABELS": "charts",
    "RELATION_COLORS": "charts",
    "STANCE_LABELS": "charts",
    "STANCE_STYLES": "charts",
    "network_chart": "charts",
    "short_name": "charts",
    "tie_counts_chart": "charts",
    "FOCUS_ACTOR_RULE": "checks",
    "PERIOD_CHOICES": "checks",
    "PERIOD_RULE": "checks",
    "RELATION_KINDS_RULE": "checks",
    "STANCES_RULE": "checks",
    "require_actor": "checks",
    "unknown_actor_message": "checks",
    "ActorNetwork": "graph",
    "DataDir": "graph",
    "EDGE_COLUMNS": "graph",
    "FOCUS_TIE_COLUMNS": "graph",
    "NODE_COLUMNS": "graph",
    "build_graph": "graph",
    "focus_ties": "graph",
    "load_graph": "graph",
    "neighbourhood": "graph",
    "relation_summary": "graph",
    "stance_summary": "graph",
    "tie_counts": "graph",
    "RING_OF_KIND": "geometry",
    "RING_RADII": "geometry",
    "drawn_edges": "geometry",
    "edge_paths": "geometry",
    "layout": "geometry",
}
__all__ = sorted(_NAMES)

__getattr__, __dir__ = exports(__name__, _NAMES)

"""The actor-network report's parameter rules: ``relation_kinds``, ``period``, ``stances`` and
``focus_actor`` (an actor id of the ``data_dir`` checked with it, with close matches when it is
not one)."""

from __future__ import annotations

from ..rules import register
from .checks import FOCUS_ACTOR_RULE, PERIOD_RULE, RELATION_KINDS_RULE, STANCES_RULE

register("relation_kinds", RELATION_KINDS_RULE)
register("period", PERIOD_RULE)
register("focus_actor", FOCUS_ACTOR_RULE)
register("stances", STANCES_RULE)

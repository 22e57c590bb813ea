"""The country profile's parameter rule: ``country``, one ISO3 code of the observed set. The
windows and violence types keep the regional risk report's rules (:mod:`analysis.risk.rules`)."""

from __future__ import annotations

from ..observed import scope
from ..rules import choice, register

COUNTRIES = scope.OBSERVED_COUNTRIES  # Afghanistan, its neighbours, Russia, India, the US

register("country", choice(*COUNTRIES))

"""``afghan-brief data update | status | rollback``: the external tables from their publishers.

Holds the publishers' catalogue (:mod:`.publishers`: UCDP's release zips and the World Bank's
indicators API, and the package's scope filter), HTTP fetching with timeouts, retries, conditional
requests and a progress hook (:mod:`.fetch`), turning downloaded or user-given release files into
a staged set of filtered CSV files with provenance sidecars (:mod:`.stage`, :mod:`.worldbank`),
and the data store of installed release sets, swapped in whole and kept for rollback
(:mod:`.store`); :mod:`.update` runs the steps.

Nothing is half-installed: every file lands in a staging directory inside the store, the staged
set is validated with the same schemas and cross-table checks as ``afghan-brief validate``, and
only then becomes the active set with one atomic rename of the store's pointer. Any failure
leaves the active set as it was.

May import: the standard library, httpx, platformdirs, filelock, pandas, the rest of the data
layer (:mod:`analysis.tables`) and :mod:`analysis.exceptions`. Nothing above the data layer.
"""

from __future__ import annotations

from .store import SetInfo, Store, rollback, status
from .update import UpdateResult, update

__all__ = ["SetInfo", "Store", "UpdateResult", "rollback", "status", "update"]

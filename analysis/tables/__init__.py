"""The data layer: every table the package reads, validated, with its provenance.

Holds the table registry (:mod:`.registry`, :mod:`.catalog`), the vocabularies and column lists
(:mod:`.vocab`, without pandera), schemas (:mod:`.schemas` for the seed-derived tables,
:mod:`.external_schemas` for UCDP and WDI), CSV reading with every problem reported at once
(:mod:`.readers`), the record of data validated once per content (:mod:`.validcache`), the
data-directory lookup (:mod:`.datadir`), the loaders
(:mod:`.seed`, :mod:`.ucdp`, :mod:`.wdi`, :mod:`.mappings`, :mod:`.indicators`), how the seed's
statements are made, for reading (:mod:`.statements`), cross-table provenance checks
(:mod:`.provenance`, :mod:`.validate`), UCDP estimates out of order as warnings
(:mod:`.estimates`) and the step that copies ``seeds/`` into the package
(:mod:`.build`).

May import: the standard library, pandas, pandera, :mod:`analysis.exceptions` and
:mod:`analysis.files` (opening a user's files by type, bounded in size). Nothing here
imports the reports, the charts or the rendering engine. Loaders are re-exported here and
imported on first use, so ``import analysis.tables.datadir`` stays cheap.
"""

from __future__ import annotations

from .._lazy import exports

_LOADERS = {
    "load_sources": "seed",
    "load_actors": "seed",
    "load_relations": "seed",
    "load_funding": "seed",
    "load_events": "seed",
    "load_claims": "seed",
    "load_strength_terms": "seed",
    "load_ucdp_country_year": "ucdp",
    "load_ucdp_acd": "ucdp",
    "load_ucdp_brd": "ucdp",
    "load_ucdp_actors": "ucdp",
    "load_wdi": "wdi",
    "load_wdi_governance": "wdi",
    "load_country_codes": "mappings",
    "load_ucdp_actor_map": "mappings",
    "map_ucdp_actor": "mappings",
    "map_ucdp_actor_in_year": "mappings",
    "load_indicator_families": "indicators",
    "family_members": "indicators",
    "estimate_warnings": "estimates",
    "validate_data": "validate",
    "voice_name": "statements",
    "with_attribution": "statements",
    "load_table": "registry",
    "all_tables": "catalog",
    "get_spec": "catalog",
    "dataset_info": "releases",
    "sources_note": "releases",
}
_SUBMODULES = ("releases", "identify", "datadir", "updater")

__all__ = sorted(_LOADERS)

__getattr__, __dir__ = exports(__name__, _LOADERS, _SUBMODULES)

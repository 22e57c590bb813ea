"""The data layer's vocabularies and column lists, without pandera: what loaders, reports and
tests name, declared once.

The seed tables' vocabularies (stances, voices, relation kinds, ...; what each means is told in
:mod:`.schemas`), the UCDP codes and violence types, and the columns this package reads from
the UCDP and World Bank files. The pandera schemas (:mod:`.schemas`, :mod:`.external_schemas`)
are built from these and re-export them; a loader or a report imports them from here, so a
kernel that reads tables already validated (:mod:`.validcache`) never imports pandera.

Imports nothing but the standard library (pandas only inside :func:`_day`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

DATE_PRECISIONS = ("day", "month", "year")
DATE_BOUNDS = ("on", "by")  # "on": happened on `date`; "by": had happened by `date`, day not stated
STANCES = ("asserted", "reported", "expected", "hypothetical", "denied")
VOICE_AUTHOR = "author"  # the article's own voice
VOICE_ANONYMOUS = "anonymous"  # an unnamed source
VOICES = (VOICE_AUTHOR, VOICE_ANONYMOUS)  # besides the actor ids of actors.csv
SOURCE_KINDS = ("article", "document", "dataset")
ACTOR_KINDS = (
    "militant_group",
    "state",
    "state_group",
    "international_org",
    "central_bank",
    "government",
    "person",
)
RELATIONS = (
    "threatens",
    "attacks",
    "strikes",
    "freezes",
    "blocks",
    "halts",
    "endorses",
    "engages",
    "seeks_ties",
    "supports",
    "embassy_open",
    "embassy_closed",
    "member_of",
    "observer_of",
    "frees_detainees",
    "invests_in",
    "criticises",
    "urges",  # calls on another actor to act ("will need to have a 'moderating influence'")
    "designates_terrorist",
    "allied_with",
    "opposes",
)
PERIODS = ("before", "after", "both")  # relative to the end of the US withdrawal, 2021-08-31
FUNDING_MEASURES = (
    "held",
    "frozen",
    "blocked",
    "halted",
    "made_available",
    "subject_to_litigation",
    "transferred",
)
AMOUNT_QUALIFIERS = ("exact", "about", "more_than", "not_stated")
EVENT_KINDS = (
    "attack",
    "strike",
    "withdrawal",
    "statement",
    "celebration",
    "release",
    "freeze",
    "talks",
    "meeting",
    "takeover",
    "evacuation",
    "deployment",
)
CLAIM_TOPICS = ("risk_shift", "threat", "alignment", "counterterrorism", "economy", "funding")


DataDir = str | os.PathLike | None


YEARS = (1946, 2100)  # UCDP/PRIO data start in 1946; anything past 2100 is a typo


CY_REGIONS = ("Africa", "Americas", "Asia", "Europe", "Middle East")


UCDP_REGIONS = {1: "Europe", 2: "Middle East", 3: "Asia", 4: "Africa", 5: "Americas"}


INCOMPATIBILITY = {1: "territory", 2: "government", 3: "government_and_territory"}


TYPE_OF_CONFLICT = {
    1: "extrasystemic",
    2: "interstate",
    3: "intrastate",
    4: "internationalized_intrastate",
}


INTENSITY_LEVEL = {1: "25-999 battle deaths in the year", 2: "1,000 or more battle deaths"}


NO_DYAD = "NO_DYAD"  # UCDP's marker for an empty dyad list


@dataclass(frozen=True)
class ViolenceType:
    """One ``violence_type`` of the tidy country-year frame and the raw columns it comes from."""

    name: str
    deaths: str  # raw column template; "{}" is best, low or high
    dyads: tuple[str, ...]  # prefixes of *_dyad_count_cy / *_dyad_ids_cy / *_dyad_names_cy
    meaning: str


VIOLENCE_TYPES = (
    ViolenceType("state_based", "sb_total_deaths_{}_cy", ("sb",), "state-based armed conflict"),
    ViolenceType(
        "state_based_intrastate",
        "sb_intrastate_deaths_{}_cy",
        ("sb_intrastate",),
        "state-based, within one state",
    ),
    ViolenceType(
        "state_based_interstate",
        "sb_interstate_deaths_{}_cy",
        ("sb_interstate",),
        "state-based, between states",
    ),
    ViolenceType("non_state", "ns_total_deaths_{}_cy", ("ns",), "non-state conflict"),
    ViolenceType("one_sided", "os_total_deaths_{}_cy", ("os",), "one-sided violence (civilians)"),
    ViolenceType(
        "one_sided_main_govt",
        "os_main_govt_killings_{}_cy",
        (),
        "one-sided violence by the country's own government",
    ),
    ViolenceType(
        "one_sided_any_govt",
        "os_any_govt_killings_{}_cy",
        (),
        "one-sided violence by any government",
    ),
    ViolenceType(
        "one_sided_nsgroup",
        "os_nsgroup_killings_{}_cy",
        (),
        "one-sided violence by non-state groups",
    ),
    ViolenceType(
        "total",
        "cumulative_total_deaths_in_orgvio_{}_cy",
        ("sb", "ns", "os"),
        "all organized violence (state-based + non-state + one-sided)",
    ),
)


VIOLENCE_TYPE_NAMES = tuple(v.name for v in VIOLENCE_TYPES)


ESTIMATES = ("best", "low", "high")


# raw column -> tidy column, kind ("int", "flag", "text", "ids"), nullable
_ACTOR_COLUMNS = (
    ("ActorId", "ucdp_actor_id", "int", False),
    ("NameData", "name", "text", False),
    ("NameOrig", "name_orig", "text", False),
    ("NameOrigFull", "name_orig_full", "text", True),
    ("NameOrigFullEng", "name_orig_full_eng", "text", True),
    ("NameChange", "name_change", "flag", False),
    ("NewName", "new_name", "text", True),
    ("NewNameFullMotherTongue", "new_name_full_mother_tongue", "text", True),
    ("NewNameFullEng", "new_name_full_eng", "text", True),
    ("Org", "org", "int", False),
    ("ConflictId", "conflict_ids", "ids", True),
    ("DyadId", "dyad_ids", "ids", True),
    ("PrimaryParty", "primary_party", "flag", False),
    ("OSID", "os_ids", "ids", True),
    ("OSCoalition", "os_coalition", "flag", False),
    ("OSCoalitionID", "os_coalition_ids", "ids", True),
    ("NSID", "ns_ids", "ids", True),
    ("NSCoalition", "ns_coalition", "flag", False),
    ("NSCoalitionID", "ns_coalition_ids", "ids", True),
    ("Splinter", "splinter", "flag", False),
    ("NamePrev", "name_prev", "text", True),
    ("ActorIdPrev", "actor_ids_prev", "ids", True),
    ("SplitTemp", "split_temp", "flag", False),
    ("NameSplitTemp", "name_split_temp", "text", True),
    ("ActorIdSplitTemp", "actor_ids_split_temp", "ids", True),
    ("Alliance", "alliance", "flag", False),
    ("NameAlliance", "name_alliance", "text", True),
    ("ActorIdAlliance", "actor_ids_alliance", "ids", True),
    ("JoinGroup", "join_group", "flag", False),
    ("GroupName", "group_name", "text", True),
    ("ActorIdGroup", "actor_ids_group", "ids", True),
    ("Location", "location", "text", False),
    ("GWNOLoc", "gwno_loc", "ids", False),
    ("Region", "region", "ids", False),
    ("Version", "version", "text", False),
)


ORG_CODES = (1, 2, 3, 4)  # 4 = a state's government (every "Government of ..." actor, no other)


# the columns this package reads from the UCDP/PRIO ACD, UCDP BRD and WDI files, in order (their
# schemas in :mod:`.external_schemas` are keyed by these; other columns of a release are kept)
ACD_COLUMNS = (
    "conflict_id",
    "location",
    "side_a",
    "side_a_id",
    "side_a_2nd",
    "side_b",
    "side_b_id",
    "side_b_2nd",
    "incompatibility",
    "territory_name",
    "year",
    "intensity_level",
    "cumulative_intensity",
    "type_of_conflict",
    "start_date",
    "start_prec",
    "start_date2",
    "start_prec2",
    "ep_end",
    "ep_end_date",
    "ep_end_prec",
    "gwno_a",
    "gwno_a_2nd",
    "gwno_b",
    "gwno_b_2nd",
    "gwno_loc",
    "region",
    "version",
)


BRD_COLUMNS = (
    "conflict_id",
    "dyad_id",
    "location_inc",
    "side_a",
    "side_a_id",
    "side_a_2nd",
    "side_b",
    "side_b_id",
    "side_b_2nd",
    "incompatibility",
    "territory_name",
    "year",
    "bd_best",
    "bd_low",
    "bd_high",
    "type_of_conflict",
    "battle_location",
    "gwno_a",
    "gwno_a_2nd",
    "gwno_b",
    "gwno_b_2nd",
    "gwno_loc",
    "gwno_battle",
    "region",
    "version",
)


WDI_COLUMNS = ("country_name", "country_code", "indicator_code", "indicator_name", "year", "value")


def _day(value, open_end):
    """A ``YYYY-MM-DD`` text or Timestamp as a Timestamp; missing or unparseable → ``open_end``."""
    import pandas as pd

    day = pd.to_datetime(value, format="%Y-%m-%d", errors="coerce")
    return open_end if pd.isna(day) else day

"""What each of the article's claims is tested against: the part of the claim tested, the parts
left untested, the rule, the observed indicator and its defensible variants, and the caveat.

A :class:`ClaimTest` names one testable part of one claim. Its ``indicator`` is the primary
series (the one the chosen-window verdict reads); ``variants`` are the other indicators a careful
reader could defend for the same part, run in the specification grid (:mod:`.grid`). An
"exceeds" test compares two sets of countries on the **same** indicator (the versus side takes
each variant with its own countries), so the neighbours and the West are always measured alike.

Indicators (:class:`Indicator`, computed in :mod:`.indicators`):

- ``family``: the UCDP actors of an indicator family of ``indicator_families.csv``
  (``jihadist``: IS, TTP and affiliates, Jaish al-Adl, al-Qaida and AQAP, ETIM), all types;
- ``organised_violence``: every UCDP dyad (after the exclusions of :mod:`analysis.observed`);
- ``actors``: named UCDP actors (IS), optionally only where the actor map reads IS as ISIS-K;
- ``brd_dyad``: one dyad's battle deaths (UCDP BRD, e.g. Pakistan–TTP);
- ``cy_dyad``: deaths of named dyads from the country-year file (the Afghanistan–Pakistan
  interstate dyad).

A test may name its claim by id or, for claims another curator may add (the Taliban spokesman's
pledge), by a phrase of the quote (``quote_has``): it is used only when such a claim exists.

May import: :mod:`analysis.observed` (country sets). Nothing here reads data.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .. import observed

RISK_TOPICS = ("threat", "risk_shift")


VERDICTS = ("supported", "contradicted", "not measurable")


RULES = {
    "rise": "supported if the comparison window's mean is above the baseline's by at least the "
    "minimum change; contradicted if even the data's upper reading is not; not measurable if "
    "either is missing or the data's range allows both",
    "no_rise": "supported if the comparison window's mean is not above the baseline's by the "
    "minimum change, even at the data's upper reading; contradicted if it clearly is; not "
    "measurable if either is missing or the range allows both",
    "positive": "supported if deaths are recorded in the comparison window (mean > 0); "
    "contradicted if none are; not measurable if missing",
    "zero": "supported if no deaths are recorded in the comparison window while some were in "
    "the baseline; not measurable if the baseline was zero too (the test cannot tell after "
    "from before) or a value is missing; contradicted if any are recorded",
    "exceeds": "supported if the comparison-window mean of the first set is above that of the "
    "second by at least the minimum change; contradicted if even its upper reading is not; not "
    "measurable if missing",
    "none": "not measurable with this data",
}


@dataclass(frozen=True)
class Indicator:
    """An observed series: what (``kind`` and its fields) and where (``countries``).

    Legacy kinds are still read: ``is_one_sided`` (civilians killed by IS), ``pakistan_ttp``
    (the Pakistan–TTP dyad in BRD), ``actor:<UCDP name>`` (one actor, the report's types).
    """

    kind: str
    countries: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()  # kind "actors": UCDP names
    family: str = ""  # kind "family": a family of indicator_families.csv
    branch: str = ""  # kind "family": only this branch (TTP and its affiliates)
    types: tuple[str, ...] = ()  # violence types; () = the report's violence_types
    isis_k_only: bool = False  # IS only where the actor map reads it as ISIS-K
    dyad: tuple = ()  # brd_dyad: (side_a_id, side_b_id); cy_dyad: dyad names
    name: str = ""  # the variant's short name in tables and charts

    def normalised(self) -> Indicator:
        """The same indicator in the current vocabulary (legacy kinds translated)."""
        if self.kind == "is_one_sided":
            return Indicator(
                "actors",
                self.countries,
                actors=("IS",),
                types=("one_sided",),
                name=self.name or "civilians killed by IS (any branch)",
            )
        if self.kind == "pakistan_ttp":
            return Indicator(
                "brd_dyad", ("PAK",), dyad=(142, 356), name=self.name or "Pakistan–TTP (BRD)"
            )
        if self.kind.startswith("actor:"):
            actor = self.kind.split(":", 1)[1]
            return Indicator("actors", self.countries, actors=(actor,), name=self.name or actor)
        return self

    def with_countries(self, countries: tuple[str, ...]) -> Indicator:
        return replace(self, countries=tuple(countries))

    @property
    def label(self) -> str:
        """The short name of the variant."""
        n = self.normalised()
        return n.name or n.kind.replace("_", " ")

    def describe(self) -> str:
        """What the series counts and where, in words."""
        n = self.normalised()
        where = ", ".join(observed.label(c) for c in n.countries)
        if n.kind == "brd_dyad":
            return f"{n.label} (UCDP battle-related deaths)"
        if n.kind == "cy_dyad":
            return f"{n.label}: deaths of {'; '.join(n.dyad)} (UCDP country-year)"
        if n.kind == "organised_violence":
            return f"all organised-violence deaths (UCDP country-year) in {where}"
        if n.kind == "family":
            what = f"{n.branch} and affiliates" if n.branch else f"{n.family} violence"
            return f"{what} ({n.family} family, indicator_families.csv) in {where}"
        reading = ", read as ISIS-K only where the actor map says so" if n.isis_k_only else ""
        return f"{n.label} ({', '.join(n.actors)}{reading}) in {where}"


@dataclass(frozen=True)
class ClaimTest:
    """One testable part of one claim: the rule, the indicator(s), the caveat and scope."""

    claim_id: str  # "" when the claim is found by ``quote_has``
    target: str  # the part of the claim tested, in a few words
    rule: str  # a key of RULES
    indicator: Indicator | None = None
    versus: Indicator | None = None  # the second set of an "exceeds" rule (its countries)
    reason: str = ""  # the caveat shown beside every verdict of this test
    variants: tuple[Indicator, ...] = ()  # other defensible indicators for the same part
    untested: str = ""  # the parts of the claim this test does not test
    quote_has: str = ""  # a phrase of the claim's quote, for claims found by their words
    key: str = ""  # stable id of the test (figures, charts)

    @property
    def caveat(self) -> str:
        return self.reason

    @property
    def test_id(self) -> str:
        return self.key or f"{self.claim_id}-{self.target[:24]}"

    def pairs(self) -> list[tuple[Indicator, Indicator | None]]:
        """Every indicator the grid runs (primary first), each with its versus side."""
        if self.indicator is None:
            return []
        out = []
        for ind in (self.indicator, *self.variants):
            vs = ind.with_countries(self.versus.countries) if self.versus is not None else None
            out.append((ind, vs))
        return out

    def matches(self, claim_id: str, quote: str) -> bool:
        if self.claim_id:
            return self.claim_id == claim_id
        return bool(self.quote_has) and self.quote_has.casefold() in str(quote).casefold()


NEIGHBOURS = observed.NEIGHBOURS


WEST = ("USA", *observed.WESTERN_EUROPE)


def jihadist(countries) -> Indicator:
    return Indicator("family", tuple(countries), family="jihadist", name="jihadist violence")


def organised(countries) -> Indicator:
    return Indicator("organised_violence", tuple(countries), name="all organised violence")


def is_civilians(countries, isis_k_only: bool = True) -> Indicator:
    name = "civilians killed by ISIS-K" if isis_k_only else "civilians killed by IS (any branch)"
    return Indicator(
        "actors",
        tuple(countries),
        actors=("IS",),
        types=("one_sided",),
        isis_k_only=isis_k_only,
        name=name,
    )


def is_violence(countries, isis_k_only: bool = True) -> Indicator:
    name = "ISIS-K violence, all types" if isis_k_only else "IS violence, all types (any branch)"
    return Indicator("actors", tuple(countries), actors=("IS",), isis_k_only=isis_k_only, name=name)


PAKISTAN_TTP = Indicator("brd_dyad", ("PAK",), dyad=(142, 356), name="Pakistan–TTP battle deaths")


TTP_FAMILY = Indicator(
    "family", ("PAK",), family="jihadist", branch="TTP", name="TTP and affiliates, all types"
)


AFGHANISTAN_IS = Indicator(
    "brd_dyad", ("AFG",), dyad=(130, 234), name="Government–IS battle deaths in Afghanistan"
)


AFGHANISTAN_PAKISTAN = Indicator(
    "cy_dyad",
    ("AFG", "PAK"),
    dyad=("Government of Afghanistan - Government of Pakistan",),
    types=("state_based",),
    name="Afghanistan–Pakistan interstate deaths",
)


AFGHANISTAN_INDICATORS = (
    AFGHANISTAN_IS,
    Indicator(
        "actors",
        ("AFG",),
        actors=("IS",),
        types=("one_sided",),
        isis_k_only=True,
        name="civilians killed by ISIS-K in Afghanistan",
    ),
    AFGHANISTAN_PAKISTAN,
)  # Afghanistan's own ISIS-K trend and its interstate fighting with Pakistan


_NOT_BY_NATIONALITY = "UCDP counts deaths where they happen, not by the victims' nationality"


CLAIM_TESTS = (
    ClaimTest(
        "C02",
        "Afghanistan's terror potential before a global audience",
        "none",
        reason="media attention is not in UCDP",
        untested="the whole claim: what a global audience saw",
        key="C02",
    ),
    ClaimTest(
        "C06",
        "ISIS-K kills more in the neighbours than in the US, after",
        "exceeds",
        is_civilians(("RUS", "CHN", "IRN", "PAK")),
        is_civilians(("USA",)),
        reason="Pakistan's IS killings share a one-sided total with other groups in most years, so "
        f"the neighbours' sum is a range; {_NOT_BY_NATIONALITY}",
        variants=(is_civilians((), isis_k_only=False), is_violence(())),
        untested="'for longer' (a forecast of duration); a danger that kills no one",
        key="C06",
    ),
    ClaimTest(
        "C07",
        "no ISIS-K killing in the US after the withdrawal",
        "zero",
        is_civilians(("USA",), isis_k_only=False),
        reason="UCDP cannot tell IS branches apart in the US, so any IS killing counts against "
        "the claim; where the baseline was zero too the test cannot tell after from before",
        variants=(is_violence(("USA",), isis_k_only=False),),
        untested="a threat that kills no one (plots, sleeper cells); Europe, which the "
        "sleeper-cell exception names",
        key="C07",
    ),
    ClaimTest(
        "C12",
        "ISIS-K a direct danger to China",
        "positive",
        is_civilians(("CHN",)),
        reason=f"a danger can exist without deaths; {_NOT_BY_NATIONALITY}: attacks on Chinese "
        "nationals in Afghanistan or Pakistan are not China's",
        variants=(is_civilians((), isis_k_only=False), is_violence(())),
        untested="danger to Chinese nationals and interests abroad; danger without deaths",
        key="C12-china",
    ),
    ClaimTest(
        "C12",
        "ISIS-K a direct danger to Russia",
        "positive",
        is_civilians(("RUS",)),
        reason="a danger can exist without deaths; IS in Russia counts as ISIS-K only where the "
        "actor map reads it so (not the Caucasus province before 2021)",
        variants=(is_civilians((), isis_k_only=False), is_violence(())),
        untested="danger to Russian nationals and interests abroad; danger without deaths",
        key="C12-russia",
    ),
    ClaimTest(
        "C13",
        "ISIS-K grows in Afghanistan (violence as a proxy for recruits)",
        "rise",
        AFGHANISTAN_IS,
        reason="violence is a proxy for a group's strength, recruitment itself is not in UCDP; "
        "from 15 Aug 2021 the government side is the Taliban",
        variants=(is_civilians(("AFG",)), is_violence(("AFG",))),
        untested="that the recruits are Taliban fighters who find their leaders too moderate",
        key="C13",
    ),
    ClaimTest(
        "C16",
        "neighbours fear a coalition incl. al-Qaeda and ETIM",
        "none",
        reason="fears are not in UCDP; ETIM and al-Qaida have no UCDP dyad in the last years",
        untested="the whole claim: what the neighbouring states fear",
        key="C16",
    ),
    ClaimTest(
        "C17",
        "jihad against China (Uighur 'liberation'): ETIM's violence grows",
        "rise",
        Indicator("actors", ("CHN",), actors=("ETIM",), name="ETIM violence"),
        reason="ETIM has no UCDP dyad in most years: its activity is not measurable, not zero; "
        "the jihadist variant counts what UCDP recorded (groups below its thresholds count 0)",
        variants=(jihadist(("CHN",)),),
        untested="the coalition's aims and whether it forms",
        key="C17-china",
    ),
    ClaimTest(
        "C17",
        "jihad against the state in Pakistan grows",
        "rise",
        jihadist(("PAK",)),
        reason="Pakistan's totals mix jihadist and Baloch dyads: their state-based deaths come "
        "from BRD's per-dyad counts (by conflict location) where BRD covers the year; sectarian "
        "groups (LeJ) are left out of the family",
        variants=(TTP_FAMILY,),  # the TTP's own battle deaths are C18's measure
        untested="the aim of capturing the state",
        key="C17-pakistan",
    ),
    ClaimTest(
        "C17",
        "jihad exported to Central Asia",
        "rise",
        jihadist(("TJK", "UZB", "TKM")),
        reason="the Kyrgyzstan–Tajikistan border war is excluded as unrelated to Afghanistan",
        variants=(organised(("TJK", "UZB", "TKM")),),
        untested="the coalition's aims; where attackers came from",
        key="C17-central-asia",
    ),
    ClaimTest(
        "C17",
        "jihad exported to Iran",
        "rise",
        jihadist(("IRN",)),
        reason="Iran's state-based totals mix IS and Jaish al-Adl with Kurdish groups and Israel: "
        "their deaths come from BRD's per-dyad counts where BRD covers the year",
        variants=(is_civilians(("IRN",), isis_k_only=False), is_civilians(("IRN",))),
        untested="the coalition's aims; where attackers came from",
        key="C17-iran",
    ),
    ClaimTest(
        "C18",
        "TTP ramps up its attacks in Pakistan",
        "rise",
        PAKISTAN_TTP,
        reason="BRD's coverage ends before the country-year file's: windows use the years it "
        "covers; the verdict depends on the baseline window (see the window comparison)",
        variants=(TTP_FAMILY, jihadist(("PAK",))),
        untested="that the Taliban's takeover is why; the aim of an emirate in Pakistan",
        key="C18",
    ),
    ClaimTest(
        "C19",
        "the pledge against cross-border attacks does not hold",
        "rise",
        AFGHANISTAN_PAKISTAN,
        reason="UCDP records fighting between the two states, not who attacked across the border; "
        "the TTP's bases in Afghanistan are not in UCDP",
        variants=(PAKISTAN_TTP,),
        untested="the release of detained TTP fighters itself",
        key="C19",
    ),
    ClaimTest(
        "C32",
        "risk grows in the neighbours (jihadist violence)",
        "rise",
        jihadist(NEIGHBOURS),
        reason="the same indicator as for the US and the West; all organised violence (Iran's "
        "killings of protesters, Iran–Israel, Baloch groups, India–Pakistan) is a variant",
        variants=(organised(NEIGHBOURS),),
        untested="that the risk moved from the West (no dyad links the two)",
        key="C32-neighbours",
    ),
    ClaimTest(
        "C32",
        "risk does not grow for the US and the West at home",
        "no_rise",
        jihadist(WEST),
        reason="'recedes' is tested as 'does not grow by the minimum change'; the same indicator "
        "as for the neighbours, all organised violence a variant",
        variants=(organised(WEST),),
        untested="the risk to Western forces and nationals in Afghanistan until the evacuation "
        f"({_NOT_BY_NATIONALITY})",
        key="C32-west",
    ),
    ClaimTest(
        "C34",
        "terror exported to Russia, China and Iran grows",
        "rise",
        is_civilians(("RUS", "CHN", "IRN")),
        reason="IS counts as ISIS-K only where the actor map reads it so (not the Caucasus "
        "province in Russia before 2021); UCDP records where deaths happened, not where attacks "
        "were planned",
        variants=(
            is_civilians((), isis_k_only=False),
            is_violence(()),
            jihadist(()),
        ),
        untested="that Afghanistan is unstable; that this serves US interests",
        key="C34",
    ),
    ClaimTest(
        "",
        "no group attacks from Afghan soil, incl. into Pakistan",
        "no_rise",
        AFGHANISTAN_PAKISTAN,
        reason="UCDP does not record where attackers were based: cross-border fighting and the "
        "TTP's war in Pakistan are the nearest observable consequences",
        variants=(PAKISTAN_TTP, TTP_FAMILY),
        untested="attacks elsewhere planned in Afghanistan",
        quote_has="allow any group to use Afghan soil",
        key="pledge-afghan-soil",
    ),
)


def _with_own_countries(test: ClaimTest) -> ClaimTest:
    """Variants given without countries take the primary indicator's."""
    if test.indicator is None:
        return test
    variants = tuple(
        v if v.countries else v.with_countries(test.indicator.countries) for v in test.variants
    )
    return replace(test, variants=variants)


CLAIM_TESTS = tuple(_with_own_countries(t) for t in CLAIM_TESTS)


ORIGINAL_TESTS = (
    "C02",
    "C06",
    "C07",
    "C12-china",
    "C12-russia",
    "C13",
    "C16",
    "C17-china",
    "C17-central-asia",
    "C17-iran",
    "C18",
    "C32-neighbours",
    "C32-west",
    "C34",
)  # the 14 tests of the first version (8 / 2 / 4 on its windows), for comparison

"""The domain model: what an MSP, a prospect, a closing line and a brand kit are.

Pure pydantic models, no I/O. Data is validated once at load; everything after
trusts it. Loading (YAML/CSV, line numbers, cleaning) lives in ``deckgen.load``.
"""

# no ``from __future__ import annotations``: pydantic reads these annotations as objects rather
# than evaluating strings, which makes importing the model a few milliseconds cheaper
import re
from enum import Enum
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

Text = Annotated[str, Field(max_length=20_000)]
ShortText = Annotated[str, Field(max_length=500)]
Money = Annotated[float, Field(ge=0, le=1e12)]
Count = Annotated[int, Field(ge=0, le=10_000_000)]
# a prospect's amount: 0 from a CRM export almost always means "not filled in", so it is read as unknown
Amount = Annotated[Money | None, BeforeValidator(lambda v: None if isinstance(v, int | float) and v == 0 else v)]


class _Model(BaseModel):
    # validators are made on first use, not at import (~40 ms); sub-model defaults are factories for that too
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=False, defer_build=True)


# --------------------------------------------------------------------------- shared pieces


# str + Enum, not StrEnum: StrEnum changes what str() and format() give, and text built from these shows it
class Tone(str, Enum):  # noqa: UP042
    calm = "calm"
    firm = "firm"
    warm = "warm"


class ItModel(str, Enum):  # noqa: UP042
    break_fix = "break_fix"
    in_house = "in_house"
    co_managed = "co_managed"
    other_msp = "other_msp"
    none = "none"
    unknown = "unknown"


class Person(_Model):
    name: ShortText
    title: ShortText = ""
    email: ShortText = ""
    phone: ShortText = ""


class ClosingLine(_Model):
    """A walk-away statement with the situations it answers and how to use it."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
    text: Annotated[str, Field(min_length=1, max_length=400)]
    tone: Tone = Tone.calm
    triggers: list[ShortText] = []
    coaching: Text = ""
    source: str = "library"  # "library", "profile" or "literal"
    short: ShortText = ""  # the line as its slide shows it, in 20 words or fewer


class Objection(_Model):
    """A likely objection, the situations that bring it up, and the seller's answer (brief only)."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
    situations: list[ShortText] = []
    says: ShortText  # what the prospect says, in their words
    answer: Text  # what the seller answers
    avoid: Text = ""  # what not to do
    slides: list[ShortText] = []  # the slides (coaching keys) where it usually comes up, likeliest first
    cues: list[ShortText] = []  # words in a prospect's notes or pain points that point to it


# --------------------------------------------------------------------------- the MSP


class Service(_Model):
    name: ShortText
    description: Text = ""
    price: Money
    unit: Annotated[str, Field(pattern=r"^(per_user_month|per_device_month|per_site_month|per_month|one_time)$")] = (
        "per_user_month"
    )
    # the MSP's own price list in other currencies, e.g. {GBP: 75}: used instead of a conversion
    prices: dict[Annotated[str, Field(pattern=r"^[A-Z]{3}$")], Money] = {}
    optional: bool = False  # an add-on: offered, not part of the plan's total
    remote_description: Text = ""  # the description for prospects outside the on-site area


class Sla(_Model):
    metric: ShortText
    target: ShortText
    # onsite: only inside the on-site area; remote: only outside it; all ("on-site" in the metric: onsite)
    where: Annotated[str, Field(pattern=r"^(all|onsite|remote)$")] = "all"


class Tier(_Model):
    """One good/better/best option on the investment slide: a name and the services it includes."""

    name: ShortText
    description: Text = ""
    services: list[ShortText] = []  # service names from the price list
    recommended: bool = False


class IndustryProof(_Model):
    """Proof and wording for prospects of some industries (matched like the ICP's industries)."""

    industries: list[ShortText]
    proof_points: list[Text] = []
    story: Text = ""  # a named customer story
    data_at_risk: ShortText = ""  # e.g. "patient records", replacing usp.data_at_risk in the wording


class Metric(_Model):
    label: ShortText
    value: ShortText
    industries: list[ShortText] = []  # shown only to prospects in these industries; empty = everyone


class Usp(_Model):
    """The unique selling proposition."""

    target: Text
    problem: Text
    differentiator: Text
    one_liner: Annotated[str, Field(min_length=1, max_length=300)]
    proof_points: list[Text] = []
    # the words in ``problem`` that name the data at risk; replaced per industry (see Profile.industry_proof)
    data_at_risk: ShortText = ""


class SizeRange(_Model):
    min_users: Count = 0
    max_users: Count = 1_000_000


class Geography(_Model):
    onsite_regions: list[ShortText] = []  # cities/regions served on site
    countries: list[ShortText] = []  # countries served at all (ISO codes or names); empty = anywhere
    remote_ok: bool = True


class Weights(_Model):
    industry: Annotated[int, Field(ge=0, le=100)] = 20
    size: Annotated[int, Field(ge=0, le=100)] = 20
    it_model: Annotated[int, Field(ge=0, le=100)] = 15
    compliance: Annotated[int, Field(ge=0, le=100)] = 15
    geography: Annotated[int, Field(ge=0, le=100)] = 10
    budget: Annotated[int, Field(ge=0, le=100)] = 10
    decision_maker: Annotated[int, Field(ge=0, le=100)] = 10


class Icp(_Model):
    """The ideal-client profile: what a good-fit prospect looks like."""

    summary: Text = ""
    industries: list[ShortText] = []
    adjacent_industries: list[ShortText] = []
    size: SizeRange = Field(default_factory=SizeRange)
    compliance: list[ShortText] = []  # frameworks the MSP covers
    geography: Geography = Field(default_factory=Geography)
    budget_floor_per_user_month: Money | None = None
    weights: Weights = Field(default_factory=Weights)
    must_haves: list[ShortText] = []  # criteria names that must earn points
    disqualifiers: list[ShortText] = []  # situations that mean "walk away"
    minimum_standards: list[Text] = []  # what every client must accept
    # below this share of the weight known, the verdict is "qualify first" (never walk away)
    min_confidence: Annotated[float, Field(ge=0, le=1)] = 0.5


class RegionalCosts(_Model):
    """The profile's cost figures for one country, in ``currency`` (default the country's own); unset ones fall back."""

    currency: Annotated[str, Field(pattern=r"^([A-Z]{3})?$")] = ""
    hourly_wage: Money | None = None
    working_hours_per_year: Annotated[float, Field(gt=0, le=8_760)] | None = None
    break_fix_rate: Money | None = None
    emergency_fee: Money | None = None
    other_msp_per_user_month: Money | None = None
    basis: ShortText = ""  # why the figures hold, printed in the notes


class CostDefaults(_Model):
    """Assumptions for the cost charts where a prospect's own numbers are unknown."""

    hourly_wage: Money = 38.0
    loaded_wage_factor: Annotated[float, Field(ge=1, le=5)] = 1.3
    productivity_lost: Annotated[float, Field(ge=0, le=1)] = 0.5
    incidents_per_month: Annotated[float, Field(ge=0, le=10_000)] = 4
    hours_per_incident: Annotated[float, Field(ge=0, le=1_000)] = 3
    break_fix_rate: Money = 165.0
    emergency_fee: Money = 250.0
    incident_impact: Annotated[float, Field(ge=0, le=1)] = 0.25  # share of the business one incident stops
    emergency_share: Annotated[float, Field(ge=0, le=1)] = 0.25
    onboarding_fee: Money = 2_500.0
    working_hours_per_year: Annotated[float, Field(gt=0, le=8_760)] = 2_080
    months: Annotated[int, Field(ge=1, le=120)] = 36
    # how much less downtime a managed client has, and why the MSP believes it
    managed_downtime_reduction: Annotated[float, Field(ge=0, le=1)] = 0.6
    managed_downtime_basis: Text = "typical of proactive monitoring and patching; not a guarantee"
    # share of the revenue of an outage hour that is lost for good (most work is rebooked or caught up)
    revenue_lost_share: Annotated[float, Field(ge=0, le=1)] = 0.2
    downtime_range: Annotated[float, Field(ge=0, le=1)] = 0.5  # the range: modelled downtime ± this share
    # what another MSP charges per user a month when the prospect's spend is unknown
    other_msp_per_user_month: Money = 90.0
    # the profile's own figures per country (ISO 3166 alpha-2), in that country's currency
    regions: dict[Annotated[str, Field(pattern=r"^[A-Z]{2}$")], RegionalCosts] = {}


class Msp(_Model):
    name: ShortText
    website: ShortText = ""
    phone: ShortText = ""
    city: ShortText = ""
    locale: ShortText = "en-US"
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "USD"
    sales_contact: Person
    time_zone: ShortText = ""  # e.g. "US Central Time": whose business hours remote clients' SLAs count in
    business_hours: Annotated[str, Field(pattern=r"^(msp|client)$")] = "msp"  # or the client's own hours


class Profile(_Model):
    """The MSP itself: one YAML file the MSP maintains."""

    msp: Msp
    usp: Usp
    icp: Icp = Field(default_factory=Icp)
    services: list[Service] = []
    slas: list[Sla] = []
    certifications: list[ShortText] = []
    metrics: list[Metric] = []
    closing_tone: Tone | None = None
    closings: list[ClosingLine] = []
    cost_defaults: CostDefaults = Field(default_factory=CostDefaults)
    # units of another currency per 1 of msp.currency, e.g. {GBP: 0.79}: prices converted for decks in that currency
    exchange_rates: dict[Annotated[str, Field(pattern=r"^[A-Z]{3}$")], Annotated[float, Field(gt=0, le=1e6)]] = {}
    next_steps: list[Text] = []
    tiers: list[Tier] = []  # good / better / best, by service name
    industry_proof: list[IndustryProof] = []


# --------------------------------------------------------------------------- the prospect


class ProspectSize(_Model):
    users: Count | None = None
    endpoints: Count | None = None
    sites: Count | None = None


class Location(_Model):
    city: ShortText = ""
    region: ShortText = ""
    country: ShortText = ""


class DecisionMaker(Person):
    role: Annotated[str, Field(pattern=r"^(economic_buyer|influencer|technical|unknown)$")] = "unknown"


class ProspectNumbers(_Model):
    annual_revenue: Amount = None
    hourly_wage: Amount = None
    incidents_per_month: Annotated[float, Field(ge=0, le=10_000)] | None = None
    hours_per_incident: Annotated[float, Field(ge=0, le=1_000)] | None = None
    it_spend_per_month: Amount = None


class Prospect(_Model):
    """One company the MSP pitches."""

    id: Annotated[str, Field(max_length=128)] = ""
    company: Annotated[str, Field(min_length=1, max_length=300)]
    industry: ShortText = ""
    website: ShortText = ""
    logo: ShortText = ""  # path to an image, relative to the prospect file
    contact: Person | None = None
    decision_makers: list[DecisionMaker] = []
    size: ProspectSize = Field(default_factory=ProspectSize)
    location: Location = Field(default_factory=Location)
    locale: ShortText = ""  # e.g. en-GB; derived from the country when empty
    currency: Annotated[str, Field(pattern=r"^([A-Z]{3})?$")] = ""
    it_model: ItModel = ItModel.unknown
    it_pain: bool | None = None  # is the current IT model hurting them?
    compliance: list[ShortText] = []
    pain_points: list[Text] = []
    situations: list[ShortText] = []  # closing-line triggers: break_fix, price_shopper, ...
    budget_per_user_month: Amount = None
    # amounts the list gave in another currency and the loader converted: field path -> (currency, amount as given)
    given_as: dict[ShortText, tuple[Annotated[str, Field(pattern=r"^[A-Z]{3}$")], Money]] = {}
    numbers: ProspectNumbers = Field(default_factory=ProspectNumbers)
    closing: Annotated[str, Field(max_length=400)] = ""  # closing id or literal text
    notes: Text = ""
    extra: dict[Annotated[str, Field(max_length=200)], Text] = {}

    @field_validator("situations")
    @classmethod
    def _lower_snake(cls, values: list[str]) -> list[str]:
        return [re.sub(r"[\s-]+", "_", v.strip()).lower() if v else v for v in values]

    @field_validator("compliance")
    @classmethod
    def _as_written(cls, values: list[str]) -> list[str]:
        """Framework names stay as written (HIPAA, Cyber Essentials); "None", "no", "N/A" become ``none``."""
        none = {"none", "no", "na", "n/a", "-"}
        return ["none" if v.strip().casefold() in none else " ".join(v.split()) for v in values]


# --------------------------------------------------------------------------- brand kits

HexColor = Annotated[str, Field(pattern=r"^#?[0-9A-Fa-f]{6}$")]


class BrandColors(_Model):
    primary: HexColor
    secondary: HexColor
    accent: HexColor
    text: HexColor = "1F2933"
    background: HexColor = "FFFFFF"
    muted: HexColor | None = None  # light tint for panels; derived when absent
    positive: HexColor | None = None
    negative: HexColor | None = None

    @field_validator("*")
    @classmethod
    def _normalise(cls, v):
        return v.lstrip("#").upper() if isinstance(v, str) else v


class BrandFonts(_Model):
    heading: ShortText = "Calibri"  # Office has it; measured with its metric twin, Carlito
    body: ShortText = "Calibri"
    east_asian: ShortText = "Microsoft JhengHei"
    files: list[ShortText] = []  # TTF/OTF files shipped with the kit, relative to brand.yaml


class BrandKit(_Model):
    name: ShortText
    colors: BrandColors
    fonts: BrandFonts = Field(default_factory=BrandFonts)
    logo: ShortText = ""  # relative to brand.yaml
    logo_dark: ShortText = ""  # variant for dark backgrounds
    footer: ShortText = ""
    disclaimer: Text = ""


# --------------------------------------------------------------------------- walking the fields


def format_field_path(loc: tuple) -> str:
    """How a field's place is written for users: ``('usp', 'proof_points', 2)`` → ``usp.proof_points[2]``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out

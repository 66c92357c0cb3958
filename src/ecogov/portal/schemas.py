"""What the public may see: one declared schema per public endpoint (the allow-list).

Every public response is built by validating the service's rows against these models and
dumping them, so a field not declared here never leaves the server (names of officers and
inspectors, phones, complainants, internal notes, ids of people). The test of the portal walks
every public endpoint and diffs its responses against these declarations.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict


class Public(BaseModel):
    """A public record: undeclared fields are dropped, never passed on."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class StationAqi(Public):
    """A station's real-time AQI (HJ 633) at the latest hour."""

    code: str
    name: str
    city: str | None
    aqi: int | None
    level: int | None
    category: str | None
    colour: str
    primary: str
    lon: float | None
    lat: float | None


class LatestAqi(Public):
    """Every station's real-time AQI at the latest published hour."""

    time: datetime | None
    stations: list[StationAqi]


class CityAqi(Public):
    """A city of the real-time or daily ranking (CNEMC's layout)."""

    rank: int | None
    city: str
    name: str
    aqi: int | None
    level: int | None
    category: str | None
    colour: str
    primary: list[str]
    pm25: float | None
    pm10: float | None
    so2: float | None
    no2: float | None
    co: float | None
    o3: float | None
    stations_reporting: int
    stations_expected: int


class AqiRanking(Public):
    """Real-time (``now``) or daily (``day``) city ranking, with the best and worst cities."""

    kind: str
    time: datetime | None
    day: date | None
    cities: list[CityAqi]
    best: list[CityAqi]
    worst: list[CityAqi]


class CityIndex(Public):
    """A city of the monthly or annual ranking by composite index (HJ 663)."""

    rank: int | None
    city: str
    name: str
    composite_index: float | None
    good_day_ratio: float | None
    pm25_mean: float | None
    pm10_mean: float | None
    so2_mean: float | None
    no2_mean: float | None
    co_p95: float | None
    o3_8h_p90: float | None
    change_rate: float | None
    attained: bool | None


class IndexRanking(Public):
    """Monthly or annual city ranking by composite index, best and worst cities."""

    kind: str
    period: str
    cities: list[CityIndex]
    best: list[CityIndex]
    worst: list[CityIndex]


class SectionClass(Public):
    """A surface-water section's class (GB 3838) in the latest assessed period."""

    section: str
    name: str
    water_name: str | None
    basin: str | None
    region_code: str
    target: str | None
    water_class: str | None
    attains: bool | None
    main_pollutants: str | None
    drinking_source: bool | None
    drinking_compliant: bool | None
    lon: float | None
    lat: float | None


class WaterSections(Public):
    """Sections and drinking-water sources of the latest assessed period."""

    period: str | None
    sections: list[SectionClass]


class EnterpriseEntry(Public):
    """A key polluter (重点排污单位) in the disclosure directory (``lon``/``lat`` WGS-84)."""

    enterprise_id: int
    uscc: str
    name: str
    industry: str
    region_code: str
    key_level: str
    permit_number: str | None
    lon: float | None
    lat: float | None


class Enterprises(Public):
    """One page of the key polluters matching a search, and how many match."""

    total: int
    page: int
    size: int
    enterprises: list[EnterpriseEntry]


class PermitEntry(Public):
    """A permit limit (排污许可限值) of one outlet and factor."""

    outlet_code: str
    outlet_name: str
    factor_code: str
    limit_value: float
    unit: str
    averaging: str
    basis: str


class OnlineFactor(Public):
    """One factor's hourly means against its hourly limit: points ``(time, value, flag)``
    (a null value breaks the line at missing hours) and exceedance periods ``(start, end)``."""

    code: str
    name_zh: str
    name_en: str
    unit: str
    field: str
    limit: float | None
    points: list[tuple[str, float | None, str | None]]
    exceedances: list[tuple[str, str]]


class OnlineChart(Public):
    """The hourly means of an outlet's factors between two instants (Beijing time)."""

    since: datetime
    until: datetime
    factors: list[OnlineFactor]


class Exceedance(Public):
    """An exceedance event (超标) of one factor: times, duration [h], peak and limit [unit]."""

    factor: str
    averaging: str
    basis: str
    start: datetime
    end: datetime
    hours: float
    peak: float
    limit: float
    unit: str
    multiple: float


class OutletOnline(Public):
    """An outlet's online monitoring (自动监测) as disclosed: no device id, no password."""

    outlet_code: str
    outlet_name: str
    medium: str
    chart: OnlineChart
    exceedances: list[Exceedance]


class CreditGrade(Public):
    """A credit evaluation (企业环境信用评价) of the enterprise."""

    grade: str
    score: float | None
    evaluated_on: date
    current: bool


class Penalty(Public):
    """An administrative penalty case (行政处罚) of the enterprise."""

    case_no: str
    title: str
    state_name: str
    fine_yuan: Decimal | None
    filed_on: date


class RectificationState(Public):
    """Where the rectification item of a finding stands (整改进展)."""

    state: str
    state_name: str
    state_name_en: str
    deadline: date
    closed_at: datetime | None


class FindingEntry(Public):
    """A problem an inspection found and the progress of its rectification (整改)."""

    description: str
    severity: str
    rectification: RectificationState | None


class InspectionEntry(Public):
    """An on-site inspection's date and findings (no inspector is named)."""

    inspected_at: str
    findings: list[FindingEntry]


class Disclosure(Public):
    """What a pollution source discloses (重点排污单位信息公开)."""

    enterprise: EnterpriseEntry
    permits: list[PermitEntry]
    online: list[OutletOnline]
    grade: str | None
    credit: list[CreditGrade]
    penalties: list[Penalty]
    inspections: list[InspectionEntry]


class DrawTask(Public):
    """An object drawn by a double-random draw (inspectors are not named)."""

    number: int
    enterprise_id: int
    category: str | None
    region: str | None
    basis: str | None


class DrawPublication(Public):
    """A double-random draw as published (双随机、一公开): the seed hash first, then the
    seed and the drawn objects, so anyone can repeat the draw."""

    id: int
    title: str
    region_code: str
    status_name: str
    seed_sha256: str | None
    hash_published_at: datetime | None
    drawn_at: datetime | None
    seed: str | None
    seed_revealed_at: datetime | None
    tasks: list[DrawTask]


class Draws(Public):
    """Published draws, newest first."""

    draws: list[DrawPublication]

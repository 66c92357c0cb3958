"""Demo data of the surface-water domain: about 300 simulated Zhejiang sections with monthly
samples, labelled as simulated (模拟数据) everywhere they are shown.

Every county of Zhejiang gets three river sections on a river of its city's basins; named lakes
and reservoirs (千岛湖, 西湖, 东钱湖, 南湖 …) get one to four points, most reservoirs being
drinking-water sources. Values follow seasons (warm-season low dissolved oxygen and high algae,
dry-season high ammonia), improve slowly year on year, and a few problem sections (urban canals,
an eutrophic lake, a reservoir with manganese from stratification) fail their targets. The
generator is seeded: the same data every time. Loading goes through the importers' service, so
loading twice changes nothing.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import Final, NamedTuple

import numpy as np
import polars as pl
from sqlalchemy import select

from ecogov.engine.water_means import beijing_local
from ecogov.monitoring.water.evaluation import default_period, evaluate
from ecogov.monitoring.water.importers import (
    OBSERVATION_SCHEMA,
    ParsedObservations,
    ParsedSections,
    SectionRow,
)
from ecogov.monitoring.water.service import import_observations, import_sections
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, region_within
from ecogov.regions.models import Region
from ecogov.standards.timebase import BEIJING

PROVINCE: Final = "330000"
FIRST_MONTH: Final = (2024, 1)
MONTHS: Final = 33  # 2024-01 … 2026-09
SOURCE: Final = "演示（模拟数据）"

# Basins and rivers of each prefecture city (code prefix → [(basin, rivers)]).
CITY_RIVERS: Final[dict[str, list[tuple[str, tuple[str, ...]]]]] = {
    "3301": [
        ("钱塘江", ("钱塘江", "富春江", "新安江", "分水江")),
        ("苕溪", ("东苕溪",)),
        ("运河", ("京杭运河",)),
    ],
    "3302": [("甬江", ("姚江", "奉化江", "甬江")), ("浙东诸河", ("白溪", "凫溪"))],
    "3303": [("瓯江", ("瓯江", "楠溪江")), ("飞云江", ("飞云江",)), ("鳌江", ("鳌江",))],
    "3304": [("运河", ("京杭运河", "长水塘", "海盐塘"))],
    "3305": [("苕溪", ("西苕溪", "东苕溪")), ("太湖", ("长兴港",)), ("运河", ("頔塘",))],
    "3306": [("曹娥江", ("曹娥江", "剡溪")), ("钱塘江", ("浦阳江",))],
    "3307": [("钱塘江", ("金华江", "东阳江", "武义江", "兰江"))],
    "3308": [("钱塘江", ("衢江", "常山港", "江山港", "马金溪"))],
    "3309": [("浙东诸河", ("定海河",))],
    "3310": [("椒江", ("椒江", "灵江", "永宁江", "始丰溪"))],
    "3311": [("瓯江", ("大溪", "小溪", "松阴溪", "龙泉溪"))],
}
COUNTY_RIVERS: Final = {
    "330105": ("运河", "京杭运河"),
    "330106": ("钱塘江", "钱塘江"),
    "330109": ("钱塘江", "浦阳江"),
    "330110": ("苕溪", "东苕溪"),
    "330111": ("钱塘江", "富春江"),
    "330112": ("苕溪", "南苕溪"),
    "330113": ("运河", "京杭运河"),
    "330122": ("钱塘江", "分水江"),
    "330127": ("钱塘江", "新安江"),
    "330182": ("钱塘江", "新安江"),
    "330502": ("苕溪", "东苕溪"),
    "330503": ("运河", "頔塘"),
    "330521": ("苕溪", "东苕溪"),
    "330522": ("太湖", "长兴港"),
    "330523": ("苕溪", "西苕溪"),
}
"""Counties whose river is set by hand; the others take their city's rivers in turn."""
SUFFIXES: Final = ("入境", "大桥", "出境")


class Lake(NamedTuple):
    """A simulated lake or reservoir: its points, target class, whether its first point is a
    drinking-water source, and how polluted it is (0 clean … 2 polluted)."""

    name: str
    county: str
    basin: str
    points: tuple[str, ...]
    target: int
    drinking: bool
    level: float


LAKES: Final = (
    Lake("千岛湖", "330127", "钱塘江", ("湖心", "小金山", "三潭岛", "街口"), 1, True, 0.2),
    Lake("西湖", "330106", "钱塘江", ("湖心", "少年宫", "小南湖"), 3, False, 1.0),
    Lake("湘湖", "330109", "钱塘江", ("湖心",), 3, False, 1.1),
    Lake("东钱湖", "330212", "甬江", ("湖心", "陶公岛"), 3, False, 1.0),
    Lake("南湖", "330402", "运河", ("湖心", "烟雨楼"), 4, False, 2.2),
    Lake("鉴湖", "330602", "曹娥江", ("湖心",), 3, False, 1.2),
    Lake("青山水库", "330112", "苕溪", ("坝前",), 2, True, 0.8),
    Lake("对河口水库", "330521", "苕溪", ("坝前",), 2, True, 0.5),
    Lake("老虎潭水库", "330502", "苕溪", ("坝前",), 2, True, 0.6),
    Lake("亭下水库", "330213", "甬江", ("坝前",), 2, True, 0.5),
    Lake("皎口水库", "330203", "甬江", ("坝前",), 2, True, 0.5),
    Lake("白溪水库", "330226", "浙东诸河", ("坝前",), 2, True, 0.4),
    Lake("珊溪水库", "330328", "飞云江", ("坝前", "库中"), 2, True, 0.5),
    Lake("泽雅水库", "330304", "瓯江", ("坝前",), 2, True, 0.5),
    Lake("汤浦水库", "330604", "曹娥江", ("坝前",), 2, True, 0.6),
    Lake("钦寸水库", "330624", "曹娥江", ("坝前",), 2, True, 0.5),
    Lake("横锦水库", "330783", "钱塘江", ("坝前",), 2, True, 0.6),
    Lake("沙畈水库", "330702", "钱塘江", ("坝前",), 2, True, 0.4),
    Lake("湖南镇水库", "330803", "钱塘江", ("坝前",), 2, True, 0.3),
    Lake("虹桥水库", "330902", "浙东诸河", ("坝前",), 3, True, 0.9),
    Lake("长潭水库", "331003", "椒江", ("坝前",), 2, True, 0.7),
    Lake("牛头山水库", "331082", "椒江", ("坝前",), 2, True, 0.6),
    Lake("紧水滩水库", "331125", "瓯江", ("坝前",), 2, True, 0.3),
)
MANGANESE_PROBLEM: Final = "白溪水库"  # summer stratification releases manganese

# Typical value of each item at a clean (0), typical (1) and polluted (2) site [GB 3838 units],
# and the decimals it is reported with.
LEVELS: Final = {
    "w01019": ((1.6, 3.0, 6.5), 1),  # CODMn
    "w21003": ((0.08, 0.3, 1.4), 3),  # NH3-N
    "w21001": ((0.9, 1.8, 3.8), 2),  # TN
    "w20122": ((0.001, 0.003, 0.008), 4),
    "w20123": ((0.005, 0.01, 0.03), 3),
    "w21017": ((0.15, 0.25, 0.45), 2),
    "w20128": ((0.0003, 0.0005, 0.0008), 5),
    "w20141": ((0.0008, 0.0015, 0.003), 4),
    "w20111": ((0.00001, 0.00002, 0.00004), 6),
    "w20115": ((0.00005, 0.0001, 0.0003), 5),
    "w20117": ((0.002, 0.004, 0.008), 3),
    "w20120": ((0.0005, 0.001, 0.003), 4),
    "w21016": ((0.001, 0.002, 0.004), 3),
    "w23002": ((0.0003, 0.0006, 0.0015), 4),
    "w22001": ((0.01, 0.02, 0.06), 2),
    "w19002": ((0.02, 0.04, 0.09), 2),
    "w21019": ((0.005, 0.01, 0.03), 3),
    "w02003": ((200.0, 1800.0, 16000.0), 0),
}
TP_LEVELS: Final = {"river": (0.03, 0.1, 0.3), "lake": (0.012, 0.035, 0.13)}
SUPPLEMENTARY: Final = {
    "w21038": (14.0, 1),
    "w21022": (9.0, 1),
    "w21007": (0.9, 2),
    "w20125": (0.07, 3),
    "w20124": (0.03, 3),
}


@dataclass(frozen=True)
class DemoSection:
    """A simulated section and how polluted it is (0 clean … 2 polluted)."""

    row: SectionRow
    level: float


def _short(name: str) -> str:
    """County name without its 区/县/市 ending: 桐庐县 → 桐庐."""
    return name[:-1] if len(name) > 2 and name[-1] in "区县市" else name


def _jitter(code: str, spread: float) -> tuple[float, float]:
    rng = np.random.default_rng(zlib.crc32(code.encode()))
    dx, dy = rng.uniform(-spread, spread, 2)
    return float(dx), float(dy)


def _river_sections(counties: list[Region]) -> list[DemoSection]:
    sections: list[DemoSection] = []
    for index, county in enumerate(counties):
        basins = CITY_RIVERS.get(county.code[:4])
        if basins is None or county.center_lon is None or county.center_lat is None:
            continue
        basin, rivers = basins[index % len(basins)]
        basin, river = COUNTY_RIVERS.get(county.code, (basin, rivers[index % len(rivers)]))
        plain = county.code[:4] in {"3304", "3305"} or basin == "运河"
        mountain = county.code[:4] in {"3308", "3311"} or county.code in {"330127", "330824"}
        for number, suffix in enumerate(SUFFIXES, start=1):
            code = f"ZJ{county.code}{number:02d}"
            dx, dy = _jitter(code, 0.06)
            level = 0.35 if mountain else 1.4 if plain else 0.9
            level += (number - 2) * 0.15 + dx * 2
            if basin == "运河" and number == 3 and county.code[:4] in {"3301", "3304"}:
                level = 2.3  # urban canal outlets: the problem sections
            target = 2 if mountain else 4 if basin == "运河" and plain else 3
            sections.append(
                DemoSection(
                    SectionRow(
                        row=len(sections) + 2,
                        code=code,
                        name=f"{river}{_short(county.name)}{suffix}",
                        water_name=river,
                        water_body="river",
                        basin=basin,
                        region_code=county.code,
                        target_class=target,
                        control_level=("national", "provincial", "municipal")[number - 1],
                        drinking_source=False,
                        lon=round(county.center_lon + dx, 4),
                        lat=round(county.center_lat + dy, 4),
                    ),
                    level,
                )
            )
    return sections


def _lake_sections(counties: dict[str, Region], first_row: int) -> list[DemoSection]:
    sections: list[DemoSection] = []
    for lake in LAKES:
        county = counties.get(lake.county)
        if county is None or county.center_lon is None or county.center_lat is None:
            continue
        for number, point in enumerate(lake.points, start=1):
            code = f"ZJL{lake.county}{zlib.crc32(lake.name.encode()) % 100:02d}{number}"
            dx, dy = _jitter(code, 0.04)
            sections.append(
                DemoSection(
                    SectionRow(
                        row=first_row + len(sections),
                        code=code,
                        name=f"{lake.name}{point}",
                        water_name=lake.name,
                        water_body="lake",
                        basin=lake.basin,
                        region_code=lake.county,
                        target_class=lake.target,
                        control_level="national" if number == 1 else "provincial",
                        drinking_source=lake.drinking and number == 1,
                        lon=round(county.center_lon + dx, 4),
                        lat=round(county.center_lat + dy, 4),
                    ),
                    lake.level,
                )
            )
    return sections


def demo_sections(db: Database) -> list[DemoSection]:
    """The simulated sections on the counties of the loaded region registry."""
    with db.transaction(SYSTEM) as session:
        counties = [
            region
            for region in session.scalars(
                select(Region).where(Region.level == "county").order_by(Region.code)
            )
            if region_within(region.code, PROVINCE)
        ]
    rivers = _river_sections(counties)
    return rivers + _lake_sections({c.code: c for c in counties}, len(rivers) + 2)


def _times() -> list[datetime]:
    year, month = FIRST_MONTH
    return [
        datetime(year + (month - 1 + i) // 12, (month - 1 + i) % 12 + 1, 10, 9, tzinfo=BEIJING)
        for i in range(MONTHS)
    ]


def _section_values(section: DemoSection, months: np.ndarray) -> dict[str, np.ndarray]:
    """Monthly values of every item at one section [GB 3838 units], unrounded."""
    row = section.row
    rng = np.random.default_rng(zlib.crc32(row.code.encode()) + 7)
    season = np.sin(2 * np.pi * (months % 12 - 3.5) / 12)  # +1 in July, −1 in January
    dry = np.isin(months % 12, (11, 0, 1)).astype(float)  # Dec–Feb
    trend = 0.97 ** (months / 12)
    q = float(np.clip(section.level, 0, 2.6))

    def level(values: tuple[float, float, float]) -> float:
        return float(np.interp(q, (0, 1, 2), values) * (1 + max(q - 2, 0)))

    def noisy(base: float | np.ndarray, spread: float = 0.25) -> np.ndarray:
        return np.asarray(base) * rng.lognormal(0, spread, months.size)

    lake = row.water_body == "lake"
    temperature = 18 + 10 * season + rng.normal(0, 1.2, months.size)
    saturation = 14.6 - 0.39 * temperature + 0.007 * temperature**2
    values = {
        "w01010": temperature,
        "w01001": 7.4 + (0.5 * season * lake) + rng.normal(0, 0.2, months.size),
        "w01009": saturation * (0.97 - 0.16 * q) * rng.lognormal(0, 0.05, months.size),
        "w21011": noisy(
            level(TP_LEVELS[row.water_body]) * trend * (1 + 0.25 * (season if lake else dry))
        ),
    }
    for code, (levels, _) in LEVELS.items():
        seasonal = 1 + 0.5 * dry - 0.2 * season if code == "w21003" else 1 + 0.1 * season
        if code == "w02003":
            seasonal = 1 + 0.8 * (season + 1)
        values[code] = noisy(level(levels) * trend * seasonal)
    values["w01018"] = values["w01019"] * 3.2 * rng.lognormal(0, 0.1, months.size)
    values["w01017"] = values["w01019"] * 0.45 * rng.lognormal(0, 0.15, months.size)
    if lake:
        values["chla"] = noisy(level((2.5, 9.0, 40.0)) * (1 + 0.8 * (season + 1) / 2))
        values["sd"] = noisy(level((3.2, 1.3, 0.45)) / (1 + 0.3 * (season + 1) / 2), 0.15)
    if row.drinking_source:
        for code, (base, _) in SUPPLEMENTARY.items():
            values[code] = noisy(base)
        if row.name.startswith(MANGANESE_PROBLEM):
            values["w20124"] = values["w20124"] * (1 + 4 * np.clip(season, 0, None))
    return values


def _decimals(code: str) -> int:
    fixed = {
        "w01010": 1,
        "w01001": 2,
        "w01009": 2,
        "w01018": 0,
        "w01017": 1,
        "w21011": 3,
        "chla": 1,
        "sd": 2,
    }
    if code in fixed:
        return fixed[code]
    return LEVELS[code][1] if code in LEVELS else SUPPLEMENTARY[code][1]


def _rounded(code: str, series: np.ndarray) -> np.ndarray:
    """Values as reported: rounded to the item's decimals, never below its last digit."""
    digits = _decimals(code)
    rounded: np.ndarray = np.round(np.maximum(series, 10.0**-digits), digits)
    return rounded


def demo_observations(sections: list[DemoSection]) -> pl.DataFrame:
    """Monthly samples of every section, in :data:`OBSERVATION_SCHEMA` (rounded as reported)."""
    months = np.arange(MONTHS, dtype=float)
    series = [
        (section.row.code, code, _rounded(code, values))
        for section in sections
        for code, values in _section_values(section, months).items()
    ]
    samples = pl.DataFrame(
        {
            "section": np.repeat([code for code, _, _ in series], MONTHS),
            "time": pl.Series(_times(), dtype=pl.Datetime("us", "UTC")).gather(
                np.tile(np.arange(MONTHS), len(series))
            ),
            "parameter": np.repeat([item for _, item, _ in series], MONTHS),
            "value": np.concatenate([values for _, _, values in series]),
        }
    )
    return samples.select(
        file=pl.lit(SOURCE),
        row=pl.lit(0),
        column=pl.lit("value"),
        section="section",
        time="time",
        time_text=beijing_local(pl.col("time")).dt.strftime("%Y-%m-%d %H:%M"),
        parameter="parameter",
        parameter_text="parameter",
        value="value",
        flag=pl.lit(None),
        below_detection=pl.lit(False),
    ).cast(OBSERVATION_SCHEMA)


def load(db: Database) -> list[str]:
    """Load the simulated sections and their samples (idempotent)."""
    sections = demo_sections(db)
    registry = ParsedSections(SOURCE, tuple(s.row for s in sections), (), len(sections))
    import_sections(db, SYSTEM, [registry], simulated=True)
    frame = demo_observations(sections)
    report = import_observations(
        db, SYSTEM, [ParsedObservations(SOURCE, frame, (), frame.height)], kind="demo"
    )
    return [
        f"  surface water: {len(sections)} simulated sections, {frame.height} monthly values "
        f"({report.inserted} new) — labelled 模拟数据",
        publish_demo_alerts(db),
    ]


def publish_demo_alerts(db: Database) -> str:
    """Evaluate the newest complete year by section, so the sections below their target class
    are in the alerts inbox on first look."""
    period = default_period(db, SYSTEM)
    if period is None:
        return "  water alerts: no data"
    rows = evaluate(db, SYSTEM, period, "section", with_previous=False)
    below = rows.filter(rows["attains"].not_()).height
    return f"  water alerts: {below} sections below their target class in {period.label}"

"""Every public table as JSON or CSV, through the one export mechanism.

The CSV holds the rows of the table's list field with the columns its schema declares, headed
in Chinese (:data:`HEADERS`), written by :func:`ecogov.platform.exports.download_spec` (cells
neutralised, UTF-8 with a BOM).
"""

from __future__ import annotations

from typing import Any, Final, Literal

import polars as pl
from fastapi import Request, Response

from ecogov.platform.exports import Column, download_spec
from ecogov.portal.responses import cache_headers, json_answer
from ecogov.portal.service import Published

Format = Literal["json", "csv"]

TABLE_RESPONSES: Final[dict[int | str, dict[str, Any]]] = {
    200: {
        "description": "JSON，或 format=csv 时的 CSV 文件 / JSON, or a CSV file with format=csv",
        "content": {"text/csv": {}},
    }
}
"""OpenAPI documentation of a public table route: its JSON schema plus the CSV download."""

HEADERS: Final[dict[str, str]] = {
    "rank": "排名",
    "city": "行政区划代码",
    "name": "名称",
    "aqi": "AQI",
    "level": "级别",
    "category": "空气质量类别",
    "colour": "颜色",
    "primary": "首要污染物",
    "pm25": "PM2.5(µg/m³)",
    "pm10": "PM10(µg/m³)",
    "so2": "SO2(µg/m³)",
    "no2": "NO2(µg/m³)",
    "co": "CO(mg/m³)",
    "o3": "O3(µg/m³)",
    "stations_reporting": "报送站点数",
    "stations_expected": "应报站点数",
    "composite_index": "综合指数",
    "good_day_ratio": "优良天数比例(%)",
    "pm25_mean": "PM2.5均值(µg/m³)",
    "pm10_mean": "PM10均值(µg/m³)",
    "so2_mean": "SO2均值(µg/m³)",
    "no2_mean": "NO2均值(µg/m³)",
    "co_p95": "CO第95百分位(mg/m³)",
    "o3_8h_p90": "O3日最大8小时第90百分位(µg/m³)",
    "change_rate": "变化率(%)",
    "attained": "是否达标",
    "section": "断面编码",
    "water_name": "河流湖库",
    "basin": "流域",
    "region_code": "行政区划代码",
    "target": "目标类别",
    "water_class": "水质类别",
    "attains": "是否达到目标",
    "main_pollutants": "主要污染指标",
    "drinking_source": "饮用水水源地",
    "drinking_compliant": "水源地是否达标",
    "lon": "经度",
    "lat": "纬度",
    "enterprise_id": "企业编号",
    "uscc": "统一社会信用代码",
    "industry": "行业",
    "key_level": "重点排污单位级别",
    "permit_number": "排污许可证编号",
    "id": "编号",
    "title": "标题",
    "region": "行政区划代码",
    "status_name": "状态",
    "seed_sha256": "种子摘要(SHA-256)",
    "hash_published_at": "摘要公布时间",
    "drawn_at": "抽取时间",
    "seed": "种子",
    "seed_revealed_at": "种子公布时间",
    "tasks": "抽中对象数",
}
"""Chinese column headers of the public tables, by schema field."""


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return len(value) if value and isinstance(value[0], dict) else "、".join(map(str, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def table_answer(
    request: Request, published: Published, field: str, fmt: Format, name: str
) -> Response:
    """The published record as JSON, or its ``field`` table as ``name.csv``."""
    if fmt == "json":
        return json_answer(request, published)
    rows: list[dict[str, Any]] = published.record.model_dump(mode="json")[field]
    item = type(published.record).model_fields[field].annotation  # list[<row model>]
    columns = list(item.__args__[0].model_fields) if item is not None else []
    frame = pl.DataFrame(
        [{column: _cell(row.get(column)) for column in columns} for row in rows],
        infer_schema_length=None,
    )
    spec = [Column(column, HEADERS.get(column, column)) for column in columns]
    response = download_spec(frame, spec, "csv", name)
    response.headers.update(cache_headers(published.etag, [published]))
    return response

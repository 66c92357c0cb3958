"""Build the data files of the national hazardous-waste list from its extracted text.

    PYTHONPATH=src python tools/waste_list_build.py 2021

reads ``src/ecogov/standards/waste/data/hw_list_<year>_table.txt`` and
``hw_list_<year>_exemptions.txt`` (written by ``tools/waste_list_extract.py``), parses them with
the package's own readers (``catalogue.parse_table_text``, ``exemptions.parse_exemption_text``)
and writes ``hw_list_<year>.json`` and ``hw_list_<year>_exemptions.json``. The legal data of an
edition (title, order, date in force, source) is in :data:`EDITIONS`: to add an edition, extract
its text, add its row here, run this script.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Final

from ecogov.standards.waste.catalogue import parse_table_text
from ecogov.standards.waste.exemptions import parse_exemption_text

DATA: Final = Path(__file__).resolve().parent.parent / "src/ecogov/standards/waste/data"

EDITIONS: Final[dict[str, dict[str, str]]] = {
    "2021": {
        "title": "国家危险废物名录（2021年版）",
        "order": "生态环境部 国家发展和改革委员会 公安部 交通运输部 国家卫生健康委员会令第15号",
        "effective": "2021-01-01",
        "source": (
            "ML21: official text https://www.mee.gov.cn/xxgk2018/xxgk/xxgk02/202011/"
            "t20201127_810202.html; PDF read from github.com/Fungwingwaa/cee@"
            "22aa4af5cfe21916fbedfb1ef865a72bef1625a6 "
            "docs/.vuepress/public/static/pdf/P7/gjwxfwml.pdf "
            "(附表 on PDF pages 3-25, 附录 on PDF pages 26-33)"
        ),
    },
}
"""Legal data of each edition (名录 Art. 8: in force 2021-01-01)."""


def _write(path: Path, document: dict[str, Any]) -> None:
    text = json.dumps(document, ensure_ascii=False, indent=1)
    path.write_text(text + "\n", "utf-8")


def build(year: str) -> None:
    """Write the two JSON files of edition ``year`` from its two text files."""
    meta = EDITIONS[year]
    rows = parse_table_text((DATA / f"hw_list_{year}_table.txt").read_text("utf-8"), year)
    categories: dict[int, str] = {}
    for row in rows:
        categories.setdefault(row.category.number, row.category.name)
    _write(
        DATA / f"hw_list_{year}.json",
        {
            "edition": year,
            **meta,
            "categories": [[number, name] for number, name in categories.items()],
            "entries": [
                {
                    "code": row.code,
                    "industry": row.industry,
                    "description": row.description,
                    "characteristics": row.characteristics.printed,
                    "page": row.page,
                }
                for row in rows
            ],
        },
    )
    text = (DATA / f"hw_list_{year}_exemptions.txt").read_text("utf-8")
    _write(
        DATA / f"hw_list_{year}_exemptions.json",
        {
            "edition": year,
            "source": meta["source"],
            "exemptions": [
                {
                    "number": row.number,
                    "listed_as": row.listed_as,
                    "codes": list(row.codes),
                    "categories": list(row.categories),
                    "waste": row.waste,
                    "stages": sorted(stage.value for stage in row.stages),
                    "condition": row.condition,
                    "content": row.content,
                    "page": row.page,
                }
                for row in parse_exemption_text(text, year)
            ],
        },
    )


if __name__ == "__main__":
    build(sys.argv[1])

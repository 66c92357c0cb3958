"""Benchmark: the index layout of the monthly-partitioned HJ 212 store on PostgreSQL.

Generates, in a schema ``bench_partitions`` of its own (dropped afterwards), 30 days of data
across a month boundary (16 November to 15 December 2026, Beijing time): hourly (2061) uploads
of 300 devices and, as a sample of minute data, ten-minute (2051) uploads of 50 of them, each
with a CP area of typical length — 432,000 rows. The same rows go into an ordinary table with
the key (mn, cn, data_time) (the store before hj212_0005) and into a table range-partitioned by
month with the same key; then layouts of extra indexes are tried on the partitioned one.

The queries are the store's: a device's hourly means of a week (export, judgement), a device's
newest hour (device page), the devices with hourly data in a day (``ecogov hj212 alerts``), and a
whole month (archiving). Each is timed with ``EXPLAIN (ANALYZE, BUFFERS)`` (median of 15 runs,
warm cache), printed with its plan's top node and the pages it read.

Database: ``ECOGOV_BENCH_POSTGRES_URL`` or ``postgresql://postgres@127.0.0.1:5432/test_scale20``.
Prints ``RESULT name=hj212_partition_week_ms …`` (the week of one device, partitioned, against
the ordinary table).
"""

from __future__ import annotations

import os
import re
import statistics
from datetime import datetime
from zoneinfo import ZoneInfo

import psycopg

URL = os.environ.get(
    "ECOGOV_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test_scale20"
)
BEIJING = ZoneInfo("Asia/Shanghai")
START = int(datetime(2026, 11, 16, tzinfo=BEIJING).timestamp())
DAYS = 30
NOVEMBER = int(datetime(2026, 11, 1, tzinfo=BEIJING).timestamp())
DECEMBER = int(datetime(2026, 12, 1, tzinfo=BEIJING).timestamp())
JANUARY = int(datetime(2027, 1, 1, tzinfo=BEIJING).timestamp())
RUNS = 15
CP = (
    "DataTime=20261120100000;w01018-Avg=41.2,w01018-Min=39.8,w01018-Max=43.1,w01018-ZsAvg=45.0,"
    "w01018-Flag=N;w21003-Avg=2.51,w21003-Min=2.40,w21003-Max=2.66,w21003-Flag=N;"
    "w00000-Avg=12.3,w00000-Cou=44.3,w00000-Flag=N"
)
COLUMNS = """
    mn VARCHAR(24) NOT NULL, cn VARCHAR(4) NOT NULL, data_time BIGINT NOT NULL,
    st VARCHAR(2) NOT NULL, qn VARCHAR(20), cp TEXT NOT NULL, received_at BIGINT NOT NULL,
    revisions INTEGER NOT NULL, PRIMARY KEY (mn, cn, data_time)
"""
DEVICE = "330106000000000000000042"
WEEK = (START + 10 * 86400, START + 17 * 86400)  # 26 November to 3 December: both months
DAY = (START + 20 * 86400, START + 21 * 86400)
QUERIES = {
    "device week (2061)": (
        "SELECT data_time, cp FROM {t} WHERE mn = %s AND cn = '2061' "
        "AND data_time >= %s AND data_time < %s",
        (DEVICE, *WEEK),
    ),
    "device newest hour": (
        "SELECT max(data_time) FROM {t} WHERE mn = %s AND cn = '2061'",
        (DEVICE,),
    ),
    "devices with hours in a day": (
        "SELECT DISTINCT mn FROM {t} WHERE cn = '2061' AND data_time >= %s AND data_time < %s",
        DAY,
    ),
    "whole month (archive)": (
        "SELECT * FROM {t} WHERE data_time >= %s AND data_time < %s",
        (NOVEMBER, DECEMBER),
    ),
}
LAYOUTS = {
    "key only": [],
    "key + BRIN(data_time)": [
        "CREATE INDEX bench_brin ON bench_partitions.parted USING brin (data_time) "
        "WITH (autosummarize = on)"
    ],
    "key + btree(cn, data_time)": [
        "CREATE INDEX bench_cn_time ON bench_partitions.parted (cn, data_time)"
    ],
}


def generate(connection: psycopg.Connection) -> None:
    connection.execute("DROP SCHEMA IF EXISTS bench_partitions CASCADE")
    connection.execute("CREATE SCHEMA bench_partitions")
    connection.execute(f"CREATE TABLE bench_partitions.plain ({COLUMNS})")
    connection.execute(
        f"CREATE TABLE bench_partitions.parted ({COLUMNS}) PARTITION BY RANGE (data_time)"
    )
    for name, lower, upper in (("p202611", NOVEMBER, DECEMBER), ("p202612", DECEMBER, JANUARY)):
        connection.execute(
            f"CREATE TABLE bench_partitions.{name} PARTITION OF bench_partitions.parted "
            f"FOR VALUES FROM ({lower}) TO ({upper})"
        )
    connection.execute(
        "CREATE TABLE bench_partitions.parted_default PARTITION OF bench_partitions.parted DEFAULT"
    )
    # In arrival order (time, then device), as the receiver writes
    rows = f"""
        SELECT '330106' || lpad(device::text, 18, '0'), cn, t, '32', NULL, %s,
               t::bigint * 1000 + 5000, 0
        FROM (
            SELECT generate_series({START}, {START + DAYS * 86400 - 1}, 3600) AS t, '2061' AS cn
            UNION ALL
            SELECT generate_series({START}, {START + DAYS * 86400 - 1}, 600), '2051'
        ) AS times
        CROSS JOIN generate_series(1, 300) AS device
        WHERE cn = '2061' OR device <= 50
        ORDER BY t, device
    """
    for table in ("plain", "parted"):
        connection.execute(f"INSERT INTO bench_partitions.{table} {rows}", (CP,))
    connection.execute("VACUUM ANALYZE bench_partitions.plain")
    connection.execute("VACUUM ANALYZE bench_partitions.parted")
    connection.execute("ANALYZE bench_partitions.p202611")
    connection.execute("ANALYZE bench_partitions.p202612")


def measure(connection: psycopg.Connection, table: str) -> dict[str, float]:
    found: dict[str, float] = {}
    for name, (sql, params) in QUERIES.items():
        times: list[float] = []
        plan: list[str] = []
        for _ in range(RUNS):
            plan = [
                row[0]
                for row in connection.execute(
                    "EXPLAIN (ANALYZE, BUFFERS) " + sql.format(t=f"bench_partitions.{table}"),
                    params,
                )
            ]
            times.append(float(re.search(r"Execution Time: ([\d.]+)", plan[-1])[1]))  # type: ignore[index]
        nodes = [line.strip().lstrip("-> ").split("  ")[0] for line in plan if "->" in line]
        buffers = next((line.strip() for line in plan if "Buffers" in line), "")
        found[name] = statistics.median(times)
        print(f"  {name:30s} {found[name]:9.3f} ms  {buffers:32s} {' / '.join(nodes[:3])}")
    return found


def main() -> None:
    with psycopg.connect(URL, autocommit=True) as connection:
        generate(connection)
        count = connection.execute("SELECT count(*) FROM bench_partitions.parted").fetchone()
        print(f"rows: {count[0] if count else 0:,}")
        print("ordinary table, key (mn, cn, data_time)")
        plain = measure(connection, "plain")
        results = {}
        for layout, statements in LAYOUTS.items():
            for statement in statements:
                connection.execute(statement)
            connection.execute("ANALYZE bench_partitions.parted")
            extra = connection.execute(
                "SELECT coalesce(sum(pg_relation_size(indexrelid)), 0) FROM pg_index "
                "JOIN pg_class ON pg_class.oid = indrelid "
                "WHERE relname IN ('p202611', 'p202612') AND NOT indisprimary"
            ).fetchone()
            size = int(extra[0]) if extra else 0
            print(f"partitioned by month, {layout} (extra index {size / 1024:,.0f} KiB)")
            results[layout] = measure(connection, "parted")
            connection.execute("DROP INDEX IF EXISTS bench_partitions.bench_brin")
            connection.execute("DROP INDEX IF EXISTS bench_partitions.bench_cn_time")
        sizes = connection.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('bench_partitions.plain')), "
            "pg_size_pretty(pg_indexes_size('bench_partitions.plain'))"
        ).fetchone()
        total, indexes = sizes if sizes else ("", "")
        print(f"ordinary table total {total}, indexes {indexes}")
        connection.execute("DROP SCHEMA bench_partitions CASCADE")
    week, baseline = results["key only"]["device week (2061)"], plain["device week (2061)"]
    print(
        f"RESULT name=hj212_partition_week_ms value={week:.3f} unit=ms "
        f"baseline=ordinary_table ratio={baseline / week:.2f}"
    )


if __name__ == "__main__":
    main()

"""The batch domain's messages (zh-CN, English)."""

from __future__ import annotations

from typing import Final

from ecogov.platform.i18n import Catalogue

MESSAGES: Final[Catalogue] = {
    "batch.error.job": (
        "没有批处理作业“{job}”，可用：{known}",
        "no batch job {job!r}; known: {known}",
    ),
    "batch.error.backend": (
        "没有计算后端“{backend}”，可用：{known}",
        "no backend {backend!r}; known: {known}",
    ),
    "batch.error.input_dir": (
        "输入目录 {path} 不存在或不是目录",
        "input folder {path} does not exist or is not a folder",
    ),
    "batch.error.table": (
        "输入目录 {path} 中缺少表 {table}"
        "（应为 {table}.parquet、{table}/*.parquet 或 {table}.csv）",
        "input folder {path} has no table {table} ({table}.parquet, {table}/*.parquet or "
        "{table}.csv)",
    ),
    "batch.error.columns": (
        "{file} 缺少列：{missing}",
        "{file} lacks the column(s): {missing}",
    ),
    "batch.error.unreadable": (
        "无法读取 {file}：{reason}",
        "cannot read {file}: {reason}",
    ),
    "batch.error.window": (
        '{file} 应为 JSON 对象 {{"since": "YYYY-MM-DDTHH:MM+08:00", "until": …}}，'
        "且 until 晚于 since",
        '{file} must be a JSON object {{"since": "YYYY-MM-DDTHH:MM+08:00", "until": …}} '
        "with until after since",
    ),
    "batch.error.indicators": (
        "信用证据中有评价规则没有的指标或否决项：{unknown}",
        "the credit evidence names indicator(s) the method does not know: {unknown}",
    ),
    "batch.error.no_spark": (
        "Spark 后端需要 PySpark 和 Java：pip install 'ecogov[spark]'，并安装 JRE（{reason}）",
        "the Spark backend needs PySpark and Java: pip install 'ecogov[spark]' and a JRE "
        "({reason})",
    ),
    "batch.error.spark": ("作业在 Spark 上失败：{reason}", "the job failed on Spark: {reason}"),
    "batch.done": (
        "作业 {job}（{backend}）完成：{outputs}；清单 {manifest}",
        "job {job} ({backend}) done: {outputs}; manifest {manifest}",
    ),
}

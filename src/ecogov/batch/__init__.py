"""Batch jobs on a chosen backend (批处理): the engine's yearly and national jobs — air year,
water evaluation, HJ 212 judgement and data quality, waste checks, credit — run by one entry
point, ``ecogov engine run JOB --backend polars|spark``, with the Spark backend calling the same
engine functions inside each partition (issue Wave 2 · 7 of 7, item 3; docs/batch.md)."""

from __future__ import annotations

from ecogov.batch import cli
from ecogov.batch.messages import MESSAGES
from ecogov.platform.plugins import Domain

domain = Domain(name="batch", cli_name="engine", cli=cli.app, messages=MESSAGES)

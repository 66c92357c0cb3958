"""Excel and CSV layouts of the waste lists (the bureaus' column names, in their order), through
the platform's one export path (:mod:`ecogov.platform.exports`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields, is_dataclass
from datetime import datetime
from typing import Any, Final

import polars as pl

from ecogov.platform.clock import beijing_time
from ecogov.platform.exports import Column, ColumnSpec, labelled, yes_no
from ecogov.waste.messages import MESSAGES
from ecogov.waste.models import MANIFEST_STATES

STATE: Final = labelled({s: MESSAGES[f"waste.state.{s}"][0] for s in MANIFEST_STATES})
KIND: Final = labelled(
    {
        "generator": "产废单位",
        "carrier": "运输单位",
        "receiver": "接收单位",
        "collector": "收集单位",
    }
)
CLASS: Final = labelled({"key": "重点监管", "simplified": "简化管理", "registration": "登记管理"})
STAGE: Final = labelled(
    {
        "generated": "产生", "stored_in": "入库", "stored_out": "出库", "utilised": "自行利用",
        "disposed": "自行处置", "handed_over": "委外转移",
    }
)  # fmt: skip
MONEY_KIND: Final = labelled({"contract": "合同", "invoice": "发票", "payment": "付款"})
MISMATCH: Final = labelled(
    {
        "payment_without_goods": "有付款无货物",
        "goods_without_payment": "有货物无付款",
        "quantity_mismatch": "付款数量与接收量不符",
        "period_quantity_mismatch": "期间付款数量与转移量不符",
    }
)


def _time(value: datetime) -> str:
    return beijing_time(value, "%Y-%m-%d %H:%M")


PARTIES: Final[ColumnSpec] = (
    Column("party_code", "单位编码"),
    Column("name", "单位名称"),
    Column("uscc", "统一社会信用代码"),
    Column("region_code", "行政区划代码"),
    Column("kind", "单位类型", KIND),
    Column("management_class", "管理类别（HJ 1259）", CLASS),
    Column("small_generator", "小微产废单位", yes_no),
    Column("collection_cycle_days", "收运周期（天）"),
    Column("transport_licence_no", "道路运输许可证号"),
)
MANIFESTS: Final[ColumnSpec] = (
    Column("manifest_no", "联单编号"),
    Column("version", "版本"),
    Column("status", "状态", STATE),
    Column("waste_code", "废物代码"),
    Column("shipped_t", "转移量（吨）"),
    Column("received_t", "接收量（吨）"),
    Column("region_code", "移出地区划"),
    Column("destination_region_code", "接受地区划"),
    Column("approval_no", "跨省转移审批文号"),
    Column("created_at", "创建时间", _time),
    Column("picked_up_at", "提货时间", _time),
    Column("delivered_at", "送达时间", _time),
    Column("accepted_at", "接收时间", _time),
    Column("confirmed_at", "确认时间", _time),
    Column("confirm_due", "确认期限"),
    Column("discrepancy_note", "差异说明"),
)
LEDGER: Final[ColumnSpec] = (
    Column("entry_code", "台账编号"),
    Column("day", "日期"),
    Column("waste_code", "废物代码"),
    Column("stage", "环节", STAGE),
    Column("quantity_t", "数量（吨）"),
    Column("entered_amount", "填报数量"),
    Column("entered_unit", "填报单位"),
    Column("batch", "批次编码"),
    Column("manifest_no", "联单编号"),
)
PLANS: Final[ColumnSpec] = (
    Column("year", "年度"),
    Column("party_id", "产废单位"),
    Column("waste_code", "废物代码"),
    Column("planned_t", "计划产生量（吨）"),
    Column("receiver_id", "拟接收单位"),
)
MONEY: Final[ColumnSpec] = (
    Column("doc_code", "单据编号"),
    Column("kind", "单据类型", MONEY_KIND),
    Column("day", "日期"),
    Column("payer_id", "付款单位"),
    Column("payee_id", "收款单位"),
    Column("manifest_no", "联单编号"),
    Column("amount_yuan", "金额（元）"),
    Column("quantity_t", "数量（吨）"),
    Column("waste_code", "废物代码"),
)
MISMATCHES: Final[ColumnSpec] = (
    Column("kind", "问题", MISMATCH),
    Column("manifest_no", "联单编号"),
    Column("payer_id", "付款单位"),
    Column("payee_id", "收款单位"),
    Column("waste_code", "废物代码"),
    Column("goods_t", "货物量（吨）"),
    Column("paid_t", "付款数量（吨）"),
    Column("amount_yuan", "金额（元）"),
)


def frame(views: Sequence[Any], spec: ColumnSpec) -> pl.DataFrame:
    """The ``spec`` columns of ``views`` (dataclass instances) as a frame, values as they are."""
    names = [column.name for column in spec]
    for view in views[:1]:
        assert is_dataclass(view)
        known = {f.name for f in fields(view)}
        missing = [n for n in names if n not in known]
        if missing:
            raise KeyError(f"export columns missing from the views: {missing}")
    data = {name: [getattr(view, name) for view in views] for name in names}
    return pl.DataFrame(data, schema=dict.fromkeys(names, pl.Object))

"""The waste domain's messages (zh-CN, English)."""

from __future__ import annotations

from typing import Final

from ecogov.platform.i18n import Catalogue

MESSAGES: Final[Catalogue] = {
    "nav.waste": ("固废危废", "Waste"),
    "audit.entity.waste_party": ("固废危废单位", "Waste party"),
    "audit.entity.waste_facility": ("贮存利用处置设施", "Waste facility"),
    "audit.entity.waste_licence": ("许可证", "Licence"),
    "audit.entity.waste_plan": ("危废管理计划", "Waste management plan"),
    "audit.entity.waste_ledger_entry": ("危废台账", "Waste ledger entry"),
    "audit.entity.waste_transfer_approval": ("跨省转移审批", "Cross-province approval"),
    "audit.entity.waste_manifest": ("电子转移联单", "Transfer manifest"),
    "audit.entity.waste_manifest_version": ("联单版本", "Manifest version"),
    "audit.entity.waste_manifest_event": ("联单流转记录", "Manifest event"),
    "audit.entity.waste_money_document": ("合同发票付款", "Money document"),
}

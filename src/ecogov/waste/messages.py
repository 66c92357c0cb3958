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
    "audit.entity.waste_track_point": ("运输轨迹点", "Track point"),
    "audit.entity.waste_manifest_serial": ("联单流水号", "Manifest serial"),
    "waste.error.kind": (
        "--kind 须为 {kinds} 之一，而不是“{kind}”",
        "--kind must be one of {kinds}, not {kind!r}",
    ),
    "waste.version.created": ("新建联单", "created"),
    "waste.version.imported": ("导入联单", "imported"),
    "waste.subject.manifest": ("危险废物电子转移联单", "Transfer manifest"),
    "waste.state.draft": ("草稿", "Draft"),
    "waste.state.signed_out": ("已出库签字", "Signed out"),
    "waste.state.in_transit": ("运输中", "In transit"),
    "waste.state.delivered": ("已送达", "Delivered"),
    "waste.state.received": ("已接收", "Received"),
    "waste.state.received_discrepancy": ("有差异接收", "Received with discrepancy"),
    "waste.state.rejected": ("拒收", "Rejected"),
    "waste.state.closed": ("已确认办结", "Closed"),
    "waste.state.under_correction": ("更正中", "Under correction"),
    "waste.state.corrected": ("已更正", "Corrected"),
    "waste.state.cancelled": ("已作废", "Cancelled"),
    "waste.move.sign_out": ("移出单位签字出库", "Sign out"),
    "waste.move.cancel": ("作废", "Cancel"),
    "waste.move.pick_up": ("承运签字提货", "Pick up"),
    "waste.move.deliver": ("运抵交付", "Deliver"),
    "waste.move.receive": ("过磅接收", "Receive"),
    "waste.move.receive_with_discrepancy": ("有差异接收", "Receive with discrepancy"),
    "waste.move.reject": ("拒收", "Reject"),
    "waste.move.close": ("确认接收办结", "Confirm and close"),
    "waste.move.request_correction": ("申请更正", "Request correction"),
    "waste.move.correct": ("提交更正", "Submit correction"),
    "waste.discrepancy.quantity": ("数量差异", "Quantity"),
    "waste.discrepancy.code": ("代码（类别）差异", "Waste code"),
    "waste.discrepancy.packaging": ("包装差异", "Packaging"),
}

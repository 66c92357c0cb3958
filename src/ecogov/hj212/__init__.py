"""HJ 212 domain (在线监控数据): the receiver of online-monitoring data loggers, its store of
real-time, minute, hourly and daily data, the raw archive and rejects ledger, reverse
commands, a data-logger simulator, and the judgement of the data against permit limits
(exceedance events) and data-quality rules (fraud screening)."""

from __future__ import annotations

from pathlib import Path

from ecogov.hj212 import api, cli, commands, demo, livefeed, pages
from ecogov.hj212.access import COMMANDS, DISCLOSURE, RECEIVER, REJECTS, STORE
from ecogov.hj212.alerts import KINDS
from ecogov.platform.plugins import Domain, NavItem
from ecogov.standards.hj212.errors import VIOLATION_TEXTS

_HERE = Path(__file__).resolve().parent

domain = Domain(
    name="hj212",
    models="ecogov.hj212.models",
    migrations=_HERE / "migrations",
    api=api.router,
    pages=pages.router,
    cli=cli.app,
    demo=demo.load,
    demo_order=40,
    demo_service=livefeed.demo_feed,
    templates=_HERE / "templates",
    static=_HERE / "static",
    nav=(NavItem("nav.hj212", "/hj212", order=31, requires=("read", RECEIVER.key)),),
    permissions=(RECEIVER, COMMANDS, REJECTS, DISCLOSURE, STORE),
    alert_kinds=KINDS,
    messages={
        "audit.entity.hj212_record": ("在线监测数据", "Online monitoring record"),
        "audit.entity.hj212_archive_segment": ("报文归档", "Packet archive"),
        "audit.entity.hj212_reject": ("拒收报文", "Rejected packet"),
        "audit.entity.hj212_split_part": ("分包报文", "Split packet part"),
        "audit.entity.hj212_command": ("反控命令", "Reverse command"),
        "audit.entity.hj212_receiver_status": ("接收服务状态", "Receiver status"),
        "audit.entity.hj212_device_stat": (
            "设备小时与日统计",
            "Device hourly and daily statistics",
        ),
        "audit.entity.hj212_stat_pending": (
            "待重算的设备日统计",
            "Device days awaiting their statistics",
        ),
        "audit.action.hj212.aggregates.rebuild": (
            "重算设备小时与日统计",
            "Rebuild device statistics",
        ),
        "audit.action.hj212.command": ("下发反控命令", "Reverse command"),
        "audit.action.hj212.command.dispatch": ("发送反控命令", "Dispatch command"),
        "audit.action.hj212.demo.load": ("生成演示在线监测数据", "Demo online data"),
        "audit.action.hj212.archive": ("在线监测数据归档", "Archive online data"),
        "audit.action.hj212.partitions": ("维护在线监测数据分区", "Maintain partitions"),
        "audit.action.hj212.receive": ("接收在线监测数据", "Receive online data"),
        "audit.action.hj212.receiver.status": ("接收服务状态更新", "Receiver status"),
        "nav.hj212": ("数据接收", "HJ 212 receiver"),
        "hj212.status": ("HJ 212 数据接收状态", "HJ 212 receiver status"),
        "hj212.listen": ("监听地址", "Listening on"),
        "hj212.updated_at": ("更新时间", "Updated"),
        "hj212.connections": ("连接数", "Connections"),
        "hj212.packets_per_s": ("包/秒", "Packets/s"),
        "hj212.packets": ("收到数据包", "Packets"),
        "hj212.stored": ("入库记录", "Records stored"),
        "hj212.rejected": ("拒收", "Rejected"),
        "hj212.rejects": ("拒收记录", "Rejects ledger"),
        "hj212.received_at": ("接收时间", "Received"),
        "hj212.peer": ("来源", "Peer"),
        "hj212.reason": ("原因", "Reason"),
        "hj212.detail": ("说明", "Detail"),
        **{f"hj212.reason.{code}": (t.name_zh, t.name_en) for code, t in VIOLATION_TEXTS.items()},
        "hj212.reason.unknown-mn": ("未登记设备", "Unknown MN"),
        "hj212.reason.wrong-pw": ("访问密码错误", "Wrong PW"),
        "hj212.reason.no-data-time": ("缺少数据时间", "No DataTime"),
        "hj212.reject.unknown_mn": (
            "MN={mn} 不是已登记的监测设备",
            "MN={mn} is not a registered device",
        ),
        "hj212.reject.wrong_pw": (
            "MN={mn} 的访问密码 PW 与登记的不符",
            "PW of MN={mn} does not match the registry",
        ),
        "hj212.reject.no_data_time": (
            "数据上传缺少有效的数据时间 DataTime（表 4）",
            "data upload without a valid DataTime (Table 4)",
        ),
        "hj212.enterprise": ("所属企业", "Enterprise"),
        "hj212.device": ("监测设备", "Device"),
        "hj212.latest": ("最近小时数据", "Latest hourly means"),
        "hj212.chart": ("近7天小时均值", "Hourly means, last 7 days"),
        "hj212.chart.value": ("小时均值", "Hourly mean"),
        "hj212.chart.flagged": ("标记数据（非N）", "Flagged (not N)"),
        "hj212.chart.flag": ("标记", "flag"),
        "hj212.chart.limit": ("小时排放限值", "Hourly limit"),
        "hj212.chart.exceedance": ("超标时段", "Exceedance"),
        "hj212.chart.converted": ("折算浓度", "converted"),
        "hj212.chart.note": (
            "虚线为小时排放限值，红色阴影为超标时段，菱形为非N标记数据。",
            "Dashed: hourly limit; shaded: exceedances; diamonds: values flagged other than N.",
        ),
        "hj212.data_time": ("数据时间", "Data time"),
        "hj212.exceedances": ("超标事件（近30天）", "Exceedances (30 days)"),
        "hj212.findings": ("数据质量与异常筛查（近30天）", "Data-quality findings (30 days)"),
        "hj212.factor": ("因子", "Factor"),
        "hj212.start": ("开始", "Start"),
        "hj212.end": ("结束", "End"),
        "hj212.hours": ("时长（小时）", "Hours"),
        "hj212.peak": ("峰值", "Peak"),
        "hj212.limit": ("限值", "Limit"),
        "hj212.multiple": ("超标倍数", "Multiple"),
        "hj212.check": ("规则", "Check"),
        "hj212.cause": ("原因", "Cause"),
        "hj212.check.missing": ("数据缺失", "Missing reports"),
        "hj212.check.flat_line": ("恒值", "Flat line"),
        "hj212.check.range_edge": ("量程边缘", "At the range ends"),
        "hj212.check.detection_limit": ("贴近检出限", "Hugging the detection limit"),
        "hj212.check.zs_consistency": ("折算值异常", "Converted values inconsistent"),
        "hj212.check.treatment_off": ("治污设施停运", "Treatment off while producing"),
        "hj212.commands": ("反控命令", "Reverse commands"),
        "hj212.state": ("状态", "State"),
        "hj212.requested_by": ("发起人", "Requested by"),
        **{f"hj212.command.state.{k}": v for k, v in commands.STATE_NAMES.items()},
        "hj212.command.qn_rtn": ("请求应答 QnRtn", "Request reply QnRtn"),
        "hj212.command.exe_rtn": ("执行结果 ExeRtn", "Execution result ExeRtn"),
    },
)

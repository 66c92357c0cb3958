"""Messages in zh-CN (default) and English, gathered from every domain's catalogue."""

from __future__ import annotations

import re
from collections.abc import Mapping

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"

Catalogue = Mapping[str, tuple[str, str]]
"""Message key → (zh-CN text, English text)."""

_messages: dict[str, tuple[str, str]] = {}


def register(catalogue: Catalogue) -> None:
    """Add a domain's messages; a key may be registered once only."""
    for key, texts in catalogue.items():
        if key in _messages and _messages[key] != texts:
            raise ValueError(f"message key {key!r} registered twice with different texts")
        _messages[key] = texts


def translate(key: str, language: str = DEFAULT_LANGUAGE) -> str:
    """The text of ``key`` in ``language``; the key itself when no catalogue has it."""
    texts = _messages.get(key)
    if texts is None:
        return key
    return texts[1] if language == "en" else texts[0]


CHINESE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
"""A CJK ideograph: a zh-CN text has at least one."""


def has_chinese(text: str) -> bool:
    """Whether ``text`` holds a Chinese character (every zh-CN message does)."""
    return CHINESE.search(text) is not None


def texts(key: str, /, **values: object) -> tuple[str, str]:
    """The message ``key`` as its (zh-CN, English) pair, ``values`` filling both texts'
    ``{placeholders}``: for what keeps the two apart (a file row's reason, a bad cell)."""
    return translate(key, "zh").format(**values), translate(key, "en").format(**values)


def both(key: str, /, **values: object) -> str:
    """The message ``key`` zh-CN first, English in brackets: the text of an error or a CLI line,
    read by users of either language (``values`` fill both texts' ``{placeholders}``)."""
    zh, en = texts(key, **values)
    return f"{zh}（{en}）"


def pick_language(requested: str | None) -> str:
    """A supported language code from a cookie or query value (``zh``, ``zh-CN``, ``en``…)."""
    if requested and requested.lower().startswith("en"):
        return "en"
    return DEFAULT_LANGUAGE


CORE_MESSAGES: Catalogue = {
    "app.name": ("生态环境智慧治理平台", "ecogov Eco-environment Governance Platform"),
    "nav.home": ("指挥中心", "Command centre"),
    "nav.audit": ("审计日志", "Audit log"),
    "nav.users": ("用户管理", "Users"),
    "auth.login": ("登录", "Log in"),
    "auth.logout": ("退出", "Log out"),
    "auth.username": ("用户名", "Username"),
    "auth.password": ("密码", "Password"),
    "auth.failed": ("用户名或密码错误", "Wrong username or password"),
    "auth.locked": ("登录失败次数过多，请稍后再试", "Too many failed logins; try again later"),
    "auth.throttled": (
        "登录尝试过于频繁，请 {seconds} 秒后再试",
        "Too many login attempts; try again in {seconds} s",
    ),
    "auth.unlock": ("解除登录限制", "Lift login limit"),
    "auth.unlocked": ("已解除 {username} 的登录限制", "Login limit of {username} lifted"),
    "auth.throttled_until": ("登录受限至", "Login limited until"),
    "auth.no_such_user": ("用户 {username} 不存在", "User {username} does not exist"),
    "auth.login_first": ("请先登录", "Log in first"),
    "upload.too_large": (
        "请求内容超过 {limit} 的上限，请缩小文件或分批上传",
        "The request is larger than the {limit} limit; send smaller files or fewer at once",
    ),
    "upload.image.empty": ("{name}：文件为空", "{name}: the file is empty"),
    "upload.image.large": ("{name}：超过 {limit} 的上限", "{name}: larger than the {limit} limit"),
    "upload.image.type": (
        "{name}：不是允许的图片格式（{types}）",
        "{name}: not an accepted image type ({types})",
    ),
    "region.switch": ("切换区域", "Switch region"),
    "region.children": ("下级区域", "Subdivisions"),
    "region.code": ("区划代码", "Code"),
    "region.name": ("名称", "Name"),
    "region.level": ("级别", "Level"),
    "region.level.province": ("省级", "Province"),
    "region.level.city": ("地市级", "Prefecture city"),
    "region.level.county": ("县级", "County"),
    "region.map": ("区域地图", "Region map"),
    "region.map_needs_script": (
        "区域地图需要浏览器启用 JavaScript",
        "The region map needs JavaScript in the browser",
    ),
    "region.switch_go": ("切换", "Go"),
    "region.up": ("返回上级", "Up one level"),
    "audit.at": ("时间", "Time"),
    "audit.actor": ("操作人", "Actor"),
    "audit.action": ("操作", "Action"),
    "audit.entity": ("对象", "Entity"),
    "audit.before": ("变更前", "Before"),
    "audit.after": ("变更后", "After"),
    "audit.since": ("起始日期", "From"),
    "audit.until": ("截止日期", "To"),
    "audit.role": ("角色", "Role"),
    "audit.action_code": ("操作代码", "Action code"),
    "audit.total": ("共", "Total"),
    "audit.page": ("页", "Page"),
    "audit.pages": ("分页", "Pages"),
    "audit.entity.audit_log": ("审计日志", "Audit log"),
    "audit.op.insert": ("新增", "Add"),
    "audit.op.update": ("修改", "Change"),
    "audit.op.delete": ("删除", "Delete"),
    "common.prev_page": ("上一页", "Previous"),
    "common.next_page": ("下一页", "Next"),
    "common.export_csv": ("导出CSV", "Export CSV"),
    "common.export_xlsx": ("导出Excel", "Export Excel"),
    "common.simulated": ("模拟数据", "Simulated data"),
    "common.search": ("查询", "Search"),
    "common.none": ("暂无数据", "No data"),
    "table.search": ("关键字", "Search"),
    "table.search_hint": ("名称、编号、单位…", "Name, code, unit…"),
    "table.all": ("全部", "All"),
    "table.size": ("每页", "Per page"),
    "table.clear": ("清除筛选", "Clear filters"),
    "table.count": (
        "共 {total} 条，当前第 {first}–{last} 条（第 {page}/{pages} 页）",
        "{total} rows, showing {first}–{last} (page {page} of {pages})",
    ),
    "table.of_all": ("（筛选自 {all} 条）", "(filtered from {all})"),
    "table.sort_hint": ("点击排序，再次点击倒序", "Click to sort; again to reverse"),
    "table.pages": ("分页", "Pages"),
    "role.admin": ("平台管理员", "Platform admin"),
    "role.province_officer": ("省级用户", "Province officer"),
    "role.city_officer": ("市级用户", "City officer"),
    "role.county_officer": ("县级用户", "County officer"),
    "role.leader": ("领导（只读）", "Leader (read-only)"),
    "role.enterprise": ("企业用户", "Enterprise user"),
    "role.public": ("公众", "Public"),
    "error.title": ("出错了", "Something went wrong"),
    "lang.switch": ("English", "中文"),
}
register(CORE_MESSAGES)

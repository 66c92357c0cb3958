"""The emergency domain's rows of the permission table (``ecogov.platform.permissions``).

* warnings and their decision trail: the officers of the city or province decide (大气污染防治法
  第九十五条: the province and city governments set and adjust the level; nobody else publishes a
  warning), so county officers read only; leaders read their region; admins everything;
* the emergency-reduction list: the bureau reads its region and imports it (city or province);
  an enterprise user reads its own measures.
"""

from __future__ import annotations

from ecogov.emergency.models import REDUCTIONS, WARNINGS
from ecogov.platform.permissions import REGIONAL, ResourceKind, Scope, grant
from ecogov.platform.scope import Role

_DECIDERS = {Role.PROVINCE_OFFICER: Scope.REGION, Role.CITY_OFFICER: Scope.REGION}
_DECIDERS_AND_ADMIN = {**_DECIDERS, Role.ADMIN: Scope.ALL}
_DECIDE_ONLY = (
    "重污染天气预警只能由市级或省级生态环境部门办理（大气污染防治法第九十五条）",
    "only city or province officers decide heavy-pollution warnings (Air Law Art. 95)",
)

WARNING_KIND = ResourceKind(
    WARNINGS,
    "重污染天气预警",
    "heavy-pollution warnings",
    {
        "read": {**grant(REGIONAL, Scope.REGION), Role.ADMIN: Scope.ALL},
        "create": _DECIDERS_AND_ADMIN,
        "update": _DECIDERS_AND_ADMIN,
        "advance": _DECIDERS_AND_ADMIN,
    },
    refusals={
        "read": ("只有生态环境部门可以查看重污染天气预警", "only the bureau reads the warnings"),
        "create": _DECIDE_ONLY,
        "update": _DECIDE_ONLY,
        "advance": _DECIDE_ONLY,
    },
)

REDUCTION_KIND = ResourceKind(
    REDUCTIONS,
    "应急减排清单",
    "emergency-reduction list",
    {
        "read": {
            **grant(REGIONAL, Scope.REGION),
            Role.ENTERPRISE: Scope.ENTERPRISE,
            Role.ADMIN: Scope.ALL,
        },
        "create": _DECIDERS_AND_ADMIN,
        "update": _DECIDERS_AND_ADMIN,
        "import": _DECIDERS_AND_ADMIN,
    },
    refusals={
        "import": (
            "应急减排清单由市级或省级生态环境部门导入",
            "city or province officers import the emergency-reduction list",
        ),
    },
)

KINDS = (WARNING_KIND, REDUCTION_KIND)

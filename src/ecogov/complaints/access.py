"""The complaints domain's rows of the permission table (``ecogov.platform.permissions``).

* complaint records: officers and leaders read their region (the handling county or unit and
  the levels above it), admins everything; officers of the region handle them. The public may
  only *create* (the portal's anonymous intake, the only anonymous write of the platform); it
  reads nothing here — a receipt-code lookup answers with the public status and answer only;
* the complainant's identity: only the handling officers (and admins) read it, every read
  audited; leaders and enterprises never see it; it is written with the complaint.
"""

from __future__ import annotations

from ecogov.complaints.models import IDENTITY, RECORDS
from ecogov.platform.permissions import REGIONAL, ResourceKind, Scope, grant, officers
from ecogov.platform.scope import Role

_OFFICERS_ONLY = ("只有生态环境部门工作人员可以办理信访投诉", "only officers handle complaints")
_INTAKE = {**officers(), Role.PUBLIC: Scope.ALL}

COMPLAINTS = ResourceKind(
    RECORDS,
    "信访投诉记录",
    "complaint records",
    {
        "read": {**grant(REGIONAL, Scope.REGION), Role.ADMIN: Scope.ALL},
        "create": _INTAKE,
        "update": officers(),
        "advance": officers(),
        "import": officers(),
    },
    refusals={
        "read": ("只有生态环境部门可以查看信访投诉台账", "only the bureau reads the complaints"),
        "update": _OFFICERS_ONLY,
        "advance": _OFFICERS_ONLY,
        "import": _OFFICERS_ONLY,
    },
)

COMPLAINANTS = ResourceKind(
    IDENTITY,
    "信访人身份信息",
    "complainants' identity",
    {"read": officers(), "create": _INTAKE},
    refusals={
        "read": (
            "信访人身份信息仅对承办人员可见",
            "a complainant's identity is visible to the handling officers only",
        )
    },
)

KINDS = (COMPLAINTS, COMPLAINANTS)

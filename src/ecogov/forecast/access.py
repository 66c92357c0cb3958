"""The forecast domain's rows of the permission table (``ecogov.platform.permissions``).

* forecasts: every logged-in role reads them in its region (enterprise users, who have no
  region, all of them, as they read the observations); officers of the region and admins issue
  them (``ecogov forecast run`` runs as the system);
* models (training windows, scores, the model itself): officers of the region and admins.
"""

from __future__ import annotations

from ecogov.forecast.models import FORECASTS, MODELS
from ecogov.platform.permissions import REGIONAL, ResourceKind, Scope, grant, officers
from ecogov.platform.scope import Role

FORECAST_KIND = ResourceKind(
    FORECASTS,
    "空气质量预报",
    "air-quality forecasts",
    {
        "read": {
            **grant(REGIONAL, Scope.REGION),
            Role.ENTERPRISE: Scope.ALL,
            Role.ADMIN: Scope.ALL,
        },
        "create": officers(),
    },
    refusals={
        "create": ("只有生态环境部门工作人员可以发布预报", "only officers issue forecasts"),
    },
)

MODEL_KIND = ResourceKind(
    MODELS,
    "空气质量预报模型",
    "air-quality forecast models",
    {"read": officers(), "create": officers()},
    refusals={
        "read": ("只有生态环境部门工作人员可以查看预报模型", "only officers read forecast models"),
        "create": (
            "只有生态环境部门工作人员可以训练预报模型",
            "only officers train forecast models",
        ),
    },
)

KINDS = (FORECAST_KIND, MODEL_KIND)

"""Pollution sources (污染源): enterprises, their outlets, monitoring devices, permit limits and
electricity meters.

Every table is region-scoped (officers see their region and below) and enterprise-scoped (an
enterprise user sees only its own enterprise). The enterprise row itself is scoped by its key:
``enterprise.enterprise_id`` *is* the enterprise, so the same filter applies to it. Child rows
carry a copy of their enterprise's region code, kept in step by the service.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    PrimaryKeyConstraint,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ecogov.platform.models import Base, EnterpriseScoped, IdMixin, RegionScoped

KEY_LEVELS = ("national", "provincial", "municipal", "general")
"""重点排污单位 monitoring level: 国控, 省控, 市控, or 一般 (not a key unit)."""
MEDIA = ("gas", "water")
"""废气 and 废水 outlets (排放口)."""
AVERAGING = ("hourly", "daily")
"""Averaging period of a permit limit: hourly (小时均值) or daily (日均值)."""
BASES = ("converted", "measured")
"""Whether a limit applies to the converted (折算, reference oxygen) or measured (实测) value."""
LINES = ("production", "treatment")
"""What an electricity meter measures: a production line (生产设施) or treatment (治污设施)."""


def _in(column: str, values: tuple[str, ...]) -> str:
    """SQL of a CHECK that ``column`` takes one of ``values``."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Enterprise(RegionScoped, EnterpriseScoped, Base):
    """An enterprise (排污单位) identified by its unified social credit code (GB 32100-2015).

    ``industry_code`` is the GB/T 4754-2017 class (e.g. ``C2614``); ``lon``/``lat`` [WGS-84
    degrees]; ``simulated`` marks generated demo enterprises (模拟).
    """

    __tablename__ = "enterprise"
    __table_args__ = (CheckConstraint(_in("key_level", KEY_LEVELS), name="key_level"),)

    enterprise_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(128), index=True)
    industry_code: Mapped[str] = mapped_column(String(8), index=True)
    industry: Mapped[str] = mapped_column(String(64))
    region_code: Mapped[str] = mapped_column(String(6), ForeignKey("region.code"), index=True)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    key_level: Mapped[str] = mapped_column(String(16))
    permit_number: Mapped[str | None] = mapped_column(String(32))
    simulated: Mapped[bool] = mapped_column(Boolean, default=False)


class Outlet(IdMixin, RegionScoped, EnterpriseScoped, Base):
    """A discharge outlet (排放口) of an enterprise: gas (``DA001``…) or water (``DW001``…)."""

    __tablename__ = "outlet"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "code"),
        CheckConstraint(_in("medium", MEDIA), name="medium"),
    )

    enterprise_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("enterprise.enterprise_id"), index=True
    )
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(64))
    medium: Mapped[str] = mapped_column(String(8))
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)


class Device(IdMixin, RegionScoped, EnterpriseScoped, Base):
    """An online-monitoring data logger (数采仪) at an outlet, speaking HJ 212.

    ``mn`` is its unique id (MN), ``pw`` the access password it sends (PW) — compared by the
    receiver as given, and redacted in the audit log; ``profile`` names the codec's
    :class:`~ecogov.standards.hj212.ProtocolProfile` it is held to; ``system_code`` its ST
    (31 air source, 32 water source).
    """

    __tablename__ = "monitoring_device"

    mn: Mapped[str] = mapped_column(String(24), unique=True)
    pw: Mapped[str] = mapped_column(String(6))
    profile: Mapped[str] = mapped_column(String(64))
    system_code: Mapped[str] = mapped_column(String(2))
    outlet_id: Mapped[int] = mapped_column(Integer, ForeignKey("outlet.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("enterprise.enterprise_id"), index=True
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class DeviceFactor(IdMixin, RegionScoped, EnterpriseScoped, Base):
    """An analyser channel of a device: the factor it measures (HJ 212 code), its measuring range
    [``unit``] and detection limit, which data-quality checks compare values with."""

    __tablename__ = "device_factor"
    __table_args__ = (UniqueConstraint("device_id", "factor_code"),)

    device_id: Mapped[int] = mapped_column(Integer, ForeignKey("monitoring_device.id"))
    enterprise_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("enterprise.enterprise_id"), index=True
    )
    factor_code: Mapped[str] = mapped_column(String(8))
    unit: Mapped[str] = mapped_column(String(16))
    range_low: Mapped[float] = mapped_column(Float, default=0.0)
    range_high: Mapped[float] = mapped_column(Float)
    detection_limit: Mapped[float | None] = mapped_column(Float)


class PermitLimit(IdMixin, RegionScoped, EnterpriseScoped, Base):
    """A discharge limit of the pollutant discharge permit (排污许可证) for one outlet and factor.

    ``limit_value`` [``unit``] applies to ``averaging`` means (hourly or daily) of the converted
    (折算) or measured (实测) concentration, as ``basis`` says.
    """

    __tablename__ = "permit_limit"
    __table_args__ = (
        UniqueConstraint("outlet_id", "factor_code", "averaging"),
        CheckConstraint(_in("averaging", AVERAGING), name="averaging"),
        CheckConstraint(_in("basis", BASES), name="basis"),
        CheckConstraint("limit_value > 0", name="limit_value"),
    )

    outlet_id: Mapped[int] = mapped_column(Integer, ForeignKey("outlet.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("enterprise.enterprise_id"), index=True
    )
    factor_code: Mapped[str] = mapped_column(String(8))
    limit_value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(16))
    averaging: Mapped[str] = mapped_column(String(8))
    basis: Mapped[str] = mapped_column(String(10))


class PowerMeter(IdMixin, RegionScoped, EnterpriseScoped, Base):
    """An electricity meter (用电监控) on a production or treatment line of an enterprise.

    ``source`` names the :mod:`~ecogov.sources.meters` reading source (``table`` by default);
    the line counts as running while its power exceeds ``running_kw`` [kW]. A treatment meter
    may name the outlet it serves.
    """

    __tablename__ = "power_meter"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "code"),
        CheckConstraint(_in("line", LINES), name="line"),
    )

    enterprise_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("enterprise.enterprise_id"), index=True
    )
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(64))
    line: Mapped[str] = mapped_column(String(12))
    outlet_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("outlet.id"))
    source: Mapped[str] = mapped_column(String(32), default="table")
    running_kw: Mapped[float] = mapped_column(Float)


class PowerReading(Base):
    """One reading of a meter: mean power [kW] over the interval ending at ``ts`` [Unix s].

    Bulk data: written in batches (one audit summary each), read through the meter, whose scope
    the service checks.
    """

    __tablename__ = "power_reading"
    __audited__ = False
    __scope_exempt__ = True
    __table_args__ = (PrimaryKeyConstraint("meter_id", "ts", name="pk_power_reading"),)

    meter_id: Mapped[int] = mapped_column(Integer, ForeignKey("power_meter.id"))
    ts: Mapped[int] = mapped_column(BigInteger)
    power_kw: Mapped[float] = mapped_column(Float)

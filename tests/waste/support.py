"""A small waste chain for the tests: a generator in Hangzhou (Xihu), a carrier, a receiver in
Ningbo licensed for two codes, a receiver in Jiangsu (for cross-province transfers), an outsider
enterprise, and the principals acting for each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Principal, Role
from ecogov.sources import service as sources
from ecogov.sources.demo import demo_uscc
from ecogov.sources.service import NewEnterprise
from ecogov.waste import parties
from ecogov.waste.parties import NewLicence, NewParty, PartyView

CODE = "900-249-08"
"""HW08 waste mineral oil (废矿物油)."""
OTHER_CODE = "772-006-49"
LICENSED = (CODE, OTHER_CODE)
LICENCE_FROM, LICENCE_TO = date(2024, 1, 1), date(2028, 12, 31)


@dataclass(frozen=True)
class Chain:
    """The parties and who acts for them."""

    generator: PartyView
    carrier: PartyView
    receiver: PartyView
    far_receiver: PartyView
    outsider_enterprise: int

    def principal(self, party: PartyView) -> Principal:
        return Principal(
            f"user{party.enterprise_id}", Role.ENTERPRISE, enterprise_id=party.enterprise_id
        )

    @property
    def generator_user(self) -> Principal:
        return self.principal(self.generator)

    @property
    def carrier_user(self) -> Principal:
        return self.principal(self.carrier)

    @property
    def receiver_user(self) -> Principal:
        return self.principal(self.receiver)

    @property
    def outsider(self) -> Principal:
        return Principal("outsider", Role.ENTERPRISE, enterprise_id=self.outsider_enterprise)


XIHU_OFFICER = Principal("xh", Role.COUNTY_OFFICER, region_code="330106")
"""County officer of the generator's county."""
YUHANG_OFFICER = Principal("yh", Role.COUNTY_OFFICER, region_code="330110")
"""County officer of another county."""
HANGZHOU_OFFICER = Principal("hz", Role.CITY_OFFICER, region_code="330100")
PROVINCE_OFFICER = Principal("zj", Role.PROVINCE_OFFICER, region_code="330000")
LEADER = Principal("ld", Role.LEADER, region_code="330000")


def enterprise(db: Database, index: int, region: str, name: str) -> int:
    """A registered enterprise of ``region``; its id."""
    view = sources.create_enterprise(
        db,
        SYSTEM,
        NewEnterprise(
            uscc=demo_uscc(index, region),
            name=name,
            industry_code="C2614",
            industry="有机化学原料制造",
            region_code=region,
            lon=120.1,
            lat=30.2,
        ),
    )
    return view.enterprise_id


def party(db: Database, enterprise_id: int, kind: str, **extra: object) -> PartyView:
    """Register ``enterprise_id`` as a ``kind`` party (as the system)."""
    return parties.create_party(db, SYSTEM, NewParty(enterprise_id, kind, **extra))  # type: ignore[arg-type]


def licence(db: Database, receiver: PartyView, number: str, codes: tuple[str, ...]) -> None:
    """Operation licence lines of ``receiver`` for ``codes``, 1000 t/a each."""
    for code in codes:
        parties.add_licence(
            db,
            SYSTEM,
            NewLicence(number, receiver.id, "operation", LICENCE_FROM, LICENCE_TO, code, 1000.0),
        )


def build_chain(db: Database) -> Chain:
    """The chain of the module docstring."""
    generator = party(
        db, enterprise(db, 1, "330106", "西湖化工有限公司"), "generator", management_class="key"
    )
    carrier = party(
        db,
        enterprise(db, 2, "330102", "安达危运有限公司"),
        "carrier",
        transport_licence_no="浙交运管许可杭字330100001",
        vehicles=("浙A12345", "浙A54321"),
    )
    receiver = party(db, enterprise(db, 3, "330205", "甬清环保有限公司"), "receiver")
    licence(db, receiver, "3302000001", LICENSED)
    far = party(db, enterprise(db, 4, "320115", "金陵处置有限公司"), "receiver")
    licence(db, far, "3201000001", (CODE,))
    outsider = enterprise(db, 5, "330106", "旁观者有限公司")
    return Chain(generator, carrier, receiver, far, outsider)

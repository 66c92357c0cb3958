"""The permission table: every (kind, action, role) against the rule as stated, the scope rules,
zh-CN refusals, and menus drawn from the table."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecogov.platform import permissions
from ecogov.platform.errors import PermissionDenied
from ecogov.platform.permissions import (
    ResourceKind,
    Scope,
    allowed,
    authorize,
    kinds,
    register_kind,
    render_table,
    table_rows,
    unregister_kind,
)
from ecogov.platform.plugins import domains
from ecogov.platform.scope import ANONYMOUS, Principal, Role
from ecogov.platform.templating import navigation

A, P, C, K, L, E, U = (
    Role.ADMIN,
    Role.PROVINCE_OFFICER,
    Role.CITY_OFFICER,
    Role.COUNTY_OFFICER,
    Role.LEADER,
    Role.ENTERPRISE,
    Role.PUBLIC,
)
ALL, REG, ENT, PTY, NONE = Scope.ALL, Scope.REGION, Scope.ENTERPRISE, Scope.PARTY, Scope.NONE
CON = Scope.CONCERNED


def _row(
    admin: Scope, officers: Scope, leader: Scope, enterprise: Scope, public: Scope = NONE
) -> dict[Role, Scope]:
    """One row of the expected table (the public reads only what the portal publishes)."""
    return {A: admin, P: officers, C: officers, K: officers, L: leader, E: enterprise, U: public}


OFFICERS_ONLY = _row(ALL, REG, NONE, NONE)
ADMIN_ONLY = _row(ALL, NONE, NONE, NONE)
PUBLIC_DATA = {
    "read": _row(ALL, REG, REG, ALL, ALL),
    "import": OFFICERS_ONLY,
    "create": OFFICERS_ONLY,
    "update": OFFICERS_ONLY,
    "delete": ADMIN_ONLY,
}
OBSERVATIONS = {"read": _row(ALL, ALL, ALL, ALL, ALL), "import": OFFICERS_ONLY}
DISCLOSED = {"read": _row(ALL, ALL, ALL, ALL, ALL)}
"""A disclosure kind: every role reads what key polluters disclose; nobody writes through it."""

DECIDERS = {**ADMIN_ONLY, P: REG, C: REG}
"""City and province officers (and admins): who decide heavy-pollution warnings (Air Law
Art. 95) and import the emergency-reduction list; county officers read."""

EXPECTED: dict[str, dict[str, dict[Role, Scope]]] = {
    "platform.audit": {"read": ADMIN_ONLY},
    "platform.alerts": {
        "read": _row(ALL, REG, REG, NONE),
        "advance": OFFICERS_ONLY,
        "manage": ADMIN_ONLY,
    },
    "accounts.user": {
        "read": _row(ALL, REG, REG, ENT),
        "create": ADMIN_ONLY,
        "update": _row(ALL, REG, NONE, ENT),
        "delete": ADMIN_ONLY,
        "manage": ADMIN_ONLY,
    },
    "plans.plan": {
        "read": _row(ALL, REG, REG, NONE),
        "create": OFFICERS_ONLY,
        "update": OFFICERS_ONLY,
        "import": OFFICERS_ONLY,
        "advance": _row(ALL, REG, REG, NONE),
        "sign": _row(ALL, REG, REG, NONE),
    },
    # the command centre's wall: officers and leaders of the region, admins every region
    "bigscreen.view": {"read": _row(ALL, REG, REG, NONE)},
    "air.station": PUBLIC_DATA,
    "air.observation": OBSERVATIONS,
    "water.section": PUBLIC_DATA,
    "water.observation": OBSERVATIONS,
    "sources.registry": {
        "read": _row(ALL, REG, REG, ENT),
        "create": OFFICERS_ONLY,
        "update": OFFICERS_ONLY,
    },
    "sources.device_secret": {"read": ADMIN_ONLY},
    "sources.disclosure": DISCLOSED,
    "hj212.disclosure": DISCLOSED,
    "plans.rectification_disclosure": DISCLOSED,
    "hj212.receiver": {"read": OFFICERS_ONLY},
    "hj212.command": {"command": OFFICERS_ONLY},
    "hj212.rejects": {"read": ADMIN_ONLY},
    "hj212.store": {"update": ADMIN_ONLY},
    "waste.party": {
        "read": _row(ALL, ALL, ALL, ALL),
        "create": OFFICERS_ONLY,
        "update": OFFICERS_ONLY,
        "delete": OFFICERS_ONLY,
        "import": OFFICERS_ONLY,
    },
    "waste.records": {
        "read": _row(ALL, REG, REG, ENT),
        "create": _row(ALL, REG, NONE, ENT),
        "update": _row(ALL, REG, NONE, ENT),
        "delete": _row(ALL, REG, NONE, ENT),
        "import": _row(ALL, REG, NONE, ENT),
    },
    "waste.manifest": {
        "read": _row(ALL, CON, CON, PTY),
        "create": _row(ALL, REG, NONE, PTY),
        "update": _row(ALL, REG, NONE, PTY),
        "advance": _row(ALL, NONE, NONE, PTY),
        "import": OFFICERS_ONLY,
    },
    "waste.approval": {
        "read": _row(ALL, REG, REG, ENT),
        "create": OFFICERS_ONLY,
        "update": OFFICERS_ONLY,
        "import": OFFICERS_ONLY,
    },
    "waste.money": {
        "read": _row(ALL, REG, REG, PTY),
        "create": _row(ALL, REG, NONE, PTY),
        "update": _row(ALL, REG, NONE, PTY),
        "import": _row(ALL, REG, NONE, PTY),
    },
    "enforcement.records": {
        "read": _row(ALL, REG, REG, ENT, ALL),
        "create": OFFICERS_ONLY,
        "update": OFFICERS_ONLY,
        "advance": OFFICERS_ONLY,
    },
    "enforcement.pool": {
        "read": _row(ALL, REG, REG, NONE),
        "create": OFFICERS_ONLY,
        "update": OFFICERS_ONLY,
    },
    "enforcement.repairs": {
        "read": _row(ALL, REG, REG, ENT),
        "create": _row(ALL, REG, NONE, ENT),
        "update": OFFICERS_ONLY,
        "advance": OFFICERS_ONLY,
    },
    "enforcement.risk": {
        "read": _row(ALL, REG, REG, NONE),
        "update": OFFICERS_ONLY,
    },
    "emergency.warnings": {
        "read": _row(ALL, REG, REG, NONE),
        "create": DECIDERS,
        "update": DECIDERS,
        "advance": DECIDERS,
    },
    "emergency.reductions": {
        "read": _row(ALL, REG, REG, ENT),
        "create": DECIDERS,
        "update": DECIDERS,
        "import": DECIDERS,
    },
    "forecast.forecasts": {
        "read": _row(ALL, REG, REG, ALL),
        "create": OFFICERS_ONLY,
    },
    "forecast.models": {"read": OFFICERS_ONLY, "create": OFFICERS_ONLY},
    "complaints.records": {
        "read": _row(ALL, REG, REG, NONE),
        "create": _row(ALL, REG, NONE, NONE, ALL),
        "update": OFFICERS_ONLY,
        "advance": OFFICERS_ONLY,
        "import": OFFICERS_ONLY,
    },
    "complaints.identity": {
        "read": OFFICERS_ONLY,
        "create": _row(ALL, REG, NONE, NONE, ALL),
    },
    "reports.monthly": {
        "read": _row(ALL, REG, REG, NONE),
        "create": _row(ALL, REG, REG, NONE),
    },
}
"""The table as the bureaus asked for it, written out independently of the code."""

PRINCIPALS = {
    A: Principal("admin", A),
    P: Principal("zj", P, region_code="330000"),
    C: Principal("hz", C, region_code="330100"),
    K: Principal("xh", K, region_code="330106"),
    L: Principal("ld", L, region_code="330000"),
    E: Principal("qy", E, enterprise_id=7),
    U: ANONYMOUS,
}


def test_every_kind_and_action_is_in_the_expected_table() -> None:
    declared = {key: set(kind.action_keys()) for key, kind in kinds().items()}
    assert declared == {key: set(actions) for key, actions in EXPECTED.items()}


@pytest.mark.parametrize(
    ("kind", "action", "role"),
    [
        (kind, action, role)
        for kind, actions in EXPECTED.items()
        for action in actions
        for role in Role
    ],
)
def test_every_role_and_action_against_the_table(kind: str, action: str, role: Role) -> None:
    wanted = EXPECTED[kind][action][role]
    principal = PRINCIPALS[role]
    assert permissions.scope_of(principal, action, kind) is wanted
    assert allowed(principal, action, kind) is (wanted is not Scope.NONE)
    if wanted is Scope.NONE:
        with pytest.raises(PermissionDenied) as refused:
            authorize(principal, action, kind)
        message = str(refused.value)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in message.split("（")[0]), message
        assert "（" in message  # zh-CN first, English in brackets
        assert message.endswith("）")
    else:
        assert authorize(principal, action, kind) is wanted


def test_the_table_reads_as_rows_and_markdown() -> None:
    rows = table_rows()
    assert len(rows) == sum(len(actions) for actions in EXPECTED.values()) * len(Role)
    markdown = render_table()
    assert "| 审计日志 `platform.audit` | 查看 |" in markdown
    assert "省级用户" in markdown.splitlines()[0]


def test_unknown_kinds_and_actions_are_programming_errors() -> None:
    with pytest.raises(KeyError, match="not registered"):
        allowed(PRINCIPALS[A], "read", "no.such.kind")
    with pytest.raises(KeyError, match="not declared"):
        allowed(PRINCIPALS[A], "fly", "plans.plan")


def test_domains_declare_their_kinds_and_menus_ask_the_table() -> None:
    declared = {kind.key for domain in domains() for kind in domain.permissions}
    assert declared == set(EXPECTED) - {"platform.audit", "platform.alerts"}
    for domain in domains():
        for item in domain.nav:
            if item.requires is not None:
                action, kind = item.requires
                assert action in EXPECTED[kind]


@pytest.mark.parametrize("role", list(Role))
def test_menus_offer_only_what_the_role_may_open(role: Role) -> None:
    principal = PRINCIPALS[role]
    paths = {item.path for item in navigation(principal)}
    if role is Role.PUBLIC:
        assert paths == set()
        return
    # public data: air and water quality are open to every logged-in role
    assert {"/", "/air", "/water"} <= paths
    assert ("/plans" in paths) is (role not in (E,))
    assert ("/audit" in paths) is (role is A)
    assert ("/users" in paths) is (role is A)
    assert ("/hj212" in paths) is (role in (A, P, C, K))


# --- the scope rules ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Manifest:
    """A record with three parties, as a waste manifest has (generator, carrier, receiver)."""

    region_code: str
    enterprise_id: int | None
    generator: int
    carrier: int
    receiver: int
    destination_region_code: str


MANIFESTS = ResourceKind(
    "test.manifest",
    "联单",
    "manifests",
    {
        "read": {
            P: CON,
            C: CON,
            K: CON,
            L: CON,
            A: ALL,
            E: Scope.PARTY,
        },
        "update": {K: REG, E: ENT},
    },
    parties=lambda m: {m.generator, m.carrier, m.receiver},
    regions=lambda m: {m.region_code, m.destination_region_code},
)


def test_a_registered_kind_joins_the_table() -> None:
    register_kind(MANIFESTS)
    try:
        assert kinds()["test.manifest"] is MANIFESTS
        assert allowed(Principal("firm", E, enterprise_id=3), "read", "test.manifest")
    finally:
        unregister_kind(MANIFESTS.key)
    assert "test.manifest" not in kinds()


def _independent(principal: Principal, action: str, record: Manifest) -> bool:
    """The scope rules, stated once more without the implementation."""
    role = principal.role
    if action == "read":
        if role is A:
            return True
        if role is E:
            return principal.enterprise_id in (record.generator, record.carrier, record.receiver)
        if role in (P, C, K, L):  # the origin's or the destination's officers
            code = principal.region_code or ""
            prefix = (
                code[:2] if code.endswith("0000") else code[:4] if code.endswith("00") else code
            )
            return record.region_code.startswith(prefix) or (
                record.destination_region_code.startswith(prefix)
            )
        return False
    if role is K:
        return record.region_code == principal.region_code
    if role is E:
        return (
            principal.enterprise_id is not None and record.enterprise_id == principal.enterprise_id
        )
    return False


REGIONS = ["330000", "330100", "330106", "330102", "330200", "330212", "110000", "110105"]
COUNTIES = ["330106", "330102", "330212", "330281", "110105", "110101"]
principals = st.one_of(
    # Officers hold a code of their own level (GB/T 2260): a county officer a county's code.
    st.sampled_from(REGIONS).flatmap(
        lambda code: st.builds(
            Principal,
            st.just("officer"),
            st.sampled_from([L, P if code.endswith("0000") else C if code.endswith("00") else K]),
            region_code=st.just(code),
        )
    ),
    st.builds(
        Principal,
        st.just("firm"),
        st.just(E),
        enterprise_id=st.one_of(st.none(), st.integers(1, 6)),
    ),
    st.just(PRINCIPALS[A]),
    st.just(ANONYMOUS),
)
records = st.builds(
    Manifest,
    st.sampled_from(COUNTIES),
    st.one_of(st.none(), st.integers(1, 6)),
    st.integers(1, 6),
    st.integers(1, 6),
    st.integers(1, 6),
    st.sampled_from(COUNTIES),
)


@settings(max_examples=400, deadline=None)
@given(principal=principals, record=records, action=st.sampled_from(["read", "update"]))
def test_scope_rules_region_enterprise_and_party(
    principal: Principal, record: Manifest, action: str
) -> None:
    wanted = _independent(principal, action, record)
    assert allowed(principal, action, MANIFESTS, record) is wanted
    if not wanted:
        with pytest.raises(PermissionDenied):
            authorize(principal, action, MANIFESTS, record)


def test_region_subjects_are_codes() -> None:
    county = PRINCIPALS[K]
    assert allowed(county, "read", "water.section", "330106")
    assert not allowed(county, "read", "water.section", "330100")
    assert not allowed(county, "read", "water.section", "not-a-code")
    assert allowed(PRINCIPALS[E], "read", "water.section", "330000")  # public data
    with pytest.raises(PermissionDenied, match="不在您的权限范围内"):
        authorize(county, "read", "water.section", "330000")

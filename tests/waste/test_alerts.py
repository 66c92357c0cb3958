"""The waste checks in the alerts inbox: one alert per finding with its evidence and link, in the
region of the party it names, idempotent on republishing, each kind registered, and a
storage-age alert converted into a rectification item."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from sqlalchemy import select

from ecogov.engine.waste import RULES, configure, run_checks
from ecogov.platform import alerts as inbox
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Principal, Role
from ecogov.sources import demo as sources_demo
from ecogov.standards.timebase import BEIJING
from ecogov.waste import alerts, demo
from ecogov.waste.models import WasteParty
from ecogov.waste.simulate import simulate


def test_every_rule_has_a_registered_alert_kind() -> None:
    registered = inbox.kinds()
    for rule in RULES.values():
        kind = registered[f"waste.{rule.id}"]
        assert kind.name_zh == rule.title_zh


@pytest.mark.parametrize(
    ("period", "first", "last"),
    [
        ("2025", date(2025, 1, 1), date(2025, 12, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2025-12", date(2025, 12, 1), date(2025, 12, 31)),
        ("2025-03-20", date(2025, 3, 20), date(2025, 3, 20)),
    ],
)
def test_period_windows(period: str, first: date, last: date) -> None:
    start, end = alerts.period_window(period)
    assert start == datetime(first.year, first.month, first.day, tzinfo=BEIJING)
    assert end.date() == last
    assert (end.hour, end.minute) == (23, 59)


def test_drafts_carry_the_findings_evidence_and_skip_unknown_subjects() -> None:
    sim = simulate(3, generators=140, planted=1)
    findings, _ = run_checks(sim.frames, configure(), sim.as_of)
    left_out = findings["subject"][0]
    subjects = {
        code: alerts.PartySubject(code, "generator", f"单位{code}", "330106", 7)
        for code in findings["subject"].to_list()
        if code != left_out
    }
    drafts, unplaced = alerts.finding_drafts(findings, subjects)
    placed = [f for f in findings.iter_rows(named=True) if f["subject"] != left_out]
    assert [f["subject"] for f in unplaced] == [left_out] * (findings.height - len(placed))
    assert unplaced
    assert len(drafts) == len(placed) > 10
    for draft, finding in zip(drafts, placed, strict=True):
        assert draft.kind == f"waste.{finding['rule']}"
        assert draft.severity == finding["severity"]
        evidence = json.loads(finding["evidence"])
        assert {k: draft.evidence[k] for k in evidence} == evidence
        assert draft.title.startswith(f"单位{finding['subject']} {RULES[finding['rule']].title_zh}")
        if "manifest_no" in evidence:
            assert draft.link == f"/waste/manifests/{evidence['manifest_no']}"
        else:
            assert draft.link == f"/waste/parties/{finding['subject']}"
        inbox.check_draft(draft)


def test_the_database_facts_give_the_planted_findings_once_then_an_item(db: Database) -> None:
    sources_demo.load(db)
    sim = simulate(5, generators=140, planted=1, year=2025)
    demo.load_simulation(db, sim)
    run = alerts.check_database(db, configure(), sim.as_of)
    assert run.unplaced == 0
    found = run.findings.select("rule", "subject", "code", "period").to_dicts()
    key = ("rule", "subject", "code", "period")
    assert sorted(found, key=lambda f: [str(f[k]) for k in key]) == sorted(
        sim.expected, key=lambda f: [str(f[k]) for k in key]
    )
    assert len(run.published.created) == run.findings.height
    again = alerts.check_database(db, configure(), sim.as_of)
    assert again.published.created == ()
    officer = Principal("zj", Role.PROVINCE_OFFICER, region_code="330000")
    page = inbox.inbox(db, officer, inbox.InboxFilter(kind="waste.storage_age"))
    assert page.total == 1
    alert = page.alerts[0]
    with db.transaction(SYSTEM) as session:
        party = session.scalar(select(WasteParty).where(WasteParty.party_code == alert.site_code))
    assert party is not None
    assert alert.region_code == party.region_code
    assert alert.enterprise_id == party.enterprise_id
    assert alert.evidence["age_days"] > alert.evidence["limit_days"]
    ref = inbox.convert(db, officer, alert.id)
    assert ref.startswith("rectification:")
    assert inbox.get(db, officer, alert.id).status == "converted"

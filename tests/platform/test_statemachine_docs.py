"""docs/workflows.md is the tables of the workflows as the code has them (regenerate it with
``ECOGOV_WRITE_DOCS=1 pytest tests/platform/test_statemachine_docs.py``)."""

from __future__ import annotations

import os
from pathlib import Path

from ecogov.enforcement.cases import CASE
from ecogov.enforcement.credit import REPAIR
from ecogov.hj212.commands import COMMANDS
from ecogov.plans.workflow import RECTIFICATION, TASK
from ecogov.platform.statemachine import document
from ecogov.waste.manifests import MANIFEST

DOC = Path(__file__).resolve().parents[2] / "docs" / "workflows.md"


def test_the_workflow_page_is_current() -> None:
    page = document([TASK, RECTIFICATION, COMMANDS, MANIFEST, CASE, REPAIR])
    if os.environ.get("ECOGOV_WRITE_DOCS") == "1":
        DOC.write_text(page, encoding="utf-8")
    assert DOC.read_text(encoding="utf-8") == page, "docs/workflows.md is stale: regenerate it"
    assert "| 申请销号 (`request_closure`) | 已交办、推进中、已逾期、重新打开 | 申请销号 |" in page
    assert "| 执行成功 | Succeeded | `succeeded` | 终止 final |" in page

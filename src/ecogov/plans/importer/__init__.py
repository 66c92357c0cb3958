"""Plan-document importer (规划文本导入): a plan as published → a reviewable :class:`PlanDraft`.

``parse_plan(text, year=…, region=…)`` reads sections (一、… （一）…), numbered tasks (1. …,
一是…), responsibility tables with merged cells, key-project tables and quantitative targets;
``PlanDraft.to_json()`` writes the JSON contract. Pure Python, no I/O.
"""

from __future__ import annotations

from ecogov.plans.importer.draft import PlanDraft, Project, Section, Target, Task
from ecogov.plans.importer.parser import EmptyDocument, parse_plan

__all__ = ["EmptyDocument", "PlanDraft", "Project", "Section", "Target", "Task", "parse_plan"]

"""Enforcement rules as data (GOVERNANCE.md §2–§3): the enterprise environmental credit method,
the double-random draw proportions, the risk-score weights, the penalty-procedure time limits and
the daily continuous penalty. Every row cites its source key and tag ([P] [1] [2] [U] [D]);
:mod:`.rules` merges a province override over the national defaults."""

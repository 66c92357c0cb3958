"""ecogov: plans, standards-exact indicators and closed-loop tracking for environment bureaus."""

__version__ = "0.1.0"

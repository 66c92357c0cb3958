"""Heavy-pollution weather emergency (重污染天气应急): warnings by the national levels, their
workflow, the emergency-reduction list and the after-event review (issue Wave 2 · 5 of 7,
item 3)."""

from __future__ import annotations

from ecogov.platform.plugins import Domain

domain = Domain(name="emergency")

"""Reassembly of split packets (拆分包): PNUM/PNO groups back into one data segment (§6.3.2).

A device whose data do not fit one packet sets Flag bit D and sends ``PNUM`` parts numbered ``PNO``
1…PNUM (Appendix C.49/C.50). The parts may carry different QNs (C.49: …534 and …535) and each
repeats ``DataTime``, so a group is keyed by device, system, command, part count and ``DataTime``.
:class:`Reassembler` holds incomplete groups with bounds on their number, their parts and their
bytes, and gives up on a group after a timeout; every give-up is reported as a
:class:`~ecogov.standards.hj212.errors.ReassemblyError` carrying the parts received.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TypeAlias

from ecogov.standards.hj212.errors import ReassemblyError, Violation, ViolationCode
from ecogov.standards.hj212.packet import CPArea, DataSegment

__all__ = ["Reassembled", "Reassembler", "ReassemblyEvent"]

_V = ViolationCode
_GroupKey: TypeAlias = tuple[str | None, str | None, str | None, int, str | None]


@dataclass(frozen=True, slots=True)
class Reassembled:
    """A complete message (§6.3.2 PNUM/PNO): the merged segment and its parts, in PNO order."""

    segment: DataSegment
    parts: tuple[DataSegment, ...]


ReassemblyEvent: TypeAlias = Reassembled | ReassemblyError


@dataclass(slots=True)
class _Group:
    """Parts of one split message received so far."""

    first_seen: float
    parts: dict[int, DataSegment] = field(default_factory=dict)
    size: int = 0


def _size(segment: DataSegment) -> int:
    """Approximate memory held for a part: its CP text length."""
    return sum(map(len, segment.cp.names)) + sum(map(len, segment.cp.raws))


def _merge_parts(parts: tuple[DataSegment, ...]) -> DataSegment:
    """One data segment from parts in PNO order: header of part 1 with Flag bit D cleared and no
    PNUM/PNO; CP records concatenated, dropping a ``DataTime`` that repeats the first part's."""
    first = parts[0]
    names: list[str] = []
    raws: list[str] = []
    separators: list[str] = []
    data_time = first.cp.get("DataTime")
    for part in parts:
        cp = part.cp
        for index, (name, raw) in enumerate(zip(cp.names, cp.raws, strict=True)):
            if (
                part is not first
                and data_time is not None
                and (name, raw)
                == (
                    "DataTime",
                    data_time.raw,
                )
            ):
                continue
            if names:
                separators.append(";" if index == 0 or cp.separators[index - 1] == ";" else ",")
            names.append(name)
            raws.append(raw)
    flag = None if first.flag is None else first.flag & ~2
    cp = CPArea(tuple(names), tuple(raws), "".join(separators))
    return replace(first, flag=flag, pnum=None, pno=None, cp=cp)


class Reassembler:
    """Collect split packets until every part of a group has arrived (§6.3.2, Appendix C.49).

    ``timeout`` is in the units of the ``now`` values passed in (seconds of a monotonic clock);
    ``max_groups`` and ``max_bytes`` bound memory (the oldest group is evicted first);
    ``max_parts`` bounds PNUM. Packets without PNUM/PNO pass straight through.
    """

    def __init__(
        self,
        *,
        timeout: float = 60.0,
        max_groups: int = 256,
        max_parts: int = 64,
        max_bytes: int = 1 << 20,
    ) -> None:
        self._timeout = timeout
        self._max_groups = max_groups
        self._max_parts = max_parts
        self._max_bytes = max_bytes
        self._groups: dict[_GroupKey, _Group] = {}
        self._bytes = 0

    @property
    def pending(self) -> int:
        """Number of incomplete PNUM/PNO groups held (§6.3.2)."""
        return len(self._groups)

    def add(self, segment: DataSegment, now: float) -> list[ReassemblyEvent]:
        """Add one segment (§6.3.2); return completed messages and groups given up, in order."""
        events: list[ReassemblyEvent] = list(self.expire(now))
        pnum, pno = segment.pnum, segment.pno
        if pnum is None or pno is None:
            events.append(Reassembled(segment, (segment,)))
            return events
        if not 1 <= pno <= pnum <= self._max_parts:
            message = f"PNO={pno}, PNUM={pnum} outside 1 ≤ PNO ≤ PNUM ≤ {self._max_parts}"
            events.append(ReassemblyError([Violation(_V.SPLIT_INCONSISTENT, message)], (segment,)))
            return events
        data_time = segment.cp.get("DataTime")
        key = (
            segment.mn,
            segment.st,
            segment.cn,
            pnum,
            None if data_time is None else data_time.raw,
        )
        group = self._groups.get(key)
        if group is None:
            events.extend(self._make_room())
            group = self._groups[key] = _Group(first_seen=now)
        known = group.parts.get(pno)
        if known is not None:
            if known != segment:
                message = f"part {pno}/{pnum} received twice with different content"
                events.append(
                    ReassemblyError([Violation(_V.SPLIT_INCONSISTENT, message)], (segment,))
                )
            return events
        group.parts[pno] = segment
        size = _size(segment)
        group.size += size
        self._bytes += size
        if len(group.parts) == pnum:
            del self._groups[key]
            self._bytes -= group.size
            parts = tuple(group.parts[number] for number in range(1, pnum + 1))
            events.append(Reassembled(_merge_parts(parts), parts))
        else:
            events.extend(self._shrink_to_budget(keep=key))
        return events

    def expire(self, now: float) -> list[ReassemblyError]:
        """Give up on groups older than the timeout (§6.2.2 execution timeout)."""
        expired = [k for k, g in self._groups.items() if now - g.first_seen > self._timeout]
        return [self._drop(key, _V.SPLIT_TIMEOUT, "timed out") for key in expired]

    def _make_room(self) -> list[ReassemblyError]:
        """Evict the oldest groups until a new one fits ``max_groups``."""
        evicted: list[ReassemblyError] = []
        while self._groups and len(self._groups) >= self._max_groups:
            oldest = next(iter(self._groups))
            evicted.append(self._drop(oldest, _V.SPLIT_EVICTED, "evicted: too many open groups"))
        return evicted

    def _shrink_to_budget(self, keep: _GroupKey) -> list[ReassemblyError]:
        """Evict the oldest other groups while the held bytes exceed ``max_bytes``."""
        evicted: list[ReassemblyError] = []
        while self._bytes > self._max_bytes:
            victim = next((k for k in self._groups if k != keep), None)
            if victim is None:
                break
            evicted.append(self._drop(victim, _V.SPLIT_EVICTED, "evicted: byte budget exceeded"))
        return evicted

    def _drop(self, key: _GroupKey, code: ViolationCode, reason: str) -> ReassemblyError:
        """Remove a group and describe it, with the parts received."""
        group = self._groups.pop(key)
        self._bytes -= group.size
        missing = [n for n in range(1, key[3] + 1) if n not in group.parts]
        message = f"split group MN={key[0]} CN={key[2]} {reason}; missing PNO {missing}"
        parts = tuple(group.parts[n] for n in sorted(group.parts))
        return ReassemblyError([Violation(code, message)], parts)

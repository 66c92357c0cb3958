"""The raw archive (原始报文存档) in segments: every frame received, as bytes, by commit.

The receiver keeps every frame it receives — stored, split part, answer, refused — with when,
from where and what became of it. It commits a batch of frames at a time, so it archives a batch
as one *segment*: the frames' bytes one after the other, and one entry per frame
``[received_at (Unix ms), peer, MN, CN, QN, outcome, length (bytes)]`` as a JSON list. A row per
frame cost each packet a row insert and its index entry (12 % of the receiver's throughput on
PostgreSQL); a segment costs one insert per commit. The archive is read by time (segments in
arrival order, indexed by their last frame's time) and by device within it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TypeAlias

from ecogov.hj212.intake import ArchiveRow

SegmentRow: TypeAlias = tuple[int, int, int, str, bytes]
"""(received_from, received_to [Unix ms], frames, entries as JSON, the frames' bytes)"""


@dataclass(frozen=True)
class ArchivedFrame:
    """A frame as received, with its peer and ``outcome``: ``stored``, ``part``, ``answer``
    (to a reverse command) or ``rejected`` (see the rejects ledger)."""

    received_at: int
    """Unix ms"""
    peer: str
    mn: str | None
    cn: str | None
    qn: str | None
    outcome: str
    raw: bytes


def pack(rows: Sequence[ArchiveRow]) -> SegmentRow:
    """The segment of some archive rows (in the order given; at least one)."""
    times = [row[0] for row in rows]
    entries = json.dumps(
        [[at, peer, mn, cn, qn, outcome, len(raw)] for at, peer, mn, cn, qn, outcome, raw in rows],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return min(times), max(times), len(rows), entries, b"".join(row[6] for row in rows)


def unpack(entries: str, data: bytes) -> Iterator[ArchivedFrame]:
    """The frames of a segment, in the order received."""
    offset = 0
    for at, peer, mn, cn, qn, outcome, length in json.loads(entries):
        yield ArchivedFrame(at, peer, mn, cn, qn, outcome, data[offset : offset + length])
        offset += length

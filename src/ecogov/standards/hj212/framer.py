"""Incremental stream framer: bytes from a TCP connection in, complete HJ 212 frames out (§6.3.1).

TCP delivers a byte stream, not packets: one read may hold half a packet, several packets (粘包,
"sticky" packets) or a packet split over reads (拆包). :class:`Framer` buffers what it is fed and
returns, in stream order, every complete frame ``##dddd…\\r\\n`` and every framing problem:

* bytes before a ``##`` header (garbage, a bad length field) are skipped and reported once, with
  their stream offset and count, when the next header is found or the stream is closed;
* a length field above the maximum (1024 by default, Table 2) is refused and the framer
  resynchronises on the next ``##``;
* when the declared length does not end on CR LF, the frame is cut at the first CR LF after its
  header if that comes before the next ``##`` (the parser then reports the length mismatch), and
  otherwise the bytes up to the next ``##`` are reported as a truncated frame;
* a truncated frame followed by a complete one is detected as soon as the complete one is buffered.

Frames are not parsed here: hand them to :func:`~ecogov.standards.hj212.parser.parse_packet`. The
result does not depend on how the stream was chunked, and the buffer never holds more than one
maximum-size frame plus one fed chunk.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, TypeAlias

from ecogov.standards.hj212.errors import EncodingError, FramingError, Violation, ViolationCode

__all__ = ["Frame", "Framer", "FramerEvent"]

_V = ViolationCode
_OVERHEAD: Final = 12  # "##" + 4 length digits + 4 CRC digits + CR LF


@dataclass(frozen=True, slots=True)
class Frame:
    """One complete frame ``##``…CR LF (§6.3.1 Table 2) and the stream offset of its first byte."""

    data: bytes
    offset: int


FramerEvent: TypeAlias = Frame | FramingError


class Framer:
    """Cut a byte stream into HJ 212 frames (§6.3.1 Table 2); see the module docstring.

    ``max_segment_length`` bounds the data-segment length a header may declare (1024 in HJ 212-2017;
    raise it for devices that send longer packets).
    """

    def __init__(self, max_segment_length: int = 1024) -> None:
        self._max = max_segment_length
        self._buffer = bytearray()
        self._offset = 0  # stream offset of _buffer[0]
        self._garbage = 0  # skipped bytes not yet reported
        self._garbage_at = 0

    @property
    def buffered(self) -> int:
        """Bytes held while waiting for the rest of a frame (at most one §6.3.1 frame + a chunk)."""
        return len(self._buffer)

    def feed(self, chunk: bytes | bytearray | memoryview) -> list[FramerEvent]:
        """Add stream bytes; return the frames (§6.3.1) and framing errors they complete, in order.

        Raises :class:`~ecogov.standards.hj212.errors.EncodingError` for anything but bytes.
        """
        if not isinstance(chunk, bytes | bytearray | memoryview):
            message = f"expected bytes, got {type(chunk).__name__}"
            raise EncodingError([Violation(_V.INPUT_TYPE, message)])
        if not self._buffer and not self._garbage and self._whole(chunk):
            frame = Frame(bytes(chunk), self._offset)
            self._offset += len(chunk)
            return [frame]
        self._buffer += chunk
        events: list[FramerEvent] = []
        while True:
            event = self._next()
            if event is None:
                return events
            events.append(event)

    def _whole(self, chunk: bytes | bytearray | memoryview) -> bool:
        """Whether ``chunk`` is exactly one frame whose length field is right, as most reads of
        a logger waiting for each answer are: it is then the one frame the buffer would give."""
        head = bytes(chunk[:6])
        return (
            head[:2] == b"##"
            and head[2:].isdigit()
            and int(head[2:]) + _OVERHEAD == len(chunk)
            and int(head[2:]) <= self._max
            and chunk[-2:] == b"\r\n"
        )

    def close(self) -> list[FramerEvent]:
        """End of stream: report pending garbage and an incomplete §6.3.1 frame left buffered."""
        events: list[FramerEvent] = []
        if self._buffer.startswith(b"##"):
            events.extend(self._report_garbage())
            size = len(self._buffer)
            message = f"stream ended inside a frame ({size} bytes)"
            events.append(self._error(_V.FRAME_TRUNCATED, message, size))
        else:
            self._skip(len(self._buffer))
            events.extend(self._report_garbage())
        return events

    def _next(self) -> FramerEvent | None:
        """The next event the buffer completes, or None when more bytes are needed."""
        buffer = self._buffer
        while True:
            start = buffer.find(b"##")
            if start < 0:
                self._skip(len(buffer) - (1 if buffer.endswith(b"#") else 0))
                return None
            self._skip(start)
            if len(buffer) < 6:
                return None
            digits = bytes(buffer[2:6])
            if digits.isdigit():
                break
            self._skip(1)  # "##" without a length: resynchronise on the next "#"
        if self._garbage:
            return self._report_garbage()[0]
        length = int(digits)
        if length > self._max:
            message = f"declared data-segment length {length} exceeds {self._max} (Table 2)"
            return self._error(_V.FRAME_TOO_LONG, message, 2)
        return self._cut(_OVERHEAD + length)

    def _cut(self, total: int) -> FramerEvent | None:
        """Emit the frame at the buffer start if its end is known, or the error that breaks it."""
        buffer = self._buffer
        if len(buffer) < total:
            later = self._later_complete_frame()
            if later is None:
                return None
            return self._error(_V.FRAME_TRUNCATED, "frame cut short by the next frame", later)
        if buffer[total - 2 : total] == b"\r\n":
            return self._frame(total)
        tail = buffer.find(b"\r\n", 6)
        header = buffer.find(b"##", 2)
        if tail >= 0 and (header < 0 or tail < header):
            return self._frame(tail + 2)  # wrong length field: the parser reports it
        if header >= 0:
            return self._error(_V.FRAME_TRUNCATED, "frame without CR LF before the next ##", header)
        message = f"no CR LF within the {total} bytes the length field announces"
        return self._error(_V.FRAME_TAIL, message, total)

    def _later_complete_frame(self) -> int | None:
        """Offset of a later ``##dddd…\\r\\n`` frame already fully buffered, if any."""
        buffer = self._buffer
        position = buffer.find(b"##", 2)
        while position >= 0:
            digits = bytes(buffer[position + 2 : position + 6])
            if len(digits) == 4 and digits.isdigit():
                end = position + _OVERHEAD + int(digits)
                if end <= len(buffer) and buffer[end - 2 : end] == b"\r\n":
                    return position
            position = buffer.find(b"##", position + 1)
        return None

    def _frame(self, size: int) -> Frame:
        """Remove ``size`` bytes from the buffer as a frame."""
        frame = Frame(bytes(self._buffer[:size]), self._offset)
        del self._buffer[:size]
        self._offset += size
        return frame

    def _error(self, code: ViolationCode, message: str, size: int) -> FramingError:
        """Remove ``size`` bytes from the buffer and describe why."""
        error = FramingError([Violation(code, message, self._offset)])
        del self._buffer[:size]
        self._offset += size
        return error

    def _skip(self, size: int) -> None:
        """Drop ``size`` bytes of garbage, remembering them for one report."""
        if size <= 0:
            return
        if not self._garbage:
            self._garbage_at = self._offset
        self._garbage += size
        del self._buffer[:size]
        self._offset += size

    def _report_garbage(self) -> list[FramerEvent]:
        """The pending garbage report, if any."""
        if not self._garbage:
            return []
        message = f"{self._garbage} bytes outside any frame were skipped"
        error = FramingError([Violation(_V.FRAME_GARBAGE, message, self._garbage_at)])
        self._garbage = 0
        return [error]

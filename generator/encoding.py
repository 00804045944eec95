"""Where a file stops being text: the line and column of its first byte no decoding reads.

Shared by content loading (UTF-8 only) and import (which also reads GB18030), so that both
report `file:line: not valid UTF-8 (byte 0xff at column 5)` rather than a byte offset.
"""

from __future__ import annotations


def undecodable(data: bytes, encodings: tuple[str, ...] = ("utf-8",),
                what: str = "UTF-8") -> tuple[str, int] | None:
    """(message, line) for the first byte of DATA that none of ENCODINGS reads, counted in
    the one that reads furthest, e.g. ('not valid UTF-8 (byte 0xff at column 5)', 12); None
    when one of them reads it all."""
    furthest, best = -1, encodings[0]
    for name in encodings:
        try:
            data.decode(name)
            return None
        except UnicodeDecodeError as exc:
            if exc.start > furthest:
                furthest, best = exc.start, name
    start = data.rfind(b"\n", 0, furthest) + 1
    line = data.count(b"\n", 0, start) + 1
    column = len(data[start:furthest].decode(best, "replace")) + 1
    return f"not valid {what} (byte 0x{data[furthest]:02x} at column {column})", line

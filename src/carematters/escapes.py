"""Bytes that are not UTF-8, shown as a person can read them.

Python reads a byte that is not UTF-8 (in a file, or a file name on Linux) as a lone
surrogate, U+DC80 + the byte - 0x80; such text cannot be printed or written as UTF-8.
Every message and report shows those bytes as \\xNN instead, as they were on disk.
"""

from __future__ import annotations

import re

NOT_UTF8 = re.compile(r"[\udc80-\udcff]+")
"""A run of the surrogates Python reads bytes that are not UTF-8 as."""


def bytes_shown(text: str) -> str:
    """`text` with each byte that was not UTF-8 written as \\xNN (`b"r\\xe9"` read with
    surrogate escapes gives "r\\\\xe9"); everything else as it is."""
    return NOT_UTF8.sub(lambda m: "".join(f"\\x{ord(ch) - 0xDC00:02x}" for ch in m.group()), text)

"""File and folder names that are safe on Windows, macOS and Linux."""

from __future__ import annotations

import re
import unicodedata

# / \ : * ? " < > | are illegal on Windows (and / everywhere); control characters too.
_ILLEGAL = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f]')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$", re.IGNORECASE)
MAX_NAME = 100  # characters; far below every file system's 255-byte limit for CJK (3 bytes each)


def safe_name(text: str, *, fallback: str = "_") -> str:
    """``text`` as one path component: illegal characters become "_", no trailing dot or
    space (Windows drops them), no reserved device name, at most :data:`MAX_NAME` characters."""
    name = _ILLEGAL.sub("_", unicodedata.normalize("NFC", text).strip()).strip()
    name = name[:MAX_NAME].rstrip(". ")
    if not name or set(name) <= {"."}:
        return fallback
    if _RESERVED.match(name):
        name = "_" + name
    return name


class UniqueNames:
    """Hands out names, adding ``_2``, ``_3`` … to a name already taken (case-insensitively,
    as Windows and macOS compare names)."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def claim(self, stem: str, suffix: str = "") -> str:
        candidate, number = stem + suffix, 1
        while candidate.casefold() in self._taken:
            number += 1
            candidate = f"{stem}_{number}{suffix}"
        self._taken.add(candidate.casefold())
        return candidate

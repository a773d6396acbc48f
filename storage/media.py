"""Photos and documents on disk, named by their sha256 (SPEC §8, §9).

A file's type is decided by its content (the ``filetype`` library reads the
magic bytes), never by the name or MIME type the sender claims. Files are stored
as ``<sha[:2]>/<sha>.<ext>`` under ``media_dir``, written to a temporary file
and moved into place atomically, and identical content is stored once.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import filetype

MAX_BYTES = 20 * 1024 * 1024  # Telegram bots may download files up to 20 MB

# Accepted content per kind of upload: extension -> MIME type, as stored.
PHOTO_TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "heic": "image/heic",
    "gif": "image/gif",
}
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "txt": "text/plain",
    "jpg": "image/jpeg",
    "png": "image/png",
}
ALLOWED_TYPES: dict[str, dict[str, str]] = {"photo": PHOTO_TYPES, "document": DOCUMENT_TYPES}


class RejectReason(StrEnum):
    TOO_LARGE = "too_large"
    WRONG_TYPE = "wrong_type"
    EMPTY = "empty"


class MediaRejected(Exception):
    """The content was not stored; ``reason`` says why."""

    def __init__(self, reason: RejectReason, detail: str = "") -> None:
        super().__init__(f"{reason.value}: {detail}" if detail else reason.value)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    relative_path: str  # relative to media_dir, with forward slashes
    mime_type: str
    size: int


def sniff_extension(content: bytes) -> str | None:
    """The extension the content really has (``txt`` for plain UTF-8 text), or None."""
    kind = filetype.guess(content)
    if kind is not None:
        return kind.extension
    return "txt" if _is_plain_text(content) else None


def _is_plain_text(content: bytes) -> bool:
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    # Control characters other than tab, newline, carriage return and form feed
    # betray a binary file that happens to decode.
    return not any(ord(ch) < 32 and ch not in "\t\n\r\f" for ch in text)


def store_file(
    media_dir: Path | str,
    content: bytes,
    *,
    allowed: set[str] | frozenset[str],
    max_bytes: int = MAX_BYTES,
) -> StoredFile:
    """Store ``content`` if it is one of the ``allowed`` kinds ("photo", "document").

    Raises :class:`MediaRejected` (and writes nothing) for empty, oversized or
    wrongly typed content.
    """
    if not content:
        raise MediaRejected(RejectReason.EMPTY)
    if len(content) > max_bytes:
        raise MediaRejected(RejectReason.TOO_LARGE, f"{len(content)} bytes > {max_bytes}")
    accepted: dict[str, str] = {}
    for kind in allowed:
        accepted.update(ALLOWED_TYPES[kind])
    extension = sniff_extension(content)
    if extension not in accepted:
        raise MediaRejected(RejectReason.WRONG_TYPE, extension or "unknown")

    sha = hashlib.sha256(content).hexdigest()
    relative = f"{sha[:2]}/{sha}.{extension}"
    target = Path(media_dir) / relative
    if not target.exists():
        _write_atomically(target, content)
    return StoredFile(sha256=sha, relative_path=relative, mime_type=accepted[extension], size=len(content))


def _write_atomically(target: Path, content: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    # The temporary file lives in the same folder so os.replace is a rename on one
    # file system: readers see either no file or the whole file.
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def media_path(media_dir: Path | str, relative_path: str) -> Path:
    """The absolute path of a stored file; refuses paths that leave ``media_dir``."""
    root = Path(media_dir).resolve()
    path = (root / relative_path).resolve()
    if not path.is_relative_to(root):
        raise ValueError(f"not inside the media folder: {relative_path!r}")
    return path

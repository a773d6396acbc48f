"""The archive (zip) of a year's sittings: one folder per sitting with its minutes,
photos, attendance list and a summary, the ledger itself, and ``manifest.sha256``
(``sha256sum -c`` format, paths relative to the archive root).

An archive larger than ``part_limit`` is split into several zips, each complete in
itself (the ledger, whole sitting folders where possible, and its own manifest), so
that every part fits Telegram's 50 MB upload limit. Entries carry timestamps from
the record data, so the same data gives the same bytes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from bot import texts
from bot.export.data import YearExport
from bot.export.ledger import minutes_state, reason_text
from bot.export.naming import UniqueNames, safe_name
from storage.media import media_path
from storage.models import Attachment, AttachmentKind
from storage.records import RecordDetail

MANIFEST = "manifest.sha256"
# Telegram bots may upload documents up to 50 MB; stay clear of it.
DEFAULT_PART_LIMIT = 45 * 1024 * 1024
_CHUNK = 1024 * 1024
# Content that is compressed already gains nothing from deflate (and may grow).
_STORED_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "gif", "webp", "heic", "pdf", "docx", "xlsx", "odt", "zip"})
_EXTENSION = re.compile(r"^[a-z0-9]{1,8}$")


@dataclass(frozen=True)
class Entry:
    """One file in the archive: bytes made here, or a media file on disk."""

    name: str  # path inside the archive, "/"-separated
    size: int
    stamp: datetime  # naive, branch zone
    data: bytes | None = None
    source: Path | None = None

    @property
    def compressed(self) -> bool:
        return PurePosixPath(self.name).suffix.lstrip(".").lower() not in _STORED_EXTENSIONS

    @property
    def estimate(self) -> int:
        """An upper bound of the bytes this entry adds to a zip, manifest line included."""
        name = len(self.name.encode())
        body = self.size + self.size // 100 + 64 if self.compressed else self.size
        return body + 2 * name + 160 + (66 + name + 1)


def sitting_entries(export: YearExport) -> list[list[Entry]]:
    """The files of every sitting, one list per sitting, in the order of the ledger."""
    folders = UniqueNames()
    return [_one_sitting(export, sitting, folders) for sitting in export.sittings]


def _one_sitting(export: YearExport, sitting: RecordDetail, folders: UniqueNames) -> list[Entry]:
    record = sitting.record
    parts = [record.held_on.isoformat(), export.system_name(record.system)]
    if record.group_key:
        parts.append(export.group_name(record.group_key))
    folder = folders.claim(safe_name("_".join(parts)))
    stamp = export.local(export.changed_at(sitting))
    files = UniqueNames()
    entries: list[Entry] = []
    missing: list[str] = []

    def add_bytes(stem: str, suffix: str, data: bytes) -> None:
        entries.append(Entry(f"{folder}/{files.claim(stem, suffix)}", len(data), stamp, data=data))

    if record.minutes_text:
        add_bytes(texts.EXPORT_MINUTES_STEM, ".txt", record.minutes_text.encode("utf-8"))
    minutes = [a for a in sitting.attachments if a.kind == AttachmentKind.MINUTES]
    photos = [a for a in sitting.attachments if a.kind == AttachmentKind.PHOTO]
    for stem, attachments in ((texts.EXPORT_MINUTES_STEM, minutes), (texts.EXPORT_PHOTO_STEM, photos)):
        numbered = len(attachments) > 1 or stem == texts.EXPORT_PHOTO_STEM
        for number, attachment in enumerate(attachments, start=1):
            name = files.claim(f"{stem}{number:02d}" if numbered else stem, "." + _extension(attachment))
            source = _source(export, attachment)
            if source is None:
                missing.append(name)
                continue
            when = export.local(attachment.created_at)
            entries.append(Entry(f"{folder}/{name}", source.stat().st_size, max(when, stamp), source=source))
    add_bytes(texts.EXPORT_ATTENDANCE_STEM, ".csv", _attendance_csv(sitting))
    add_bytes(texts.EXPORT_INFO_STEM, ".txt", _info_text(export, sitting, missing).encode("utf-8"))
    return entries


def _extension(attachment: Attachment) -> str:
    """The stored file's extension (decided from its content), else the sender's."""
    for candidate in (PurePosixPath(attachment.path).suffix, PurePosixPath(attachment.original_name or "").suffix):
        extension = candidate.lstrip(".").lower()
        if _EXTENSION.match(extension):
            return extension
    return "bin"


def _source(export: YearExport, attachment: Attachment) -> Path | None:
    try:
        path = media_path(export.media_dir, attachment.path)
    except ValueError:
        return None
    return path if path.is_file() else None


def _attendance_csv(sitting: RecordDetail) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(texts.EXPORT_ATTENDANCE_HEADERS)
    for line in sitting.attendance:
        reason = "" if line.present else texts.ABSENCE_REASONS.get(line.reason or "other", texts.ABSENCE_REASONS["other"])
        writer.writerow([line.name, texts.EXPORT_PRESENT if line.present else texts.EXPORT_ABSENT, reason])
    # With a byte order mark, Excel opens the UTF-8 file with the right encoding.
    return buffer.getvalue().encode("utf-8-sig")


def _info_text(export: YearExport, sitting: RecordDetail, missing: Sequence[str]) -> str:
    record = sitting.record
    verdicts = []
    for system in sitting.covers:
        verdict = export.verdicts.get((record.id, system))
        counts = verdict is not None and verdict.counts
        verdicts.append(
            texts.export_verdict_line(
                export.system_name(system), counts, "" if counts else reason_text(export, verdict)
            )
        )
    present = sum(1 for line in sitting.attendance if line.present)
    return texts.export_sitting_info(
        record_id=record.id,
        system=export.system_name(record.system),
        covers=[export.system_name(s) for s in sitting.covers if s != record.system],
        group=export.group_name(record.group_key),
        held_on=record.held_on,
        topic=record.topic,
        present=present,
        expected=len(sitting.attendance),
        verdicts=verdicts,
        minutes=minutes_state(sitting),
        photos=sum(1 for a in sitting.attachments if a.kind == AttachmentKind.PHOTO),
        logged_by=sitting.logged_by or "",
        logged_at=f"{export.local(record.logged_at):%Y-%m-%d %H:%M}",
        late=record.late,
        missing=list(missing),
    )


# -- packing -------------------------------------------------------------------------


def plan_parts(sittings: Sequence[Sequence[Entry]], *, fixed: int, limit: int) -> list[list[Entry]]:
    """Groups the entries into parts of at most ``limit`` bytes each (``fixed`` is what
    every part carries anyway: the ledger and the zip's own overhead). A sitting stays
    in one part unless it alone is too big; a single file larger than a part goes alone."""
    room = max(limit - fixed, 1)
    parts: list[list[Entry]] = [[]]
    used = 0
    for sitting in sittings:
        size = sum(entry.estimate for entry in sitting)
        if size <= room:
            if parts[-1] and used + size > room:
                parts.append([])
                used = 0
            parts[-1].extend(sitting)
            used += size
            continue
        for entry in sitting:
            if parts[-1] and used + entry.estimate > room:
                parts.append([])
                used = 0
            parts[-1].append(entry)
            used += entry.estimate
    return parts


def write_archives(
    export: YearExport,
    *,
    out_dir: Path,
    ledger_name: str,
    ledger: bytes,
    part_limit: int = DEFAULT_PART_LIMIT,
) -> list[Path]:
    """Writes the archive (or its parts) into ``out_dir``; returns the paths in order."""
    ledger_entry = Entry(ledger_name, len(ledger), export.local(export.as_of), data=ledger)
    fixed = ledger_entry.estimate + 4096  # the manifest's own entry and the central directory's end
    parts = plan_parts(sitting_entries(export), fixed=fixed, limit=part_limit)
    _remove_stale_parts(export, out_dir)
    paths = []
    for number, entries in enumerate(parts, start=1):
        name = texts.export_archive_name(safe_name(export.branch_name), export.year, number, len(parts))
        path = out_dir / name
        _write_zip(path, [ledger_entry, *entries], stamp=ledger_entry.stamp)
        paths.append(path)
    return paths


def _remove_stale_parts(export: YearExport, out_dir: Path) -> None:
    """An earlier export of the same year may have had more parts; they would mislead."""
    branch = safe_name(export.branch_name)
    ours = {
        texts.export_archive_name(branch, export.year, number, parts)
        for parts in range(1, 100)
        for number in range(1, parts + 1)
    }
    for path in out_dir.glob("*.zip"):
        if path.name in ours:
            path.unlink()


def _write_zip(path: Path, entries: Iterable[Entry], *, stamp: datetime) -> None:
    temporary = path.with_name(path.name + ".part")
    lines = []
    with zipfile.ZipFile(temporary, "w") as archive:
        for entry in entries:
            lines.append(f"{_write_entry(archive, entry)}  {entry.name}\n")
        manifest = "".join(lines).encode("utf-8")
        _write_entry(archive, Entry(MANIFEST, len(manifest), stamp, data=manifest))
    os.replace(temporary, path)


def _write_entry(archive: zipfile.ZipFile, entry: Entry) -> str:
    """Adds one entry; returns the sha256 of its content, computed while writing."""
    info = zipfile.ZipInfo(entry.name, date_time=_zip_time(entry.stamp))
    info.compress_type = zipfile.ZIP_DEFLATED if entry.compressed else zipfile.ZIP_STORED
    info.create_system = 3  # Unix, whatever the exporting machine: same bytes everywhere
    info.external_attr = 0o644 << 16
    digest = hashlib.sha256()
    with archive.open(info, "w") as target:
        if entry.data is not None:
            digest.update(entry.data)
            target.write(entry.data)
        else:
            with entry.source.open("rb") as source:
                while chunk := source.read(_CHUNK):
                    digest.update(chunk)
                    target.write(chunk)
    return digest.hexdigest()


def _zip_time(stamp: datetime) -> tuple[int, int, int, int, int, int]:
    stamp = max(stamp, datetime(1980, 1, 1))
    return (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)


def write_manifest(out_dir: Path, files: Sequence[Path]) -> Path:
    """``manifest.sha256`` in ``out_dir`` over ``files`` (names relative to ``out_dir``)."""
    lines = []
    for path in files:
        digest = hashlib.sha256()
        with path.open("rb") as stream:
            while chunk := stream.read(_CHUNK):
                digest.update(chunk)
        lines.append(f"{digest.hexdigest()}  {path.relative_to(out_dir).as_posix()}\n")
    manifest = out_dir / MANIFEST
    manifest.write_text("".join(lines), encoding="utf-8")
    return manifest

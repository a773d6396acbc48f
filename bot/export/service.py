"""One year's export, end to end: the ledger, the archive (in parts if needed) and
the manifest beside them. Used by ``zhibu export`` and by ``/export``."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bot import texts
from bot.context import AppContext
from bot.export.archive import DEFAULT_PART_LIMIT, write_archives, write_manifest
from bot.export.data import load_year
from bot.export.ledger import build_ledger
from bot.export.naming import safe_name


class OutDirError(Exception):
    """The output folder cannot be made or written; the text says why (one line)."""


@dataclass(frozen=True)
class ExportResult:
    ledger: Path
    archives: tuple[Path, ...]
    manifest: Path
    sittings: int

    @property
    def files(self) -> tuple[Path, ...]:
        return (self.ledger, *self.archives, self.manifest)


def prepare_out_dir(out_dir: Path | str) -> Path:
    """Makes ``out_dir`` if needed and proves it writable; raises :class:`OutDirError`."""
    path = Path(out_dir)
    try:
        path.mkdir(parents=True, exist_ok=True)
        # os.access lies for root and on some network file systems: try for real.
        handle, probe = tempfile.mkstemp(dir=path, prefix=".zhibu-probe-")
        os.close(handle)
        os.unlink(probe)
    except OSError as exc:
        raise OutDirError(f"{path}: cannot write there ({exc.strerror or exc})") from None
    return path


def export_year(
    context: AppContext, *, year: int, out_dir: Path | str, part_limit: int = DEFAULT_PART_LIMIT
) -> ExportResult:
    """Writes the year's ledger, archive part(s) and ``manifest.sha256`` into ``out_dir``."""
    path = prepare_out_dir(out_dir)
    config = context.config
    with context.session() as session:
        export = load_year(
            session,
            ruleset=context.ruleset,
            branch_name=config.branch.name,
            zone=context.zone,
            media_dir=config.media_dir,
            year=year,
            today=context.today(),
        )
    ledger_bytes = build_ledger(export)
    ledger = path / texts.export_ledger_name(safe_name(export.branch_name), year)
    ledger.write_bytes(ledger_bytes)
    archives = write_archives(export, out_dir=path, ledger_name=ledger.name, ledger=ledger_bytes, part_limit=part_limit)
    manifest = write_manifest(path, [ledger, *archives])
    return ExportResult(ledger=ledger, archives=tuple(archives), manifest=manifest, sittings=len(export.sittings))

"""Reading what the export wrote: workbook rows, zip members, manifests."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.export.service import ExportResult, export_year


def run_export(branch, year: int = 2026, **kwargs) -> ExportResult:
    return export_year(branch.context, year=year, out_dir=branch.out, **kwargs)


def workbook(data: bytes | Path):
    return load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data)


def rows(sheet: Worksheet) -> list[tuple]:
    """Non-empty rows as value tuples."""
    return [row for row in sheet.iter_rows(values_only=True) if any(v is not None for v in row)]


def as_dicts(sheet: Worksheet) -> list[dict]:
    """Rows below the header row, keyed by the header."""
    header, *body = rows(sheet)
    return [dict(zip(header, row, strict=True)) for row in body]


def grid(sheet: Worksheet) -> dict[str, list[str]]:
    """The summary's month grid: row label -> 12 cells ("" for blank)."""
    values = rows(sheet)
    start = next(i for i, row in enumerate(values) if row[1] == "1月")
    result = {}
    for row in values[start + 1 :]:
        if row[0] == "图例":
            break
        result[row[0]] = [cell or "" for cell in row[1:13]]
    return result


def table_after(sheet: Worksheet, title: str) -> dict[str, tuple]:
    """The completion table under ``title``: name -> (due, done, rate)."""
    values = rows(sheet)
    start = next(i for i, row in enumerate(values) if row[0] == title)
    result = {}
    for row in values[start + 2 :]:
        if row[1] is None:
            break
        result[row[0]] = tuple(row[1:4])
    return result


def verify_manifest(manifest: str, read) -> list[str]:
    """Checks every line of a sha256sum manifest; returns the paths it names."""
    paths = []
    for line in manifest.splitlines():
        digest, path = line.split("  ", 1)
        assert hashlib.sha256(read(path)).hexdigest() == digest, f"checksum mismatch: {path}"
        paths.append(path)
    return paths


def verify_zip(path: Path) -> list[str]:
    """Opens an archive, checks its manifest against every member; returns the member names."""
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        listed = verify_manifest(archive.read("manifest.sha256").decode("utf-8"), archive.read)
    assert sorted(listed) == sorted(n for n in names if n != "manifest.sha256"), "manifest must cover every file"
    return names

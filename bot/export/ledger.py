"""The year's ledger (台账) as an xlsx workbook: a summary sheet (the month-by-system
grid, a legend, completion rates), one sheet per system with every sitting that
covers it, and the audit sheet. Bytes are deterministic for the same data and day."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from bot import texts
from bot.export.audit_text import action_text, after_text, before_text, field_text
from bot.export.data import YearExport
from bot.export.grid import (
    GRID_COLOURS,
    GRID_SYMBOLS,
    Completion,
    completion_by_group,
    completion_by_system,
    year_grid,
)
from scheduling.obligations import Reason, Status, Verdict
from storage.models import AttachmentKind
from storage.records import RecordDetail

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_THIN = Side(style="thin", color="BFBFBF")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="center")
# Excel forbids these in sheet names, and a name may have at most 31 characters.
_SHEET_FORBIDDEN = str.maketrans({ch: "_" for ch in "[]:*?/\\"})

_SITTING_WIDTHS = (12, 30, 14, 16, 10, 28, 30, 8, 34, 9, 7, 10, 17, 6, 9)
_AUDIT_WIDTHS = (17, 10, 9, 34, 10, 12, 36, 36)
_LEGEND = (Status.DONE, Status.OVERDUE, Status.INVALID, Status.DUE_SOON, Status.OPEN, Status.UPCOMING)


def build_ledger(export: YearExport) -> bytes:
    """The workbook's bytes."""
    workbook = Workbook()
    _summary_sheet(workbook.active, export)
    for rule in export.ruleset.systems:
        sittings = [s for s in export.sittings if rule.key in s.covers]
        if rule.enabled or sittings:
            _system_sheet(workbook.create_sheet(_sheet_title(rule.name)), export, rule.key, sittings)
    _audit_sheet(workbook.create_sheet(texts.EXPORT_SHEET_AUDIT), export)
    return _deterministic_bytes(workbook, export.local(export.as_of))


# -- summary -------------------------------------------------------------------------


def _summary_sheet(sheet: Worksheet, export: YearExport) -> None:
    sheet.title = texts.EXPORT_SHEET_SUMMARY
    sheet["A1"] = texts.export_ledger_title(export.branch_name, export.year)
    sheet["A1"].font = _TITLE
    sheet["A2"] = texts.export_as_of(export.today)
    grid = year_grid(export.ruleset, export.statuses, export.year)
    header_row = 4
    _header(sheet, header_row, [texts.EXPORT_GRID_CORNER, *grid.columns])
    for offset, row in enumerate(grid.rows, start=1):
        sheet.cell(header_row + offset, 1, row.label).border = _BOX
        for column, value in enumerate(row.cells, start=2):
            cell = sheet.cell(header_row + offset, column, GRID_SYMBOLS.get(value, "") if value else "")
            cell.fill = PatternFill("solid", fgColor=GRID_COLOURS.get(value, GRID_COLOURS[""]))
            cell.alignment = _CENTER
            cell.border = _BOX
    if not grid.rows:
        sheet.cell(header_row + 1, 1, texts.EXPORT_NO_SYSTEMS)
    sheet.freeze_panes = sheet.cell(header_row + 1, 2)
    row = header_row + max(len(grid.rows), 1) + 2
    sheet.cell(row, 1, texts.EXPORT_LEGEND_TITLE).font = _BOLD
    for status in _LEGEND:
        row += 1
        symbol = sheet.cell(row, 1, GRID_SYMBOLS[status] or texts.EXPORT_BLANK)
        symbol.fill = PatternFill("solid", fgColor=GRID_COLOURS[status])
        symbol.alignment = _CENTER
        sheet.cell(row, 2, texts.STATUS_NAMES[status])
    row = _completion_table(sheet, row + 2, texts.EXPORT_COMPLETION_BY_SYSTEM, completion_by_system(export.ruleset, export.statuses))
    _completion_table(sheet, row + 2, texts.EXPORT_COMPLETION_BY_GROUP, completion_by_group(export.ruleset, export.statuses))
    sheet.column_dimensions["A"].width = 34
    for column in range(2, 14):
        sheet.column_dimensions[get_column_letter(column)].width = 7


def _completion_table(sheet: Worksheet, row: int, title: str, lines: list[Completion]) -> int:
    """Writes the table from ``row``; returns the last row used."""
    sheet.cell(row, 1, title).font = _BOLD
    _header(sheet, row + 1, texts.EXPORT_COMPLETION_HEADERS)
    row += 1
    for line in lines:
        row += 1
        sheet.cell(row, 1, line.label)
        sheet.cell(row, 2, line.due)
        sheet.cell(row, 3, line.done)
        rate = sheet.cell(row, 4, line.rate if line.rate is not None else texts.EXPORT_NOT_DUE)
        rate.number_format = "0%"
        rate.alignment = Alignment(horizontal="right")
    if not lines:
        row += 1
        sheet.cell(row, 1, texts.EXPORT_NOTHING)
    return row


# -- one sheet per system ------------------------------------------------------------


def _system_sheet(sheet: Worksheet, export: YearExport, system: str, sittings: Sequence[RecordDetail]) -> None:
    _header(sheet, 1, texts.EXPORT_SITTING_HEADERS)
    for row, sitting in enumerate(sittings, start=2):
        values = _sitting_row(export, system, sitting)
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row, column, value)
            cell.alignment = _WRAP
            cell.border = _BOX
        sheet.cell(row, 1).number_format = "yyyy-mm-dd"
        sheet.cell(row, 13).number_format = "yyyy-mm-dd hh:mm"
        verdict = sheet.cell(row, 8)
        verdict.fill = PatternFill("solid", fgColor=GRID_COLOURS[Status.DONE if verdict.value == texts.EXPORT_COUNTS else Status.OVERDUE])
    if not sittings:
        sheet.cell(2, 1, texts.EXPORT_NO_SITTINGS)
    _widths(sheet, _SITTING_WIDTHS)
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(texts.EXPORT_SITTING_HEADERS))}{max(len(sittings), 1) + 1}"


def _sitting_row(export: YearExport, system: str, sitting: RecordDetail) -> list:
    record = sitting.record
    rule = export.ruleset.system(system) if export.ruleset.has_system(system) else None
    group = record.group_key if rule is None or rule.group_scoped else None
    present = sum(1 for line in sitting.attendance if line.present)
    expected = len(sitting.attendance)
    if not expected and rule is not None:
        expected = len(export.ruleset.roster.expected_attendees(rule, group))
    verdict = export.verdicts.get((record.id, system))
    counts = verdict is not None and verdict.counts
    return [
        record.held_on,
        record.topic,
        export.group_name(record.group_key),
        "、".join(_responsible(export, system, group)),
        f"{present}/{expected}",
        "、".join(
            f"{line.name}（{texts.ABSENCE_REASONS.get(line.reason, texts.ABSENCE_REASONS['other'])}）"
            for line in sitting.attendance
            if not line.present
        ),
        "、".join(export.system_name(key) for key in sitting.covers),
        texts.EXPORT_COUNTS if counts else texts.EXPORT_NOT_COUNTED,
        "" if counts else reason_text(export, verdict),
        minutes_state(sitting),
        sum(1 for a in sitting.attachments if a.kind == AttachmentKind.PHOTO),
        sitting.logged_by or "",
        export.local(record.logged_at),
        texts.EXPORT_LATE if record.late else "",
        record.id,
    ]


def _responsible(export: YearExport, system: str, group: str | None) -> tuple[str, ...]:
    if not export.ruleset.has_system(system):
        return ()
    try:
        return export.ruleset.responsible_for(export.ruleset.system(system), group)
    except KeyError:  # a group removed from the config since
        return ()


def minutes_state(sitting: RecordDetail) -> str:
    """有 (text or a document), 待补 (deferred), or 无."""
    record = sitting.record
    if record.minutes_text or any(a.kind == AttachmentKind.MINUTES for a in sitting.attachments):
        return texts.EXPORT_MINUTES_PRESENT
    return texts.EXPORT_MINUTES_PENDING if record.minutes_deferred else texts.EXPORT_MINUTES_NONE


def reason_text(export: YearExport, verdict: Verdict | None) -> str:
    """Why a sitting does not count, in Chinese, with the numbers behind it."""
    if verdict is None:
        return texts.REASON_NAMES["system_disabled"]
    details = verdict.details or {}
    parts = []
    for reason in verdict.reasons:
        text = texts.REASON_NAMES.get(reason.value, reason.value)
        if reason is Reason.QUORUM_NOT_MET and "present" in details:
            text += texts.export_quorum_numbers(details["present"], details["expected"], details.get("needed"))
        elif reason is Reason.OUTSIDE_WINDOW and "window" in details:
            text += texts.export_window_months(*details["window"])
        parts.append(text)
    return "；".join(parts)


# -- audit ---------------------------------------------------------------------------


def _audit_sheet(sheet: Worksheet, export: YearExport) -> None:
    _header(sheet, 1, texts.EXPORT_AUDIT_HEADERS)
    by_id = {s.record.id: s for s in export.sittings}
    for row, entry in enumerate(export.audit, start=2):
        sitting = by_id.get(entry.record_id)
        about = (
            texts.export_record_label(sitting.record.held_on, export.system_name(sitting.record.system), sitting.record.topic)
            if sitting
            else ""
        )
        values = [
            export.local(entry.at),
            entry.actor_name,
            entry.record_id,
            about,
            action_text(entry),
            field_text(entry),
            before_text(entry),
            after_text(entry),
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row, column, value)
            cell.alignment = _WRAP
            cell.border = _BOX
        sheet.cell(row, 1).number_format = "yyyy-mm-dd hh:mm"
    if not export.audit:
        sheet.cell(2, 1, texts.EXPORT_NO_AUDIT)
    _widths(sheet, _AUDIT_WIDTHS)
    sheet.freeze_panes = "A2"


# -- helpers -------------------------------------------------------------------------


def _header(sheet: Worksheet, row: int, labels: Sequence[str]) -> None:
    for column, label in enumerate(labels, start=1):
        cell = sheet.cell(row, column, label)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.alignment = _CENTER
        cell.border = _BOX


def _widths(sheet: Worksheet, widths: Sequence[int]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _sheet_title(name: str) -> str:
    return name.translate(_SHEET_FORBIDDEN)[:31]


def _deterministic_bytes(workbook: Workbook, stamp: datetime) -> bytes:
    """Save with fixed document dates and zip timestamps (openpyxl stamps "now")."""
    workbook.properties.creator = texts.EXPORT_CREATOR
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    raw = io.BytesIO()
    ExcelWriter(workbook, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    fixed = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_zip_time(stamp))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3  # as on Unix, whatever the exporting machine: same bytes everywhere
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info))
    return fixed.getvalue()


def _zip_time(stamp: datetime) -> tuple[int, int, int, int, int, int]:
    stamp = max(stamp, datetime(1980, 1, 1))
    return (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)

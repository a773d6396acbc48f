"""The year's month-by-system grid: one row per system (per group for group
systems), one column per month; a quarter or year obligation spans its months.

Shared by the ledger's summary sheet and the PNG chart, so both say the same thing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot import texts
from scheduling.obligations import ObligationStatus, Status
from scheduling.rules import Ruleset

MONTHS = tuple(range(1, 13))
MONTH_LABELS = tuple(texts.month_label(m) for m in MONTHS)

# What an inspector reads in a cell: done, overdue, needs attention; blank = not yet begun.
GRID_SYMBOLS = {
    Status.DONE: "✓",
    Status.OVERDUE: "✗",
    Status.INVALID: "⚠",
    Status.DUE_SOON: "⚠",
    Status.OPEN: "⚠",
    Status.UPCOMING: "",
}

# Cell colours (RGB hex), one per status; "" is a cell with no obligation.
GRID_COLOURS = {
    Status.DONE: "C6EFCE",
    Status.OVERDUE: "FFC7CE",
    Status.INVALID: "F4B183",
    Status.DUE_SOON: "FFEB9C",
    Status.OPEN: "DDEBF7",
    Status.UPCOMING: "F2F2F2",
    "": "FFFFFF",
}

# Statuses that enter the completion rate: done (even early), or past the deadline
# (compliance() reports every past, unmet obligation as overdue, invalid ones included).
_SETTLED = (Status.DONE, Status.OVERDUE)


@dataclass(frozen=True)
class GridRow:
    system: str
    group: str | None
    label: str  # 党小组会（第一党小组）
    cells: tuple[str, ...]  # one Status value per month, "" where nothing is due


@dataclass(frozen=True)
class Completion:
    """How many obligations were due (deadline passed, or done early) and how many are done."""

    label: str
    due: int
    done: int

    @property
    def rate(self) -> float | None:
        return self.done / self.due if self.due else None


@dataclass(frozen=True)
class YearGrid:
    year: int
    rows: tuple[GridRow, ...]
    columns: tuple[str, ...] = MONTH_LABELS


def row_label(ruleset: Ruleset, system: str, group: str | None) -> str:
    """The system's Chinese name, with the group's name for a group system."""
    name = ruleset.system(system).name
    if group is None:
        return name
    return f"{name}（{ruleset.roster.group(group).name}）"


def year_grid(ruleset: Ruleset, statuses: Iterable[ObligationStatus], year: int) -> YearGrid:
    """The grid of ``statuses`` (all obligations of ``year``), rows in the rules' order."""
    rows: dict[tuple[str, str | None], list[str]] = {}
    for status in statuses:
        obligation = status.obligation
        if obligation.period.year != year:
            continue
        cells = rows.setdefault((obligation.system, obligation.group), [""] * 12)
        first, last = obligation.period.start.month, obligation.period.end.month
        for month in range(first, last + 1):
            cells[month - 1] = str(status.status)
    return YearGrid(
        year=year,
        rows=tuple(
            GridRow(system, group, row_label(ruleset, system, group), tuple(cells))
            for (system, group), cells in rows.items()
        ),
    )


def completion_by_system(ruleset: Ruleset, statuses: Iterable[ObligationStatus]) -> list[Completion]:
    """One line per system (all groups together), in the rules' order."""
    return _completion(statuses, lambda s: s.obligation.system, lambda key: ruleset.system(key).name)


def completion_by_group(ruleset: Ruleset, statuses: Iterable[ObligationStatus]) -> list[Completion]:
    """One line per party group, over the group systems' obligations."""
    group_statuses = [s for s in statuses if s.obligation.group is not None]
    return _completion(group_statuses, lambda s: s.obligation.group, lambda key: ruleset.roster.group(key).name)


def _completion(statuses, key_of, label_of) -> list[Completion]:
    counts: dict[str, list[int]] = {}
    for status in statuses:
        due_done = counts.setdefault(key_of(status), [0, 0])
        if status.status in _SETTLED:
            due_done[0] += 1
        if status.status is Status.DONE:
            due_done[1] += 1
    return [Completion(label_of(key), due, done) for key, (due, done) in counts.items()]


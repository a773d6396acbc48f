"""The month-by-system grid as a PNG coloured by status (``/status YEAR``).

Drawn on a bare :class:`~matplotlib.figure.Figure` with the Agg canvas: no pyplot
global state, so it is safe from the bot's worker threads.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence

from bot.export.fonts import cjk_font, symbol_font  # sets the Agg backend first
from bot.export.grid import GRID_COLOURS, GRID_SYMBOLS, YearGrid
from bot.texts import STATUS_NAMES
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from scheduling.obligations import Status

DPI = 150
CELL_W = 0.55  # inches
CELL_H = 0.38
LABEL_CHAR_W = 0.15  # inches per full-width character at the label size
_LEGEND_ORDER = (Status.DONE, Status.OVERDUE, Status.INVALID, Status.DUE_SOON, Status.OPEN, Status.UPCOMING)


def render_grid_png(
    *,
    title: str,
    systems: Sequence[str],
    columns: Sequence[str],
    cells: Sequence[Sequence[str]],
) -> bytes:
    """A PNG of the grid: ``systems`` are the row labels (Chinese), ``columns`` the
    column labels (months), ``cells[row][column]`` a :class:`Status` value or "" where
    nothing is due. Each cell is coloured by status and carries its symbol (✓ ✗ ⚠)."""
    if len(cells) != len(systems) or any(len(row) != len(columns) for row in cells):
        raise ValueError("cells must have one row per system and one value per column")
    label_w = LABEL_CHAR_W * max((_display_width(s) for s in systems), default=4) / 2 + 0.3
    width = label_w + CELL_W * max(len(columns), 1) + 0.4
    height = CELL_H * (len(systems) + 1) + 1.5
    figure = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_axes(
        (label_w / width, 0.9 / height, (width - label_w - 0.2) / width, CELL_H * (len(systems) + 1) / height)
    )
    _draw_cells(axes, systems, columns, cells)
    figure.text(0.5, 1 - 0.3 / height, title, ha="center", va="center", fontproperties=cjk_font(), fontsize=13)
    _draw_legend(figure, width, height)
    buffer = io.BytesIO()
    # No "Software" chunk: the same grid gives the same bytes on any matplotlib version.
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def render_year_grid_png(grid: YearGrid, *, title: str) -> bytes:
    """:func:`render_grid_png` for a :class:`YearGrid` (see :func:`bot.export.grid.year_grid`)."""
    return render_grid_png(
        title=title,
        systems=[row.label for row in grid.rows],
        columns=list(grid.columns),
        cells=[list(row.cells) for row in grid.rows],
    )


def _draw_cells(axes, systems, columns, cells) -> None:
    rows = len(systems)
    axes.set_xlim(0, max(len(columns), 1))
    axes.set_ylim(rows + 1, 0)  # row 0 is the header, drawn inside the axes
    axes.axis("off")
    for column, label in enumerate(columns):
        axes.text(column + 0.5, 0.5, label, ha="center", va="center", fontproperties=cjk_font(), fontsize=9)
    for row, label in enumerate(systems, start=1):
        axes.text(-0.15, row + 0.5, label, ha="right", va="center", fontproperties=cjk_font(), fontsize=9)
        for column, value in enumerate(cells[row - 1]):
            colour = "#" + GRID_COLOURS.get(value, GRID_COLOURS[""])
            axes.add_patch(Rectangle((column, row), 1, 1, facecolor=colour, edgecolor="#BFBFBF", linewidth=0.8))
            symbol = GRID_SYMBOLS.get(value, "") if value else ""
            if symbol:
                axes.text(column + 0.5, row + 0.5, symbol, ha="center", va="center", fontproperties=symbol_font(), fontsize=11)


def _draw_legend(figure, width: float, height: float) -> None:
    """A row of sample cells, each with its symbol and the status's Chinese name."""
    step = (width - 0.4) / len(_LEGEND_ORDER)
    size = 0.22  # inches
    for index, status in enumerate(_LEGEND_ORDER):
        left = 0.2 + index * step
        figure.add_artist(
            Rectangle(
                (left / width, 0.25 / height), size / width, size / height,
                facecolor="#" + GRID_COLOURS[status], edgecolor="#BFBFBF", transform=figure.transFigure,
            )
        )
        if GRID_SYMBOLS[status]:
            figure.text(
                (left + size / 2) / width, (0.25 + size / 2) / height, GRID_SYMBOLS[status],
                ha="center", va="center", fontproperties=symbol_font(), fontsize=8,
            )
        figure.text(
            (left + size + 0.06) / width, (0.25 + size / 2) / height, STATUS_NAMES[status],
            ha="left", va="center", fontproperties=cjk_font(), fontsize=8,
        )


def _display_width(text: str) -> int:
    """Columns the text takes: 2 for a full-width character, 1 otherwise."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

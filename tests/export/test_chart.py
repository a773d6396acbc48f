"""The month-by-system chart: a real PNG of a sensible size, drawn with the bundled
Chinese font (no system font assumed), coloured by status."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image

from bot.config import load_config
from bot.export import chart
from bot.export.fonts import cjk_font, cjk_font_path
from bot.export.grid import GRID_COLOURS, completion_by_system, year_grid
from scheduling.obligations import compliance
from tests.conftest import EXAMPLE_CONFIG

MONTHS = [f"{m}月" for m in range(1, 13)]


def _png(data: bytes) -> Image.Image:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(data))
    image.verify()
    return Image.open(io.BytesIO(data)).convert("RGB")


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))


def test_the_chart_is_a_png_of_a_sensible_size():
    rows = ["支部党员大会", "党小组会（第一党小组）", "党员领导干部民主生活会"]
    cells = [["done"] * 12, ["overdue"] * 6 + ["upcoming"] * 6, ["open"] * 12]

    image = _png(chart.render_grid_png(title="机关党支部 2026 年完成情况", systems=rows, columns=MONTHS, cells=cells))

    width, height = image.size
    assert 1000 <= width <= 2500 and 300 <= height <= 1500
    colours = {colour for _, colour in image.getcolors(maxcolors=1_000_000)}
    for status in ("done", "overdue", "open"):
        assert _rgb(GRID_COLOURS[status]) in colours, f"no cell coloured for {status}"


def test_more_rows_make_a_taller_chart():
    def height(count: int) -> int:
        cells = [["done"] * 12 for _ in range(count)]
        return _png(chart.render_grid_png(title="t", systems=["党课"] * count, columns=MONTHS, cells=cells)).size[1]

    assert height(12) > height(3)


def test_the_chinese_labels_use_the_font_the_project_installs():
    path = cjk_font_path()

    assert path.is_file() and path.name == "NotoSansSC-Regular.otf"
    assert "site-packages" in str(path) or "dist-packages" in str(path)  # a dependency, not the system
    assert cjk_font().get_file() == str(path)
    from matplotlib import ft2font

    charmap = ft2font.FT2Font(str(path)).get_charmap()
    assert all(ord(ch) in charmap for ch in "支部党员大会党小组会民主生活会组织评议委员党课月")


def test_the_same_grid_renders_to_the_same_bytes():
    def render() -> bytes:
        return chart.render_grid_png(title="二〇二六", systems=["党课"], columns=MONTHS, cells=[["done"] * 12])

    assert render() == render()


@pytest.mark.parametrize(
    ("systems", "cells"),
    [
        pytest.param(["党课"], [["done"] * 11], id="a-row-too-short"),
        pytest.param(["党课", "支部委员会"], [["done"] * 12], id="a-row-missing"),
    ],
)
def test_a_grid_of_the_wrong_shape_is_refused(systems, cells):
    with pytest.raises(ValueError):
        chart.render_grid_png(title="t", systems=systems, columns=MONTHS, cells=cells)


def test_the_year_grid_spans_quarters_and_years_over_their_months():
    ruleset = load_config(EXAMPLE_CONFIG).ruleset()
    statuses = compliance(ruleset, [], date(2026, 5, 10), 2026)

    grid = year_grid(ruleset, statuses, 2026)

    rows = {row.label: row.cells for row in grid.rows}
    assert rows["支部党员大会"] == ("overdue",) * 3 + ("open",) * 3 + ("upcoming",) * 6
    assert rows["支部委员会"] == ("overdue",) * 4 + ("open",) + ("upcoming",) * 7
    assert rows["党员组织生活会（第二党小组）"] == ("open",) * 12
    assert list(grid.columns) == MONTHS
    image = _png(chart.render_year_grid_png(grid, title="机关党支部 2026 年完成情况"))
    assert image.size[1] > 400
    committee = next(c for c in completion_by_system(ruleset, statuses) if c.label == "支部委员会")
    assert (committee.due, committee.done, committee.rate) == (4, 0, 0)

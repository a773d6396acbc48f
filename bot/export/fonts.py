"""Fonts for charts, shipped by the project's own dependencies (no system font is assumed).

Chinese text uses Noto Sans SC from the ``pylopdf-fonts-zh-cn`` package (SIL OFL);
the status symbols ✓ ✗ ⚠ use DejaVu Sans, which matplotlib itself ships, because the
Noto subset lacks ✗.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless: the bot and the CLI never open a window

from matplotlib import font_manager  # noqa: E402


def cjk_font_path() -> Path:
    """The bundled Simplified Chinese font file."""
    import pylopdf_fonts_zh_cn

    return Path(pylopdf_fonts_zh_cn.sans_path())


def symbol_font_path() -> Path:
    """matplotlib's own DejaVu Sans, which has ✓ ✗ ⚠."""
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


@cache
def cjk_font() -> font_manager.FontProperties:
    """Font properties that point at the bundled CJK file itself, never at a look-alike."""
    return font_manager.FontProperties(fname=str(cjk_font_path()))


@cache
def symbol_font() -> font_manager.FontProperties:
    return font_manager.FontProperties(fname=str(symbol_font_path()))

"""The export code is heavy (openpyxl, numpy, Pillow): the running bot loads it on the
first /export, not at start-up, which keeps the idle bot's memory down."""

from __future__ import annotations

import subprocess
import sys

from bot.export.archive import DEFAULT_PART_LIMIT
from bot.handlers import export as export_handler


def test_the_chat_part_limit_is_the_archives_default():
    assert export_handler.PART_LIMIT == DEFAULT_PART_LIMIT


def test_starting_the_bot_does_not_load_the_export_libraries():
    probe = (
        "import sys, bot.app, bot.handlers.export, bot.handlers.queries; "
        "print(sorted(m for m in ('openpyxl', 'numpy', 'PIL', 'matplotlib') if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"

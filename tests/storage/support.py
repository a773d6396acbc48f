"""Helpers for the command-line tests of the storage area: a branch config on disk
pointing at a given database, and running ``zhibu`` in-process."""

from __future__ import annotations

import re
from pathlib import Path

from bot.cli import main
from tests.conftest import EXAMPLE_CONFIG


def branch_config(folder: Path, *, database_url: str | None = None, token: str | None = None,
                  extra: str = "") -> Path:
    """The example branch's config written into ``folder`` (its relative paths resolve there)."""
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    if database_url is not None:
        text = re.sub(r'(?m)^url = "sqlite:///data/zhibu.db".*$', f'url = "{database_url}"', text)
    if token is None:
        text = re.sub(r'(?m)^token = .*$', "", text)
    else:
        text = re.sub(r'(?m)^token = .*$', f'token = "{token}"', text)
    path = folder / "config.toml"
    path.write_text(text + extra, encoding="utf-8")
    return path


def zhibu(capsys, *argv: str) -> tuple[int, str, str]:
    """Run ``zhibu`` in this process; the exit code, stdout and stderr."""
    capsys.readouterr()
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err

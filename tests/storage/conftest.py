"""Fixtures for the storage tests: configs written as TOML, and a roster in the database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.config import Config, load_config
from storage.db import session_scope
from storage.roster import sync_roster
from tests.conftest import EXAMPLE_CONFIG


def member_toml(name: str, roles: str = '"member"', group: str | None = "g1", telegram_id: int | None = None) -> str:
    lines = ["[[members]]", f'name = "{name}"', f"roles = [{roles}]"]
    if group:
        lines.append(f'group = "{group}"')
    if telegram_id is not None:
        lines.append(f"telegram_id = {telegram_id}")
    return "\n".join(lines) + "\n"


GROUPS = """
[[groups]]
key = "g1"
name = "第一党小组"
leader = "常天民"
"""

SECRETARY = member_toml("常天民", '"secretary", "committee", "leadership"')


@pytest.fixture
def write_config(tmp_path) -> Callable[..., Config]:
    """Write a config from TOML text (plus a secretary and group g1 unless given) and load it."""
    counter = iter(range(1000))

    def write(text: str, *, with_defaults: bool = True) -> Config:
        body = (GROUPS + SECRETARY + text) if with_defaults else text
        path: Path = tmp_path / f"config-{next(counter)}.toml"
        path.write_text(body, encoding="utf-8")
        return load_config(path)

    return write


@pytest.fixture
def example_config() -> Config:
    return load_config(EXAMPLE_CONFIG)


@pytest.fixture
def synced(engine, example_config, clock):
    """An engine whose roster is the example branch's."""
    with session_scope(engine) as session:
        sync_roster(session, example_config, now=clock.now())
    return engine

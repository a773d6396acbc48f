"""Shared fixtures: a fresh database per test, on SQLite and (when
ZHIBU_TEST_POSTGRES_URL is set, as in CI) on PostgreSQL; a virtual clock."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from scheduling.clock import VirtualClock
from storage.db import make_engine, upgrade

SHANGHAI = ZoneInfo("Asia/Shanghai")
POSTGRES_URL = os.environ.get("ZHIBU_TEST_POSTGRES_URL")
REPO = Path(__file__).resolve().parent.parent
EXAMPLE_CONFIG = REPO / "config.example.toml"

BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(not POSTGRES_URL, reason="set ZHIBU_TEST_POSTGRES_URL to run on PostgreSQL"),
        ],
    ),
]


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> Iterator[str]:
    """The URL of a fresh, empty database (not yet migrated)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'zhibu.db'}"
        return
    name = f"zhibu_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.engine.make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def engine(db_url) -> Iterator[sa.engine.Engine]:
    """A migrated, empty database."""
    engine = make_engine(db_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def clock() -> VirtualClock:
    """A virtual clock at 2026-03-02 08:00 in Shanghai (a Monday, a workday)."""
    return VirtualClock(datetime(2026, 3, 2, 8, 0, tzinfo=SHANGHAI))

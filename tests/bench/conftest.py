"""Tiny sizes for the benchmark smoke tests: they check that each benchmark runs and
that its counts add up — never how fast anything was."""

from __future__ import annotations

import pytest

from bench.branch import BranchShape
from tests.conftest import POSTGRES_URL

TINY = BranchShape(members=12, groups=2)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=[
    pytest.mark.postgres, pytest.mark.skipif(not POSTGRES_URL, reason="set ZHIBU_TEST_POSTGRES_URL")])])
def server(request) -> str | None:
    """None for SQLite, else the PostgreSQL server the benchmark makes its database on."""
    return None if request.param == "sqlite" else POSTGRES_URL

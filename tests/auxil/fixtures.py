"""Pytest fixtures for end-to-end tests. Import them into a conftest.py:

    from tests.auxil.fixtures import fake_api, running_bot  # noqa: F401
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.auxil.fake_bot_api import FakeBotApi
from tests.auxil.harness import BotHarness, write_test_config


@pytest.fixture
async def fake_api(clock) -> AsyncIterator[FakeBotApi]:
    """A running fake Bot API; the test fails if the bot made a call Telegram would reject."""
    async with FakeBotApi(now=clock) as fake:
        yield fake
        fake.assert_no_violations()


@pytest.fixture
async def running_bot(fake_api, db_url, tmp_path, clock) -> AsyncIterator[BotHarness]:
    """The real bot (example roster) polling the fake API, on a fresh database."""
    path = write_test_config(tmp_path, db_url, fake_api)
    async with BotHarness(fake_api, path, clock=clock) as harness:
        yield harness

"""The scheduler inside the bot: jobs rebuilt with explicit ids and on purpose
misfire/coalesce settings; one active instance per database, the other a standby
that takes over when the first lets go — and never sends what the first sent."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from bot.context import load_context, open_database
from bot.scheduler import EngineRuntime
from storage.lease import make_lock
from tests.auxil.config_writer import write_test_config
from tests.engine.fakes import TELEGRAM_IDS, FakeSender
from tests.engine.helpers import at


class _App:
    """Stands in for the Application: the runtime needs nothing else from it here."""

    bot = None


@pytest.fixture
def context(tmp_path, db_url, clock):
    path = write_test_config(tmp_path, db_url, "http://127.0.0.1:9", telegram_ids=TELEGRAM_IDS)
    context = open_database(load_context(path, clock=clock))
    yield context
    context.close()


async def _runtime(context, name: str) -> tuple[EngineRuntime, FakeSender]:
    sender = FakeSender()
    runtime = EngineRuntime(_App(), context, lock=make_lock(context.engine, name), sender=sender)
    await runtime.start()
    return runtime, sender


async def test_the_jobs_are_rebuilt_with_fixed_ids_and_never_drop_a_late_run(context):
    runtime, _ = await _runtime(context, "one")
    try:
        jobs = {job.id: job for job in runtime.scheduler.get_jobs()}
        assert {"zhibu.send_time", "zhibu.sweep", "zhibu.lease"} <= set(jobs)
        for job in jobs.values():
            assert job.misfire_grace_time is None and job.coalesce
        send_time = jobs["zhibu.send_time"].trigger
        assert str(send_time.fields[5]) == "9" and str(send_time.fields[6]) == "0"  # hour, minute
    finally:
        await runtime.stop()


async def test_a_second_instance_stands_by_and_takes_over_when_the_first_stops(context, clock, caplog):
    caplog.set_level(logging.INFO, logger="bot.scheduler")
    first, first_sender = await _runtime(context, "first")
    second, second_sender = await _runtime(context, "second")
    try:
        assert first.active and not second.active
        assert any("standby" in r.getMessage() for r in caplog.records)
        clock.set(at(date(2026, 3, 2)))
        assert await second.tick() == 0
        sent = await first.tick()
        assert sent > 0 and second_sender.sent == []
        await first.stop()
        await second.renew_lease()
        assert second.active
        assert await second.tick() == 0  # everything due was already sent by the first
        clock.set(at(date(2026, 3, 3)))
        await second.tick()
        assert {text for _, text in first_sender.sent}.isdisjoint({text for _, text in second_sender.sent})
    finally:
        await first.stop()
        await second.stop()


async def test_stopping_right_after_starting_cancels_nothing_and_logs_no_error(context, caplog):
    caplog.set_level(logging.INFO)
    for _ in range(5):
        runtime, _ = await _runtime(context, "quick")
        await runtime.stop()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]

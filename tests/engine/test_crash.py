"""The delivery guarantee under SIGKILL: a real scheduler process, killed in the
middle of a batch (once while it waits for Telegram's answer, once between
messages), then restarted — nothing is sent twice, and at most the one message
that was in flight is left uncertain (README: "Delivery guarantee")."""

from __future__ import annotations

import asyncio
import sys
from collections import Counter
from datetime import date, timedelta

from storage.models import OutboxState
from tests.auxil.fake_bot_api import FakeBotApi
from tests.conftest import REPO
from tests.engine.fakes import START, prepare_branch, rows
from tests.engine.helpers import at

NOW = at(date(2026, 3, 2))  # a Monday with ~40 messages due (escalations, reminders, digest)


async def _start(db_url: str, fake: FakeBotApi, worker: str, now=NOW) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.engine.sigkill_sender", db_url, fake.base_url, fake.token, now.isoformat(), worker,
        cwd=REPO, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )


def _accepted(fake: FakeBotApi) -> Counter:
    """(chat, text) of every message Telegram accepted (held answers included)."""
    return Counter((str(c.chat_id), c.params.get("text")) for c in fake.calls("sendMessage") if c.ok)


async def _finish(process: asyncio.subprocess.Process) -> str:
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0, err.decode()
    return out.decode()


async def test_killed_while_waiting_for_telegram_then_restarted_with_a_standby_meanwhile(engine, db_url):
    prepare_branch(engine, now=START)
    async with FakeBotApi() as fake:
        first = await _start(db_url, fake, "first")
        await fake.wait_for("sendMessage", count=5, timeout=30)
        held = fake.hold_next("sendMessage", seconds=60)  # accepted, but its answer never comes
        await _wait_for_held(fake, held)
        # Meanwhile a second scheduler on the same database stands by and sends nothing.
        standby = await _start(db_url, fake, "standby")
        out, _ = await asyncio.wait_for(standby.communicate(), timeout=30)
        assert standby.returncode == 3 and "standby" in out.decode()
        first.kill()  # SIGKILL
        await first.wait()
        second = await _start(db_url, fake, "second", NOW + timedelta(minutes=5))
        await _finish(second)
        accepted = _accepted(fake)
    states = Counter(r.state for r in rows(engine) if r.kind != "marker")
    assert max(accepted.values()) == 1, "a message was sent twice"
    assert states[OutboxState.UNCERTAIN.value] == 1
    assert states[OutboxState.CLAIMED.value] == states[OutboxState.PENDING.value] == 0
    # The uncertain one did arrive (the fake accepted it before it was killed): nothing lost but its receipt.
    assert sum(accepted.values()) == states[OutboxState.SENT.value] + 1


async def _wait_for_held(fake: FakeBotApi, held) -> None:
    """Until the sender is inside the held call (the fault is used up and the call recorded)."""
    await fake.signal.wait_until(lambda: held not in fake.faults.faults, 30, lambda: "the held sendMessage")


async def test_killed_between_messages_then_restarted(engine, db_url):
    prepare_branch(engine, now=START)
    async with FakeBotApi() as fake:
        first = await _start(db_url, fake, "first")
        await fake.wait_for("sendMessage", count=8, timeout=30)
        first.kill()
        await first.wait()
        second = await _start(db_url, fake, "second", NOW + timedelta(minutes=5))
        await _finish(second)
        accepted = _accepted(fake)
    states = Counter(r.state for r in rows(engine) if r.kind != "marker")
    assert max(accepted.values()) == 1, "a message was sent twice"
    assert states[OutboxState.UNCERTAIN.value] <= 1
    assert states[OutboxState.CLAIMED.value] == states[OutboxState.PENDING.value] == 0
    assert sum(accepted.values()) >= states[OutboxState.SENT.value]

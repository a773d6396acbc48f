"""A minimal scheduler process for the crash test: take the lock, settle what a
dead predecessor left claimed, run one tick against the Bot API at BASE_URL.

    python -m tests.engine.sigkill_sender DB_URL BASE_URL TOKEN NOW_ISO WORKER
"""

from __future__ import annotations

import asyncio
import sys
from contextlib import contextmanager
from datetime import datetime

from telegram import Bot
from telegram.request import HTTPXRequest

from bot.config import load_config
from bot.delivery import SendRateLimiter, TelegramSender
from bot.scheduler import EngineSetup, send_due
from storage import outbox
from storage.db import make_engine, session_scope
from storage.lease import make_lock
from tests.conftest import EXAMPLE_CONFIG

STANDBY = 3


async def main(db_url: str, base_url: str, token: str, now_iso: str, worker: str) -> int:
    engine = make_engine(db_url)
    now = datetime.fromisoformat(now_iso)
    lock = make_lock(engine, worker)
    if not lock.try_acquire(now):
        print("standby", flush=True)
        return STANDBY
    with session_scope(engine) as session:
        outbox.settle_stale_claims(session, worker=worker)

    @contextmanager
    def sessions():
        with session_scope(engine) as session:
            yield session

    # Limits are tested elsewhere; here they would only make the test slow.
    limiter = SendRateLimiter(per_chat=(1000, 1.0), per_group=(1000, 1.0))
    async with Bot(token, base_url=base_url, request=HTTPXRequest(read_timeout=60)) as bot:
        sender = TelegramSender(bot, limiter=limiter)
        sent = await send_due(sessions, sender, EngineSetup.from_config(load_config(EXAMPLE_CONFIG)), now=now, worker=worker)
    print(f"sent {sent}", flush=True)
    lock.release()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(*sys.argv[1:6])))

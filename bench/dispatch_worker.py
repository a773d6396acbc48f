"""The bot's side of the dispatch benchmark, in a process of its own: the engine's
tick (:func:`bot.scheduler.send_due`: plan, then claim → send → record every
pending outbox row) with the bot's real sender, until the outbox is empty.

    python -m bench.dispatch_worker CONFIG [--lifted]

``--lifted`` takes both of the bot's limiters away (its own per-chat limiter and
python-telegram-bot's AIORateLimiter), to show the stack's own ceiling. Prints
one JSON object: seconds, ticks, sent, and the outbox's rows per state.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from datetime import datetime
from zoneinfo import ZoneInfo

# A Saturday after the seeded rows were due: no workday, so the engine plans
# nothing of its own and the tick sends exactly the benchmark's rows.
TICK_AT = datetime(2026, 11, 28, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
UNLIMITED = 10**9
MAX_TICKS = 20  # rows released after 429 retries are picked up by the next tick, as by the sweep job


def _bots(context, lifted: bool):
    """The Bot and sender as ``zhibu run`` builds them, or with the limits lifted."""
    from telegram.ext import ApplicationBuilder

    from bot.app import build_application
    from bot.delivery import SendRateLimiter, TelegramSender

    if not lifted:
        bot = build_application(context).bot
        return bot, TelegramSender(bot)
    telegram = context.config.telegram
    bot = (ApplicationBuilder().token(context.config.token).base_url(telegram.base_url)
           .base_file_url(telegram.base_file_url).build().bot)
    unlimited = SendRateLimiter(overall=(UNLIMITED, 1.0), per_chat=(UNLIMITED, 1.0), per_group=(UNLIMITED, 60.0))
    return bot, TelegramSender(bot, limiter=unlimited)


async def drain(config_path: str, *, lifted: bool) -> dict:
    """Tick until no row is pending; returns what this process saw."""
    from bot.context import open_context
    from bot.scheduler import EngineSetup, send_due
    from scheduling.clock import VirtualClock
    from storage import outbox

    context = open_context(config_path, clock=VirtualClock(TICK_AT))
    setup = EngineSetup.from_config(context.config)
    bot, sender = _bots(context, lifted)
    sent = ticks = 0
    async with bot:
        started = time.perf_counter()
        while ticks < MAX_TICKS:
            ticks += 1
            sent += await send_due(context.session, sender, setup, now=context.clock.now(), worker="bench")
            with context.session() as session:
                if not outbox.pending(session):
                    break
        seconds = time.perf_counter() - started
    with context.session() as session:
        states = outbox.counts(session)
    context.close()
    return {"seconds": seconds, "ticks": ticks, "sent": sent, "states": states}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.dispatch_worker")
    parser.add_argument("config")
    parser.add_argument("--lifted", action="store_true")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(drain(args.config, lifted=args.lifted))), flush=True)


if __name__ == "__main__":
    main()

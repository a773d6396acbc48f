"""``zhibu run`` for the intake benchmark's second session, with python-telegram-bot's
rate limiter lifted, to show how fast the bot handles updates when answering is free.

    python -m bench.bot_runner CONFIG

As shipped, the bot answers every button press with a chat message, and its
AIORateLimiter keeps all chat messages within Telegram's 30 a second — which
caps intake at about 30 updates a second whatever the handler costs. Here the
limiter is swapped for one that never waits; everything else is ``zhibu run``.
"""

from __future__ import annotations

import sys
from typing import Any

from telegram.ext import BaseRateLimiter


class NoLimits(BaseRateLimiter):
    """A rate limiter that sends every request at once."""

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args) -> Any:
        return await callback(*args, **kwargs)


def main() -> int:
    import bot.app
    from bot.cli import main as zhibu

    # bot.app builds its AIORateLimiter(max_retries=0) through this name.
    bot.app.AIORateLimiter = lambda **_: NoLimits()
    return zhibu(["--config", sys.argv[1], "run"])


if __name__ == "__main__":
    sys.exit(main())

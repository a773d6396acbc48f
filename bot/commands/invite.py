"""``zhibu invite NAME``: a one-time binding link for a roster member (SPEC §6, §9).

The link needs the bot's username: ``telegram.bot_username`` if the config gives
it, else Telegram's answer to getMe. Without either (no token, or Telegram not
reachable within a few seconds), the code is still printed with how to use it (``/start <code>``), and a one-line notice goes
to stderr; the invite is valid either way.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from telegram import Bot
from telegram.error import InvalidToken, TelegramError
from telegram.request import HTTPXRequest

from bot import texts
from bot.config import Config
from bot.context import open_context
from storage.invites import INVITE_TTL, create_invite
from storage.roster import NoSuchMember

GET_ME_TIMEOUT_S = 5.0


def run(args: argparse.Namespace) -> int:
    context = open_context(args.config)
    try:
        with context.session() as session:
            code = create_invite(session, member_name=args.name, now=context.clock.now(), created_by="zhibu invite")
    except NoSuchMember as missing:
        why = "removed from the config" if missing.inactive else "not in [[members]]"
        print(f"zhibu: {args.config}: members: no active member named {args.name!r} ({why})", file=sys.stderr)
        return 2
    finally:
        context.close()

    username, problem = bot_username(context.config)
    if username is not None:
        print(texts.invite_link(args.name, deep_link(username, code), INVITE_TTL.days))
    else:
        print(f"zhibu: invite: no link, {problem}; the member sends /start <code> to the bot instead", file=sys.stderr)
        print(texts.cli_invite_manual(args.name, code, INVITE_TTL.days))
    print(texts.cli_invite_code(code))
    return 0


def deep_link(username: str, code: str) -> str:
    """Telegram's deep link that sends ``/start <code>`` to the bot."""
    return f"https://t.me/{username}?start={code}"


def bot_username(config: Config) -> tuple[str | None, str]:
    """The bot's username (config, else getMe), or None and why not (never the token)."""
    if config.telegram.bot_username:
        return config.telegram.bot_username, ""
    token = config.token
    if not token:
        return None, "no Telegram token is configured"
    try:
        return asyncio.run(_get_me(config, token)), ""
    except InvalidToken:
        return None, "Telegram refused the token"
    except (TelegramError, OSError) as error:
        return None, f"Telegram could not be reached ({type(error).__name__})"


async def _get_me(config: Config, token: str) -> str:
    def request() -> HTTPXRequest:
        return HTTPXRequest(
            connect_timeout=GET_ME_TIMEOUT_S, read_timeout=GET_ME_TIMEOUT_S, write_timeout=GET_ME_TIMEOUT_S,
            pool_timeout=GET_ME_TIMEOUT_S,
        )

    options = {"base_url": config.telegram.base_url} if config.telegram.base_url else {}
    async with Bot(token, request=request(), get_updates_request=request(), **options) as bot:
        return bot.username

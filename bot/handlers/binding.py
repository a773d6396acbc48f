"""Binding a Telegram account to a roster member: ``/start CODE`` and ``/invite 姓名``."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot import services, texts
from bot.auth import Action, may
from bot.handlers import menu
from bot.handlers.common import ChatContext, look_up_person, reply
from storage.invites import INVITE_TTL, RedeemOutcome
from storage.roster import NoSuchMember

log = logging.getLogger(__name__)
MAX_NAME_CHARS = 50


async def start(update: Update, ctx: ChatContext) -> None:
    """``/start CODE`` binds this account; plain ``/start`` greets a bound member."""
    code = ctx.args[0] if ctx.args else None
    if code is None:
        await reply(update, texts.already_bound(ctx.person.name) if ctx.person else texts.UNBOUND)
        return
    with ctx.session() as session:
        result = services.bind(session, code=code, telegram_id=update.effective_user.id, now=ctx.now())
    if result.ok:
        log.info("invite redeemed", extra={"member": result.member_name, "rebound": result.previous_telegram_id is not None})
        # The menu first, so that it is in place when the welcome arrives.
        person = look_up_person(ctx, update.effective_user.id)
        await menu.set_person_commands(ctx.application, update.effective_user.id, person)
        if result.previous_telegram_id is not None:
            await menu.set_person_commands(ctx.application, result.previous_telegram_id, None)
        await reply(update, texts.bound_welcome(result.member_name))
        return
    if result.outcome is RedeemOutcome.ACCOUNT_TAKEN:
        await reply(update, texts.ALREADY_BOUND_OTHER)
        return
    # An unknown, used or expired code: say only that, and for an unbound account
    # nothing more than how to be invited.
    await reply(update, texts.INVITE_INVALID if ctx.person else texts.INVITE_INVALID + "\n\n" + texts.UNBOUND)


async def invite(update: Update, ctx: ChatContext) -> None:
    """``/invite 姓名`` (secretary): a one-time deep link for that member."""
    if not may(ctx.person, Action.INVITE, ctx.zhibu.ruleset):
        await reply(update, texts.NOT_ALLOWED)
        return
    name = " ".join(ctx.args or []).strip()
    if not name or len(name) > MAX_NAME_CHARS:
        await reply(update, texts.INVITE_USAGE)
        return
    try:
        with ctx.session() as session:
            code = services.invite(session, member_name=name, created_by=ctx.person.name, now=ctx.now())
    except NoSuchMember:
        await reply(update, texts.invite_unknown(name))
        return
    link = f"https://t.me/{ctx.bot.username}?start={code}"
    await reply(update, texts.invite_link(name, link, INVITE_TTL.days))


def handlers() -> list[BaseHandler]:
    return [CommandHandler("start", start), CommandHandler("invite", invite)]

"""Last in line: whatever no other handler understood gets a short answer."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import texts
from bot.handlers.common import ChatContext, answer_button, reply


async def nothing_to_cancel(update: Update, ctx: ChatContext) -> None:
    """``/cancel`` outside any conversation."""
    await reply(update, texts.NOTHING_TO_CANCEL)


async def not_understood(update: Update, ctx: ChatContext) -> None:
    """Any other message or command: say what is expected."""
    await reply(update, texts.NOT_UNDERSTOOD)


async def expired_button(update: Update, ctx: ChatContext) -> None:
    """A button from a finished conversation, or forged data: refuse, change nothing."""
    await answer_button(update, texts.BUTTON_EXPIRED, alert=True)


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler("cancel", nothing_to_cancel),
        MessageHandler(filters.ALL, not_understood),
        CallbackQueryHandler(expired_button),
    ]

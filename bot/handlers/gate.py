"""The gate every update passes first (handler group -1).

* group chats: a command gets a pointer to the private chat; nothing else is read;
* edited messages are not processed (a polite note in private);
* an unbound account gets only how to be invited — except ``/start CODE``;
* otherwise the bound person is put on the context for the handlers.
"""

from __future__ import annotations

from telegram import Chat, Update
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler

from bot import texts
from bot.handlers.common import ChatContext, answer_button, look_up_person, reply

GATE_GROUP = -1


def _is_command(update: Update) -> bool:
    message = update.effective_message
    return bool(message and message.text and message.text.startswith("/"))


def _is_start(update: Update) -> bool:
    message = update.message
    return bool(message and message.text and message.text.split(maxsplit=1)[0].split("@")[0] == "/start")


async def gate(update: Update, ctx: ChatContext) -> None:
    """Let an update through only when it comes from a bound member in a private chat."""
    chat = update.effective_chat
    user = update.effective_user
    if chat is None or user is None or user.is_bot:
        raise ApplicationHandlerStop
    if chat.type != Chat.PRIVATE:
        if update.message is not None and _is_command(update):
            await reply(update, texts.GROUP_CHAT_POINTER)
        elif update.callback_query is not None:
            await answer_button(update, texts.GROUP_CHAT_POINTER, alert=True)
        raise ApplicationHandlerStop
    if update.edited_message is not None:
        await reply(update, texts.EDITED_IGNORED)
        raise ApplicationHandlerStop
    ctx.person = look_up_person(ctx, user.id)
    if ctx.person is not None or _is_start(update):
        return  # on to the handlers
    if update.callback_query is not None:
        await answer_button(update, texts.UNBOUND, alert=True)
    elif update.message is not None:
        await reply(update, texts.UNBOUND)
    raise ApplicationHandlerStop


def handlers() -> list[BaseHandler]:
    return [TypeHandler(Update, gate)]

"""Conversation time-outs that survive a restart (SPEC §5).

python-telegram-bot persists a conversation's state but not its time-out job, so
a conversation restored after a restart would wait forever. Each person's last
activity per conversation is therefore kept in their (persisted) ``user_data``,
stamped with the injected clock after every update. At start-up a restored
conversation idle for the whole time-out ends at once with the usual time-out
message; any other gets its time-out job back for the time that is left (and, as
with PTB's own jobs, the next update from that person cancels it).

This is the one module that touches ConversationHandler internals
(``_conversations``, ``_update_state``); they have been stable since PTB 20.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from telegram import Chat, Message, Update, User
from telegram.error import TelegramError
from telegram.ext import Application, BaseHandler, ConversationHandler, Job, TypeHandler

from bot.handlers.common import ChatContext

log = logging.getLogger(__name__)

# After the conversations (group 0), so the stamp sees whether one is still open.
ACTIVITY_GROUP = 1
ACTIVITY_KEY = "conversation_active_at"


def timed_conversations(application: Application) -> list[ConversationHandler]:
    """The persistent conversations with a time-out, per chat and user (ours all are)."""
    return [
        handler
        for group in application.handlers.values()
        for handler in group
        if isinstance(handler, ConversationHandler)
        and handler.persistent
        and handler.conversation_timeout
        and handler.per_chat
        and handler.per_user
        and not handler.per_message
    ]


def _timeout(handler: ConversationHandler) -> timedelta:
    value = handler.conversation_timeout
    return value if isinstance(value, timedelta) else timedelta(seconds=value)


async def stamp_activity(update: Update, ctx: ChatContext) -> None:
    """Remember when this person last did something in each open conversation."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or ctx.user_data is None:
        return
    now = ctx.now().isoformat()
    stamps = {
        handler.name: now
        for handler in timed_conversations(ctx.application)
        if (chat.id, user.id) in handler._conversations  # noqa: SLF001 (see the module docstring)
    }
    if stamps:
        ctx.user_data[ACTIVITY_KEY] = stamps
    else:
        # Nothing open: keep no row for a person who is not in a conversation.
        ctx.user_data.pop(ACTIVITY_KEY, None)


def last_activity(application: Application, name: str, user_id: int) -> datetime | None:
    data = application.user_data.get(user_id, {})
    text = (data.get(ACTIVITY_KEY) or {}).get(name)
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


async def resume_timeouts(application: Application, now: datetime) -> None:
    """End restored conversations idle for their whole time-out; re-arm the others' time-outs."""
    for handler in timed_conversations(application):
        for key in list(handler._conversations):  # noqa: SLF001
            chat_id, user_id = key
            # A conversation from before activity was stamped counts as active now.
            since = last_activity(application, handler.name, user_id) or now
            left = since + _timeout(handler) - now
            if left <= timedelta(0):
                await expire(application, handler, key, now)
            else:
                job = application.job_queue.run_once(
                    _on_due, left, data=(handler, key), name=f"resume:{handler.name}:{chat_id}:{user_id}"
                )
                # Registered where PTB keeps its own: the next update in this conversation cancels it.
                handler.timeout_jobs[key] = job


async def _on_due(ctx: ChatContext) -> None:
    job: Job = ctx.job
    handler, key = job.data
    if handler.timeout_jobs.get(key) is not job:
        return  # the person came back; PTB scheduled a fresh time-out
    del handler.timeout_jobs[key]
    await expire(ctx.application, handler, key, ctx.now())


def _update_in(application: Application, chat_id: int, user_id: int, now: datetime) -> Update:
    """A stand-in update from this person's private chat, for the TIMEOUT handlers."""
    message = Message(
        message_id=0,
        date=now,
        chat=Chat(id=chat_id, type=Chat.PRIVATE),
        from_user=User(id=user_id, first_name="", is_bot=False),
    )
    update = Update(update_id=0, message=message)
    update.set_bot(application.bot)
    message.set_bot(application.bot)
    return update


async def expire(application: Application, handler: ConversationHandler, key: tuple[int, int], now: datetime) -> None:
    """End one conversation as its time-out would: its TIMEOUT handlers run, then it is gone."""
    chat_id, user_id = key
    update = _update_in(application, chat_id, user_id, now)
    context = application.context_types.context.from_update(update, application)
    for timeout_handler in handler.states.get(ConversationHandler.TIMEOUT, []):
        check = timeout_handler.check_update(update)
        if check is None or check is False:
            continue
        try:
            await timeout_handler.handle_update(update, application, check, context)
        except TelegramError as error:
            # The person blocked the bot, say: the conversation ends all the same.
            log.warning("time-out message not delivered", extra={"conversation": handler.name, "error": str(error)})
    handler._update_state(ConversationHandler.END, key)  # noqa: SLF001
    context.user_data.get(ACTIVITY_KEY, {}).pop(handler.name, None)
    if context.user_data.get(ACTIVITY_KEY) == {}:
        context.user_data.pop(ACTIVITY_KEY)
    # Outside an update PTB does not know this person's data changed (the draft was dropped).
    application.mark_data_for_update_persistence(user_ids=user_id)


def handlers() -> list[BaseHandler]:
    return [TypeHandler(Update, stamp_activity)]

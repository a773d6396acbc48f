"""The logging conversation's states and its draft (kept in ``user_data`` as JSON,
so a half-finished record survives a restart of the bot)."""

from __future__ import annotations

import functools
from datetime import date
from enum import IntEnum

from telegram import Update
from telegram.ext import ConversationHandler

from bot import texts
from bot.handlers.common import ChatContext, answer_button, reply

DRAFT_KEY = "log_draft"
# Set while a record is being amended (bot.handlers.amend): /log waits until it ends.
AMEND_KEY = "amend"
TOPIC_MAX_CHARS = 200
MINUTES_MAX_CHARS = 4096


class Step(IntEnum):
    SYSTEM = 1
    GROUP = 2
    DATE = 3
    TOPIC = 4
    ATTENDANCE = 5
    ABSENCE = 6
    STANDALONE = 7
    COVERS = 8
    MINUTES = 9
    PHOTOS = 10
    SUMMARY = 11
    EDIT = 12


END = ConversationHandler.END
TIMEOUT = ConversationHandler.TIMEOUT


def new_draft(ctx: ChatContext, **fields) -> dict:
    draft = {
        "system": None,
        "group": None,
        "period": None,  # the reminder's period, when logging started from one
        "held_on": None,
        "topic": None,
        "expected": [],
        "present": [],
        "absent": {},
        "pending_absent": [],
        "standalone": None,
        "covers": [],
        "minutes_text": None,
        "minutes_file": None,
        "minutes_deferred": False,
        "photos": [],
        "photos_deferred": False,
        "editing": False,
    }
    draft.update(fields)
    ctx.user_data[DRAFT_KEY] = draft
    return draft


def draft_of(ctx: ChatContext) -> dict | None:
    return ctx.user_data.get(DRAFT_KEY) if ctx.user_data is not None else None


def drop_draft(ctx: ChatContext) -> None:
    if ctx.user_data is not None:
        ctx.user_data.pop(DRAFT_KEY, None)


def held_on(draft: dict) -> date | None:
    return date.fromisoformat(draft["held_on"]) if draft.get("held_on") else None


def with_draft(step):
    """Run ``step`` only while there is a draft; otherwise end the conversation and say so
    (a state without its draft can only come from a crash between two writes)."""

    @functools.wraps(step)
    async def guarded(update: Update, ctx: ChatContext):
        if draft_of(ctx) is None:
            await answer_button(update)
            await reply(update, texts.DRAFT_LOST)
            return END
        return await step(update, ctx)

    return guarded

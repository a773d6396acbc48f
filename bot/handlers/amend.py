"""Amending a record from /records: add photos or minutes, fix the topic or the date.
Each change goes through storage (audited: who, when, before, after)."""

from __future__ import annotations

import logging

from enum import IntEnum

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import keyboards, services, texts
from bot.auth import Action
from bot.dates import DateRejected, parse_held_on
from bot.handlers.common import (
    ChatContext,
    FileRefused,
    answer_button,
    build_conversation,
    date_refusal,
    drop_buttons,
    file_ref_from_json,
    file_ref_to_json,
    reply,
    take_file,
)
from bot.handlers.log_conversation import CONVERSATION_TIMEOUT, TEXT
from bot.handlers.log_draft import AMEND_KEY, DRAFT_KEY, MINUTES_MAX_CHARS, TOPIC_MAX_CHARS
from bot.handlers.log_save import hint, on_timeout, tell_engine
from bot.handlers.records import MAX_RECORD_ID
from storage.models import AttachmentKind, MeetingRecord

log = logging.getLogger(__name__)
NAME = "amend_record"
FILES = filters.PHOTO | filters.Document.ALL
ANYTHING_ELSE = filters.ALL & ~filters.COMMAND


class AmendStep(IntEnum):
    PHOTOS = 21
    MINUTES = 22
    TOPIC = 23
    DATE = 24


ASKS = {
    "photos": (AmendStep.PHOTOS, texts.AMEND_ASK_PHOTOS),
    "minutes": (AmendStep.MINUTES, texts.AMEND_ASK_MINUTES),
    "topic": (AmendStep.TOPIC, texts.AMEND_ASK_TOPIC),
    "date": (AmendStep.DATE, texts.AMEND_ASK_DATE),
}


def _state(ctx: ChatContext) -> dict | None:
    return ctx.user_data.get(AMEND_KEY)


async def _lost(update: Update) -> int:
    await answer_button(update)
    await reply(update, texts.DRAFT_LOST)
    return ConversationHandler.END


async def start_amend(update: Update, ctx: ChatContext) -> int:
    """``amd:<id>:<what>``: only for someone allowed to amend that record."""
    _, record_id, what = update.callback_query.data.split(":")
    if int(record_id) > MAX_RECORD_ID:
        await answer_button(update, texts.NOT_ALLOWED, alert=True)
        return ConversationHandler.END
    if ctx.user_data.get(DRAFT_KEY):
        await answer_button(update, texts.LOG_IN_PROGRESS, alert=True)
        return ConversationHandler.END
    with ctx.session() as session:
        allowed = services.open_record(session, ctx.zhibu.ruleset, ctx.person, int(record_id), Action.AMEND_RECORD)
    if allowed is None:
        await answer_button(update, texts.NOT_ALLOWED, alert=True)
        return ConversationHandler.END
    await answer_button(update)
    ctx.user_data[AMEND_KEY] = {"record_id": int(record_id), "photos": []}
    step, question = ASKS[what]
    if what == "minutes":
        question = _minutes_question(allowed)
    markup = keyboards.photos_done("amd:pho", allow_later=False) if step is AmendStep.PHOTOS else None
    await reply(update, question, reply_markup=markup)
    return step


def _minutes_question(detail) -> str:
    """Say plainly what a new text or file does to the minutes already there."""
    has_text = bool(detail.record.minutes_text)
    files = sum(1 for a in detail.attachments if a.kind == AttachmentKind.MINUTES.value)
    if not has_text and not files:
        return texts.AMEND_ASK_MINUTES
    return texts.amend_replace_minutes(has_text, files)


async def _apply(update: Update, ctx: ChatContext, **changes) -> int:
    state = ctx.user_data.pop(AMEND_KEY, None)
    if state is None:
        return await _lost(update)
    ruleset = ctx.zhibu.ruleset
    record_id = state["record_id"]
    with ctx.session() as session:
        done = services.amend(session, ruleset, ctx.person, record_id=record_id, now=ctx.now(), **changes)
    if not done:
        await reply(update, texts.NOT_ALLOWED)
        return ConversationHandler.END
    with ctx.session() as session:
        record = session.get(MeetingRecord, record_id)
        verdicts = services.verdicts_of(session, ruleset, record_id, record.held_on)
        lines = [services.verdict_text(ruleset, v, record.group_key, record.held_on) for v in verdicts]
    await reply(update, "\n".join([texts.AMEND_SAVED, *lines]))
    # A new date may move the record to another period; added files end a deferral.
    await tell_engine(ctx, record_id)
    return ConversationHandler.END


async def on_topic(update: Update, ctx: ChatContext) -> int | None:
    topic = " ".join(update.message.text.split())
    if not 1 <= len(topic) <= TOPIC_MAX_CHARS:
        await reply(update, texts.topic_bad(TOPIC_MAX_CHARS))
        return None
    return await _apply(update, ctx, topic=topic)


async def on_date(update: Update, ctx: ChatContext) -> int | None:
    max_days = ctx.zhibu.ruleset.max_backdate_days
    try:
        day = parse_held_on(update.message.text, ctx.today(), max_days)
    except DateRejected as rejected:
        await reply(update, date_refusal(rejected, max_days))
        return None
    return await _apply_date(update, ctx, day)


async def _apply_date(update: Update, ctx: ChatContext, day) -> int:
    """A new date may move the record to another period: say where it counts now, which
    period it left (and whether that is still done), and tell the secretaries."""
    state = ctx.user_data.pop(AMEND_KEY, None)
    if state is None:
        return await _lost(update)
    ruleset = ctx.zhibu.ruleset
    record_id = state["record_id"]
    with ctx.session() as session:
        moved = services.amend_date(
            session, ruleset, ctx.person, record_id=record_id, held_on=day, now=ctx.now(), zone=ctx.zhibu.zone, today=ctx.today()
        )
        if moved is None:
            await reply(update, texts.NOT_ALLOWED)
            return ConversationHandler.END
        record = session.get(MeetingRecord, record_id)
        label = services.label(ruleset, record.system, record.group_key)
        topic = record.topic
        verdicts = services.verdicts_of(session, ruleset, record_id, day)
        lines = [services.verdict_text(ruleset, v, record.group_key, day) for v in verdicts]
        left = [
            texts.period_left(services.label(ruleset, o.system, o.group), texts.period_label(o.period.key), done)
            for o, done in moved.left
        ]
        secretaries = services.secretaries_chat_ids(session, except_member_id=ctx.person.member_id)
    answer = [texts.AMEND_SAVED + (texts.LATE_MARK if moved.late else ""), *lines, *left]
    await reply(update, "\n".join(answer))
    if moved.before != day:
        note = texts.date_moved_note(
            ctx.person.name, texts.record_line(record_id, day, label, topic), moved.before, "\n".join(lines + left)
        )
        await _tell(ctx, secretaries, note, record_id)
    await tell_engine(ctx, record_id)
    return ConversationHandler.END


async def _tell(ctx: ChatContext, chat_ids: list[int], note: str, record_id: int) -> None:
    for chat_id in chat_ids:
        try:
            await ctx.bot.send_message(chat_id, note[:4096])
        except TelegramError as error:
            # The change is saved; a note that cannot be delivered must not undo it.
            log.warning("secretary note not delivered", extra={"record_id": record_id, "error": str(error)})


async def on_minutes_text(update: Update, ctx: ChatContext) -> int | None:
    text = update.message.text.strip()
    if not text or len(text) > MINUTES_MAX_CHARS:
        await reply(update, texts.MINUTES_TOO_LONG)
        return None
    return await _apply(update, ctx, minutes_text=text)


async def on_minutes_file(update: Update, ctx: ChatContext) -> int | None:
    try:
        ref = await take_file(ctx, update.message, allowed=frozenset({"document", "photo"}))
    except FileRefused as refused:
        await reply(update, texts.file_rejected(refused.text))
        return None
    return await _apply(update, ctx, files=[(ref, AttachmentKind.MINUTES)])


async def on_photo(update: Update, ctx: ChatContext) -> int | None:
    try:
        ref = await take_file(ctx, update.message, allowed=frozenset({"photo"}))
    except FileRefused as refused:
        await reply(update, texts.file_rejected(refused.text))
        return None
    state = _state(ctx)
    if state is None:
        return await _lost(update)
    state["photos"].append(file_ref_to_json(ref))
    if update.message.media_group_id is None:
        await reply(update, texts.photo_received(len(state["photos"])), reply_markup=keyboards.photos_done("amd:pho", allow_later=False))
    return None


async def on_photos_done(update: Update, ctx: ChatContext) -> int | None:
    await answer_button(update)
    await drop_buttons(update)
    state = _state(ctx)
    if state is None:
        return await _lost(update)
    photos = state["photos"]
    if not photos:
        ctx.user_data.pop(AMEND_KEY, None)
        await reply(update, texts.AMEND_NOTHING)
        return ConversationHandler.END
    return await _apply(update, ctx, files=[(file_ref_from_json(p), AttachmentKind.PHOTO) for p in photos])


async def cancel(update: Update, ctx: ChatContext) -> int:
    ctx.user_data.pop(AMEND_KEY, None)
    await answer_button(update)
    await reply(update, texts.CANCELLED)
    return ConversationHandler.END


async def timed_out(update: Update, ctx: ChatContext) -> None:
    ctx.user_data.pop(AMEND_KEY, None)
    await on_timeout(update, ctx)


def conversation() -> ConversationHandler:
    return build_conversation(_build)


def _build() -> ConversationHandler:
    return ConversationHandler(
        name=NAME,
        persistent=True,
        conversation_timeout=CONVERSATION_TIMEOUT,
        entry_points=[CallbackQueryHandler(start_amend, pattern=r"^amd:\d{1,12}:(photos|minutes|topic|date)$")],
        states={
            AmendStep.PHOTOS: [
                CallbackQueryHandler(on_photos_done, pattern=r"^amd:pho:done$"),
                MessageHandler(FILES, on_photo),
                MessageHandler(ANYTHING_ELSE, hint(texts.EXPECTING_PHOTO)),
            ],
            AmendStep.MINUTES: [
                MessageHandler(TEXT, on_minutes_text),
                MessageHandler(FILES, on_minutes_file),
                MessageHandler(ANYTHING_ELSE, hint(texts.AMEND_ASK_MINUTES)),
            ],
            AmendStep.TOPIC: [
                MessageHandler(TEXT, on_topic),
                MessageHandler(ANYTHING_ELSE, hint(texts.EXPECTING_TOPIC)),
            ],
            AmendStep.DATE: [
                MessageHandler(TEXT, on_date),
                MessageHandler(ANYTHING_ELSE, hint(texts.AMEND_ASK_DATE)),
            ],
            ConversationHandler.TIMEOUT: [TypeHandler(Update, timed_out)],
        },
        fallbacks=[CommandHandler("cancel", cancel)],
    )


def handlers() -> list[BaseHandler]:
    return [conversation()]

"""Logging a meeting, the files: minutes (text, a document or a photographed page)
and photos (one by one or as an album), each deferrable with 稍后补充.

Files are downloaded and stored by content the moment they arrive; a refused file
is reported and leaves nothing in the draft.
"""

from __future__ import annotations

from telegram import Update

from bot import keyboards, texts
from bot.handlers import log_save
from bot.handlers.common import ChatContext, FileRefused, answer_button, drop_buttons, file_ref_to_json, reply, take_file
from bot.handlers.log_draft import MINUTES_MAX_CHARS, Step, draft_of

MINUTES_FILES = frozenset({"document", "photo"})
PHOTO_FILES = frozenset({"photo"})
# Seconds to wait after the first photo of an album before acknowledging it once.
ALBUM_SETTLE_S = 1.0


async def ask_minutes(update: Update, ctx: ChatContext) -> int:
    await reply(update, texts.ASK_MINUTES, reply_markup=keyboards.later("lg:min"))
    return Step.MINUTES


async def _after_minutes(update: Update, ctx: ChatContext) -> int:
    if draft_of(ctx)["editing"]:
        return await log_save.show_summary(update, ctx)
    return await ask_photos(update, ctx)


async def on_minutes_text(update: Update, ctx: ChatContext) -> int:
    text = update.message.text.strip()
    if not text or len(text) > MINUTES_MAX_CHARS:
        await reply(update, texts.MINUTES_TOO_LONG)
        return Step.MINUTES
    draft = draft_of(ctx)
    draft.update(minutes_text=text, minutes_file=None, minutes_deferred=False)
    return await _after_minutes(update, ctx)


async def on_minutes_file(update: Update, ctx: ChatContext) -> int:
    try:
        ref = await take_file(ctx, update.message, allowed=MINUTES_FILES)
    except FileRefused as refused:
        await reply(update, texts.file_rejected(refused.text))
        return Step.MINUTES
    draft = draft_of(ctx)
    draft.update(minutes_file=file_ref_to_json(ref), minutes_text=None, minutes_deferred=False)
    return await _after_minutes(update, ctx)


async def on_minutes_later(update: Update, ctx: ChatContext) -> int:
    await answer_button(update)
    await drop_buttons(update)
    draft_of(ctx).update(minutes_text=None, minutes_file=None, minutes_deferred=True)
    return await _after_minutes(update, ctx)


async def ask_photos(update: Update, ctx: ChatContext, *, keep: bool = False) -> int:
    """Ask for photos; with ``keep`` (修改 → 照片) say how many are kept and offer 清空重传."""
    kept = len(draft_of(ctx)["photos"]) if keep else 0
    if kept:
        await reply(update, texts.photos_kept(kept), reply_markup=keyboards.photos_done(clear=True))
    else:
        await reply(update, texts.ASK_PHOTOS, reply_markup=keyboards.photos_done())
    return Step.PHOTOS


async def on_photos_clear(update: Update, ctx: ChatContext) -> int:
    """清空重传: drop the photos received so far and ask again."""
    await answer_button(update)
    await drop_buttons(update)
    draft_of(ctx)["photos"] = []
    await reply(update, texts.PHOTOS_CLEARED, reply_markup=keyboards.photos_done())
    return Step.PHOTOS


async def on_photo(update: Update, ctx: ChatContext) -> int:
    message = update.message
    try:
        ref = await take_file(ctx, message, allowed=PHOTO_FILES)
    except FileRefused as refused:
        await reply(update, texts.file_rejected(refused.text))
        return Step.PHOTOS
    draft = draft_of(ctx)
    draft["photos"].append(file_ref_to_json(ref))
    draft["photos_deferred"] = False
    if message.media_group_id is None:
        await reply(update, texts.photo_received(len(draft["photos"])), reply_markup=keyboards.photos_done())
    else:
        _acknowledge_album_once(ctx, update.effective_chat.id, message.media_group_id)
    return Step.PHOTOS


def _acknowledge_album_once(ctx: ChatContext, chat_id: int, media_group_id: str) -> None:
    """An album arrives as one message per photo: answer once, after the last one."""
    name = f"album:{chat_id}:{media_group_id}"
    if ctx.job_queue.get_jobs_by_name(name):
        return
    ctx.job_queue.run_once(_album_received, ALBUM_SETTLE_S, chat_id=chat_id, user_id=chat_id, name=name)


async def _album_received(ctx: ChatContext) -> None:
    draft = draft_of(ctx)
    if draft is None:
        return
    await ctx.bot.send_message(
        ctx.job.chat_id, texts.photo_received(len(draft["photos"])), reply_markup=keyboards.photos_done()
    )


async def on_photos_done(update: Update, ctx: ChatContext) -> int:
    draft = draft_of(ctx)
    if not draft["photos"]:
        await answer_button(update, texts.NO_PHOTOS_YET, alert=True)
        return Step.PHOTOS
    await answer_button(update)
    await drop_buttons(update)
    return await log_save.show_summary(update, ctx)


async def on_photos_later(update: Update, ctx: ChatContext) -> int:
    await answer_button(update)
    await drop_buttons(update)
    draft = draft_of(ctx)
    draft["photos_deferred"] = not draft["photos"]
    return await log_save.show_summary(update, ctx)

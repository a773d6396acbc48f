"""Re-sending a record's files in chat (/meeting): by Telegram file id, the way each
file arrived (a photo with sendPhoto, a document with sendDocument); when Telegram
refuses an id, the stored copy is uploaded instead, and a file that cannot be sent
at all is named to the person rather than dropped in silence."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import Chat, InputMediaDocument, InputMediaPhoto, Update
from telegram.error import TelegramError

from bot import texts
from bot.handlers.common import ChatContext, reply
from storage.media import media_path
from storage.models import Attachment

log = logging.getLogger(__name__)

MAX_ALBUM = 10  # sendMediaGroup takes 2–10 items


def arrived_as_photo(attachment: Attachment) -> bool:
    """Telegram gave us a photo (its id works only with sendPhoto): a document always
    keeps a file name (see ``common.take_file``), a photo never has one, and is an image."""
    return attachment.original_name is None and attachment.mime_type.startswith("image/")


async def send_record_files(update: Update, ctx: ChatContext, minutes: Sequence[Attachment], photos: Sequence[Attachment]) -> None:
    """Minutes files one by one, photos in albums (photos and documents apart, as Telegram requires)."""
    chat = update.effective_chat
    missing: list[str] = []
    for attachment in minutes:
        if not await _send_one(ctx, chat, attachment):
            missing.append(_name(attachment, texts.MINUTES_FILE_NAME))
    as_photos = [p for p in photos if arrived_as_photo(p)]
    as_documents = [p for p in photos if not arrived_as_photo(p)]
    for same_kind in (as_photos, as_documents):
        for start in range(0, len(same_kind), MAX_ALBUM):
            missing += await _send_album(ctx, chat, same_kind[start : start + MAX_ALBUM])
    if missing:
        await reply(update, texts.files_not_sent(missing))


def _name(attachment: Attachment, fallback: str) -> str:
    return attachment.original_name or f"{fallback}（{attachment.sha256[:8]}）"


async def _send_album(ctx: ChatContext, chat: Chat, album: list[Attachment]) -> list[str]:
    """Send ``album``; the names of the files that could not be sent."""
    with_ids = [a for a in album if a.telegram_file_id]
    if len(album) > 1 and len(with_ids) == len(album):
        media = [
            InputMediaPhoto(a.telegram_file_id) if arrived_as_photo(a) else InputMediaDocument(a.telegram_file_id)
            for a in album
        ]
        try:
            await chat.send_media_group(media)
            return []
        except TelegramError as error:
            # One refused id spoils the album: send each on its own, uploading where needed.
            log.warning("album by file id refused", extra={"error": str(error)})
    return [_name(a, texts.PHOTO_FILE_NAME) for a in album if not await _send_one(ctx, chat, a)]


async def _send_one(ctx: ChatContext, chat: Chat, attachment: Attachment) -> bool:
    """By file id, else by uploading the stored copy; False when neither worked."""
    send = chat.send_photo if arrived_as_photo(attachment) else chat.send_document
    if attachment.telegram_file_id:
        try:
            await send(attachment.telegram_file_id)
            return True
        except TelegramError as error:
            # An id of another bot token, or expired: the stored copy is the truth.
            log.warning("file id refused", extra={"attachment_id": attachment.id, "error": str(error)})
    try:
        path = media_path(ctx.zhibu.config.media_dir, attachment.path)
    except ValueError:
        return False
    if not path.is_file():
        log.warning("stored file missing", extra={"attachment_id": attachment.id})
        return False
    try:
        with path.open("rb") as stream:
            if arrived_as_photo(attachment):
                await chat.send_photo(stream)
            else:
                await chat.send_document(stream, filename=attachment.original_name)
        return True
    except TelegramError as error:
        log.warning("stored file not sent", extra={"attachment_id": attachment.id, "error": str(error)})
        return False

"""What every handler shares: the typed callback context, the person behind an
update, replies split below Telegram's limit, and file intake."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from sqlmodel import Session
from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackContext, ConversationHandler, ExtBot
from telegram.warnings import PTBUserWarning

from bot import services, texts
from bot.auth import Person
from bot.dates import DateProblem, DateRejected
from storage.media import MAX_BYTES, MediaRejected, RejectReason, store_file

if TYPE_CHECKING:
    from bot.context import AppContext

MAX_MESSAGE_CHARS = 4096
DOCUMENT_WITHOUT_NAME = "document"
_APP_CONTEXT_ATTRIBUTE = "zhibu_context"


def attach_context(application: Application, context: AppContext) -> None:
    """Make ``context`` reachable from every callback (``ctx.zhibu``)."""
    setattr(application, _APP_CONTEXT_ATTRIBUTE, context)


def app_context(application: Application) -> AppContext:
    """The app's context attached by :func:`attach_context`."""
    return getattr(application, _APP_CONTEXT_ATTRIBUTE)


class ChatContext(CallbackContext[ExtBot, dict, dict, dict]):
    """The callback context, with the app's context and the person it acts for."""

    def __init__(self, application: Application, chat_id: int | None = None, user_id: int | None = None) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self.person: Person | None = None

    @property
    def zhibu(self) -> AppContext:
        return getattr(self.application, _APP_CONTEXT_ATTRIBUTE)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction on the bot's database."""
        with self.zhibu.session() as session:
            yield session

    def today(self):
        return self.zhibu.today()

    def now(self):
        return self.zhibu.clock.now()


def look_up_person(ctx: ChatContext, telegram_id: int) -> Person | None:
    with ctx.session() as session:
        return services.person_for(session, ctx.zhibu.ruleset, telegram_id)


def split_text(text: str, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, cut at line ends where possible."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current or not pieces:
        pieces.append(current)
    return pieces


async def reply(update: Update, text: str, **kwargs) -> Message | None:
    """Answer in the update's chat; long text goes out in several messages (markup on the last)."""
    chat = update.effective_chat
    if chat is None:
        return None
    markup = kwargs.pop("reply_markup", None)
    pieces = split_text(text)
    message = None
    for index, piece in enumerate(pieces):
        last = index == len(pieces) - 1
        message = await chat.send_message(piece, reply_markup=markup if last else None, **kwargs)
    return message


async def answer_button(update: Update, text: str | None = None, *, alert: bool = False) -> None:
    """Acknowledge a button press (Telegram shows a spinner until we do)."""
    if update.callback_query is not None:
        try:
            await update.callback_query.answer(text, show_alert=alert)
        except TelegramError:
            pass  # a query older than Telegram's limit cannot be answered; nothing to do


async def drop_buttons(update: Update) -> None:
    """Remove the keyboard of the message whose button was pressed (so it is not pressed twice)."""
    query = update.callback_query
    if query is not None and query.message is not None:
        try:
            await query.edit_message_reply_markup(reply_markup=None)
        except TelegramError:
            pass  # already edited, or too old to edit


def date_refusal(rejected: DateRejected, max_backdate_days: int) -> str:
    """Why a typed date was refused, in Chinese."""
    if rejected.problem is DateProblem.FUTURE:
        return texts.DATE_IN_FUTURE
    if rejected.problem is DateProblem.TOO_OLD:
        return texts.date_too_old(max_backdate_days)
    return texts.DATE_UNREADABLE


REJECT_TEXTS = {
    RejectReason.TOO_LARGE: texts.FILE_TOO_LARGE,
    RejectReason.WRONG_TYPE: texts.FILE_WRONG_TYPE,
    RejectReason.EMPTY: texts.FILE_WRONG_TYPE,
}


class FileRefused(Exception):
    """A file was not stored; the text says why, in Chinese."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def largest_photo_or_document(message: Message):
    """The Telegram file object of a photo (largest size) or document, and its name."""
    if message.photo:
        return message.photo[-1], None
    if message.document is not None:
        return message.document, message.document.file_name
    return None, None


async def take_file(ctx: ChatContext, message: Message, *, allowed: frozenset[str]) -> services.FileRef:
    """Download the message's photo or document at once and store it by content.

    Raises FileRefused (nothing stored) when it is too large, of the wrong type, or
    cannot be downloaded.
    """
    media, original_name = largest_photo_or_document(message)
    if media is None:
        raise FileRefused(texts.FILE_WRONG_TYPE)
    # Check the announced size before downloading anything (SPEC §9: at most 20 MB).
    if media.file_size is not None and media.file_size > MAX_BYTES:
        raise FileRefused(texts.FILE_TOO_LARGE)
    try:
        telegram_file = await media.get_file()
        if telegram_file.file_size is not None and telegram_file.file_size > MAX_BYTES:
            raise FileRefused(texts.FILE_TOO_LARGE)
        content = bytes(await telegram_file.download_as_bytearray())
    except TelegramError:
        raise FileRefused(texts.FILE_DOWNLOAD_FAILED) from None
    try:
        stored = store_file(ctx.zhibu.config.media_dir, content, allowed=allowed)
    except MediaRejected as rejected:
        raise FileRefused(REJECT_TEXTS[rejected.reason]) from None
    if message.document is not None and not original_name:
        # A document always keeps a name: that is how /meeting knows to re-send its
        # Telegram id with sendDocument (a photo's id works only with sendPhoto).
        original_name = DOCUMENT_WITHOUT_NAME + PurePosixPath(stored.relative_path).suffix
    return services.FileRef(
        stored=stored,
        telegram_file_id=media.file_id,
        telegram_file_unique_id=media.file_unique_id,
        original_name=original_name,
    )


def file_ref_to_json(ref: services.FileRef) -> dict:
    """A FileRef as JSON-able data (conversation drafts are persisted as JSON)."""
    return {
        "sha256": ref.stored.sha256,
        "path": ref.stored.relative_path,
        "mime": ref.stored.mime_type,
        "size": ref.stored.size,
        "file_id": ref.telegram_file_id,
        "unique_id": ref.telegram_file_unique_id,
        "name": ref.original_name,
    }


def file_ref_from_json(data: dict) -> services.FileRef:
    from storage.media import StoredFile

    return services.FileRef(
        stored=StoredFile(sha256=data["sha256"], relative_path=data["path"], mime_type=data["mime"], size=data["size"]),
        telegram_file_id=data.get("file_id"),
        telegram_file_unique_id=data.get("unique_id"),
        original_name=data.get("name"),
    )


def build_conversation(build: Callable[[], ConversationHandler]) -> ConversationHandler:
    """``build()`` with PTB's per_message warning silenced: buttons are tracked per chat
    and user on purpose (one conversation per person)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBUserWarning)
        return build()


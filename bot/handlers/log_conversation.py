"""The logging conversation (SPEC §5) declared as data: which handler answers what,
in which step. Persistent (survives a restart); ends after 30 minutes of silence."""

from __future__ import annotations


from datetime import timedelta

from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram import Update

from bot import texts
from bot.handlers import log_files, log_save, log_steps
from bot.handlers.common import build_conversation
from bot.handlers.log_draft import TIMEOUT, Step, with_draft

NAME = "log_meeting"
CONVERSATION_TIMEOUT = timedelta(minutes=30)

TEXT = filters.TEXT & ~filters.COMMAND
FILES = filters.PHOTO | filters.Document.ALL
ANYTHING_ELSE = filters.ALL & ~filters.COMMAND


def _button(callback, pattern: str) -> CallbackQueryHandler:
    return CallbackQueryHandler(callback, pattern=pattern)


def conversation() -> ConversationHandler:
    return build_conversation(_build)


def _build() -> ConversationHandler:
    return ConversationHandler(
        name=NAME,
        persistent=True,
        per_chat=True,
        per_user=True,
        per_message=False,
        conversation_timeout=CONVERSATION_TIMEOUT,
        entry_points=[
            CommandHandler("log", log_steps.start_log),
            _button(log_steps.start_from_reminder, r"^log:"),
        ],
        states={
            Step.SYSTEM: [
                _button(with_draft(log_steps.on_system), r"^lg:sys:[a-z_]+$"),
                MessageHandler(ANYTHING_ELSE, log_save.hint(texts.EXPECTING_BUTTON)),
            ],
            Step.GROUP: [
                _button(with_draft(log_steps.on_group), r"^lg:grp:[A-Za-z0-9_-]+$"),
                MessageHandler(ANYTHING_ELSE, log_save.hint(texts.EXPECTING_BUTTON)),
            ],
            Step.DATE: [
                _button(with_draft(log_steps.on_date_button), r"^lg:date:(today|yesterday)$"),
                MessageHandler(TEXT, with_draft(log_steps.on_date_text)),
                MessageHandler(ANYTHING_ELSE, log_save.hint(texts.DATE_UNREADABLE)),
            ],
            Step.TOPIC: [
                MessageHandler(TEXT, with_draft(log_steps.on_topic)),
                MessageHandler(ANYTHING_ELSE, log_save.hint(texts.EXPECTING_TOPIC)),
            ],
            Step.ATTENDANCE: [
                _button(with_draft(log_steps.on_attendance), r"^lg:att:(\d{1,3}|all|ok)$"),
                MessageHandler(ANYTHING_ELSE, log_save.hint(texts.EXPECTING_BUTTON)),
            ],
            Step.ABSENCE: [
                _button(with_draft(log_steps.on_absence_reason), r"^lg:why:[a-z]+$"),
                MessageHandler(ANYTHING_ELSE, log_save.hint(texts.EXPECTING_BUTTON)),
            ],
            Step.STANDALONE: [
                _button(with_draft(log_steps.on_standalone), r"^lg:sa:(yes|no)$"),
                MessageHandler(ANYTHING_ELSE, log_save.hint(texts.EXPECTING_BUTTON)),
            ],
            Step.COVERS: [
                _button(with_draft(log_steps.on_cover), r"^lg:cov:[a-z_]+$"),
                MessageHandler(ANYTHING_ELSE, log_save.hint(texts.EXPECTING_BUTTON)),
            ],
            Step.MINUTES: [
                _button(with_draft(log_files.on_minutes_later), r"^lg:min:later$"),
                MessageHandler(TEXT, with_draft(log_files.on_minutes_text)),
                MessageHandler(FILES, with_draft(log_files.on_minutes_file)),
                MessageHandler(ANYTHING_ELSE, log_save.hint(texts.EXPECTING_MINUTES)),
            ],
            Step.PHOTOS: [
                _button(with_draft(log_files.on_photos_done), r"^lg:pho:done$"),
                _button(with_draft(log_files.on_photos_later), r"^lg:pho:later$"),
                _button(with_draft(log_files.on_photos_clear), r"^lg:pho:clear$"),
                MessageHandler(FILES, with_draft(log_files.on_photo)),
                MessageHandler(ANYTHING_ELSE, log_save.hint(texts.EXPECTING_PHOTO)),
            ],
            Step.SUMMARY: [
                _button(with_draft(log_save.on_summary), r"^lg:sum:(save|edit|cancel)$"),
                MessageHandler(ANYTHING_ELSE, log_save.hint(texts.EXPECTING_BUTTON)),
            ],
            Step.EDIT: [
                _button(with_draft(log_save.on_edit), r"^lg:edit:(date|topic|attendance|minutes|photos)$"),
                MessageHandler(ANYTHING_ELSE, log_save.hint(texts.EXPECTING_BUTTON)),
            ],
            TIMEOUT: [TypeHandler(Update, log_save.on_timeout)],
        },
        fallbacks=[
            CommandHandler("cancel", log_save.cancel),
            CommandHandler("log", log_save.log_in_progress),
            _button(log_save.log_in_progress, r"^log:"),
            _button(log_save.stale_button, r"^lg:"),
        ],
    )


def handlers() -> list[BaseHandler]:
    return [conversation()]

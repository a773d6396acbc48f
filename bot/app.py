"""The python-telegram-bot Application: token and API endpoints from the config,
conversations persisted in the database, Chinese command list, every handler."""

from __future__ import annotations

import importlib
import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes

from bot import handlers, texts
from bot.context import AppContext
from bot.handlers import menu, resume
from bot.handlers.common import ChatContext, attach_context
from bot.persistence import DatabasePersistence

log = logging.getLogger(__name__)


class MissingToken(Exception):
    """No bot token in the config or in ZHIBU_TELEGRAM_TOKEN."""


def build_application(context: AppContext) -> Application:
    """The bot, ready to ``run_polling`` / ``run_webhook`` (or to be started by a test harness)."""
    token = context.config.token
    if not token:
        raise MissingToken("telegram.token is not set (config or ZHIBU_TELEGRAM_TOKEN)")
    if context.engine is None:
        raise RuntimeError("open_database(context) before build_application")
    telegram = context.config.telegram
    builder = (
        ApplicationBuilder()
        .token(token)
        .context_types(ContextTypes(context=ChatContext))
        .persistence(DatabasePersistence(context.engine, context.clock))
        # One update at a time: a person's album photos and button presses keep their order.
        .concurrent_updates(False)
        .rate_limiter(AIORateLimiter(max_retries=0))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if telegram.base_url:
        builder = builder.base_url(telegram.base_url)
    if telegram.base_file_url:
        builder = builder.base_file_url(telegram.base_file_url)
    application = builder.build()
    attach_context(application, context)
    handlers.register(application)
    application.add_error_handler(_on_error)
    return application


async def _on_error(update: object, ctx: ChatContext) -> None:
    """Log a handler's crash (never the token) and tell the person something went wrong."""
    log.error("handler failed", extra={"update_id": getattr(update, "update_id", None)}, exc_info=ctx.error)
    if isinstance(update, Update) and update.effective_chat is not None and update.effective_chat.type == "private":
        try:
            await update.effective_chat.send_message(texts.SOMETHING_WENT_WRONG)
        except TelegramError:
            pass  # Telegram itself is failing; the log has it


def _engine():
    """The reminder engine's module, if installed (it is owned by another area)."""
    try:
        return importlib.import_module("bot.scheduler")
    except ModuleNotFoundError as missing:
        if missing.name != "bot.scheduler":
            raise
        return None


async def _post_init(application: Application) -> None:
    context: AppContext = getattr(application, "zhibu_context")
    await menu.register_commands(application)
    # Conversations restored from the database get back the time-out PTB does not persist.
    await resume.resume_timeouts(application, context.clock.now())
    engine = _engine()
    if engine is not None:
        await engine.start(application, context)
    else:
        log.warning("bot.scheduler is missing: no reminders will be sent")


async def _post_shutdown(application: Application) -> None:
    engine = _engine()
    if engine is not None:
        await engine.stop(application)

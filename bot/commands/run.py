"""``zhibu run``: bring the database up to date, then serve the bot by long polling,
or by a webhook when ``[telegram.webhook]`` is configured. SIGINT / SIGTERM stop it
cleanly (python-telegram-bot's run_* install those handlers)."""

from __future__ import annotations

import argparse
import logging
import signal
import sys

from telegram import Update

from bot.cli import EXIT_OK, EXIT_USAGE
from bot.context import load_context, open_database

log = logging.getLogger("zhibu")
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGABRT)


def _configure_logging() -> None:
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO)
    # httpx logs every request URL, and a Bot API URL contains the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


def run(args: argparse.Namespace) -> int:
    """Serve until SIGINT / SIGTERM; exit 2 with one line when the token is missing."""
    context = load_context(args.config)
    if not context.config.token:
        print(f"zhibu: {args.config}: telegram.token: not set (put it in the config or in ZHIBU_TELEGRAM_TOKEN)", file=sys.stderr)
        return EXIT_USAGE
    _configure_logging()
    from bot.app import build_application

    open_database(context)
    try:
        application = build_application(context)
        webhook = context.config.telegram.webhook
        if webhook is None:
            log.info("starting: long polling")
            application.run_polling(allowed_updates=Update.ALL_TYPES, stop_signals=STOP_SIGNALS)
        else:
            log.info("starting: webhook on %s:%s", webhook.listen, webhook.port)
            application.run_webhook(
                listen=webhook.listen,
                port=webhook.port,
                url_path=webhook.url_path,
                webhook_url=webhook.url,
                secret_token=webhook.secret_token,
                allowed_updates=Update.ALL_TYPES,
                stop_signals=STOP_SIGNALS,
            )
    finally:
        context.close()
    log.info("stopped")
    return EXIT_OK

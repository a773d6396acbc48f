"""``zhibu run``: bring the database up to date, then serve the bot by long polling,
or by a webhook when ``[telegram.webhook]`` is configured. SIGINT / SIGTERM stop it
cleanly (python-telegram-bot's run_* install those handlers)."""

from __future__ import annotations

import argparse
import gc
import logging
import signal
import sys

from telegram import Update

from bot.cli import EXIT_OK, EXIT_USAGE
from bot.context import load_context, open_database
from bot.observability import configure_logging, log_startup_summary

log = logging.getLogger("zhibu")
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGABRT)


def run(args: argparse.Namespace) -> int:
    """Serve until SIGINT / SIGTERM; exit 2 with one line when the token is missing."""
    context = load_context(args.config)
    if not context.config.token:
        print(f"zhibu: {args.config}: telegram.token: not set (put it in the config or in ZHIBU_TELEGRAM_TOKEN)", file=sys.stderr)
        return EXIT_USAGE
    webhook = context.config.telegram.webhook
    # JSON lines on stderr; the token (in every Bot API URL) and the webhook secret redacted.
    configure_logging(secrets=[context.config.token, webhook.secret_token if webhook else ""])
    from bot.app import build_application

    open_database(context)
    log_startup_summary(context, "webhook" if webhook else "polling", log)
    try:
        application = build_application(context)
        # Everything built so far lives as long as the process: keep it out of the
        # cyclic collector's generations, whose full passes were the p95 tail of /status.
        gc.freeze()
        if webhook is None:
            application.run_polling(allowed_updates=Update.ALL_TYPES, stop_signals=STOP_SIGNALS)
        else:
            log.info("webhook listening", extra={"listen": webhook.listen, "port": webhook.port})
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

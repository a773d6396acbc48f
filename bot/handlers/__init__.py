"""The chat handlers, in the order the application tries them."""

from __future__ import annotations

import importlib
import logging

from telegram.ext import Application, BaseHandler

from bot.handlers import amend, binding, fallback, gate, log_conversation, queries, records, resume

log = logging.getLogger(__name__)

# Modules other areas own; registered when present (engine buttons, /export).
OPTIONAL_MODULES = ("bot.handlers.reminder_buttons", "bot.handlers.export")


def _optional_handlers() -> list[BaseHandler]:
    found: list[BaseHandler] = []
    for name in OPTIONAL_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as missing:
            if missing.name != name:
                raise
            log.info("%s is not installed; its buttons or commands are off", name)
            continue
        found.extend(module.handlers())
    return found


def register(application: Application) -> None:
    """Every handler: the gate first (group -1), then conversations, commands, fallbacks;
    last (group 1) the stamp of each person's activity in their open conversations."""
    application.add_handlers(gate.handlers(), group=gate.GATE_GROUP)
    application.add_handlers(
        log_conversation.handlers()
        + amend.handlers()
        + binding.handlers()
        + queries.handlers()
        + records.handlers()
        + _optional_handlers()
        + fallback.handlers()
    )
    application.add_handlers(resume.handlers(), group=resume.ACTIVITY_GROUP)

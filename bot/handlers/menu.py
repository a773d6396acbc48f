"""The command menu Telegram shows (setMyCommands): every member sees the commands
every member may use; a person who may do more (the secretary, the committee,
whoever logs meetings) gets their own fuller list, scoped to their private chat."""

from __future__ import annotations

import logging

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError
from telegram.ext import Application

from bot import services, texts
from bot.handlers.common import app_context
from bot.auth import AUTHORIZATION, Action, Person, may
from scheduling.rules import Ruleset

log = logging.getLogger(__name__)

# Which action of the authorization table a command stands for.
COMMAND_ACTIONS: dict[str, Action] = {
    "log": Action.LOG,
    "status": Action.STATUS,
    "overdue": Action.OVERDUE,
    "plan": Action.PLAN,
    "records": Action.RECORDS,
    "meeting": Action.RECORDS,
    "export": Action.EXPORT,
    "invite": Action.INVITE,
    "me": Action.ME,
    "help": Action.HELP,
    "cancel": Action.HELP,
}


def default_commands() -> list[BotCommand]:
    """What every bound member may use."""
    return [BotCommand(name, text) for name, text in texts.COMMAND_DESCRIPTIONS if AUTHORIZATION[COMMAND_ACTIONS[name]].everyone]


def commands_for(person: Person, ruleset: Ruleset) -> list[BotCommand]:
    """Every command this person may use, in the menu's order."""
    return [BotCommand(name, text) for name, text in texts.COMMAND_DESCRIPTIONS if may(person, COMMAND_ACTIONS[name], ruleset)]


async def set_person_commands(application: Application, chat_id: int, person: Person | None) -> None:
    """This person's own menu in their chat; a person with only the default list (or
    nobody any more, after a rebind) gets the per-chat list removed."""
    ruleset = app_context(application).ruleset
    commands = commands_for(person, ruleset) if person is not None else []
    scope = BotCommandScopeChat(chat_id)
    try:
        if commands and commands != default_commands():
            await application.bot.set_my_commands(commands, scope=scope)
        else:
            await application.bot.delete_my_commands(scope=scope)
    except TelegramError as error:
        # A person who blocked the bot keeps the old menu; nothing else depends on it.
        log.warning("command menu not set", extra={"chat_id": chat_id, "error": str(error)})


async def register_commands(application: Application) -> None:
    """At start-up: the default menu, then each bound member's own."""
    await application.bot.set_my_commands(default_commands(), scope=BotCommandScopeDefault())
    context = app_context(application)
    with context.session() as session:
        people = services.bound_people(session, context.ruleset)
    for telegram_id, person in people:
        await set_person_commands(application, telegram_id, person)

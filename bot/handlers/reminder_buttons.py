"""The reminder's own buttons: 已定日期 (``plan:<obligation_key>``) asks for the
planned date — tapped or typed — and 稍后提醒 (``snooze:<obligation_key>``) asks
for the reminder again on the next workday. (登记会议, ``log:…``, belongs to the
logging conversation.) Only the obligation's responsible persons and the secretary
may press them; neither ever delays escalation — the engine keeps escalation days
apart from reminder days.
"""

from __future__ import annotations

import warnings
from datetime import date, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot import scheduler, texts
from bot.auth import Action, Target, may
from bot.delivery import obligation_label
from bot.dates import DateRejected, parse_day
from bot.handlers.common import ChatContext, answer_button, reply
from scheduling.obligations import Obligation, Status, compliance, parse_obligation_key
from storage import outbox
from storage.records import load_sittings

ASK_DATE = 0
PLAN_KEY = "zhibu.engine.plan_key"  # user_data: the obligation whose date is being asked
DATE_BUTTONS = 6
MAX_AHEAD_DAYS = 366
TIMEOUT_MINUTES = 30


class BadPlannedDate(ValueError):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def parse_planned_date(text: str, today: date) -> date:
    """A day from ``2026-03-28`` or ``3月28日`` (without a year: the next such day)."""
    try:
        planned, year_given = parse_day(text, today)
    except DateRejected:
        raise BadPlannedDate(texts.ENGINE_PLAN_UNREADABLE) from None
    if not year_given and planned < today:
        try:
            planned = planned.replace(year=planned.year + 1)
        except ValueError:  # 2月29日 with no such day next year
            raise BadPlannedDate(texts.ENGINE_PLAN_UNREADABLE) from None
    if planned < today:
        raise BadPlannedDate(texts.ENGINE_PLAN_PAST)
    if planned > today + timedelta(days=MAX_AHEAD_DAYS):
        raise BadPlannedDate(texts.ENGINE_PLAN_TOO_FAR)
    return planned


def _what(ctx: ChatContext, obligation: Obligation) -> str:
    return obligation_label(ctx.zhibu.ruleset, obligation)


def _obligation(ctx: ChatContext, data: str) -> Obligation | None:
    """The obligation a button names, if it exists for the enabled systems."""
    try:
        obligation = parse_obligation_key(data.split(":", 1)[1])
    except (ValueError, IndexError):
        return None
    ruleset = ctx.zhibu.ruleset
    if not ruleset.has_system(obligation.system):
        return None
    rule = ruleset.system(obligation.system)
    if rule.group_scoped != (obligation.group is not None) or rule.period is not obligation.period.kind:
        return None
    if obligation.group is not None and obligation.group not in {g.key for g in ruleset.roster.groups}:
        return None
    return obligation


def _is_done(ctx: ChatContext, obligation: Obligation) -> bool:
    year = obligation.period.year
    with ctx.session() as session:
        records = load_sittings(session, start=date(year, 1, 1), end=date(year, 12, 31))
    statuses = compliance(ctx.zhibu.ruleset, records, ctx.today(), year)
    return any(s.obligation == obligation and s.status is Status.DONE for s in statuses)


async def _checked(update: Update, ctx: ChatContext) -> Obligation | None:
    """The pressed obligation, if this person may act on it and it is still open."""
    obligation = _obligation(ctx, update.callback_query.data or "")
    if obligation is None:
        await answer_button(update, texts.ENGINE_BUTTON_STALE, alert=True)
        return None
    target = Target(system=obligation.system, group=obligation.group)
    if not may(ctx.person, Action.LOG_SYSTEM, ctx.zhibu.ruleset, target):
        await answer_button(update, texts.ENGINE_NOT_RESPONSIBLE, alert=True)
        return None
    if _is_done(ctx, obligation):
        await answer_button(update, texts.ENGINE_ALREADY_DONE, alert=True)
        return None
    return obligation


def _date_buttons(ctx: ChatContext) -> InlineKeyboardMarkup:
    calendar = ctx.zhibu.calendar
    day = calendar.workday_on_or_after(ctx.today())
    days = []
    while len(days) < DATE_BUTTONS:
        days.append(day)
        day = calendar.workday_after(day)
    buttons = [
        InlineKeyboardButton(texts.day_button(d), callback_data=f"pd:{d.isoformat()}")
        for d in days
    ]
    return InlineKeyboardMarkup([buttons[:3], buttons[3:]])


async def on_plan_pressed(update: Update, ctx: ChatContext) -> int:
    """已定日期: ask which day the meeting is planned for."""
    obligation = await _checked(update, ctx)
    if obligation is None:
        return ConversationHandler.END
    ctx.user_data[PLAN_KEY] = obligation.key
    await answer_button(update)
    await reply(update, f"{_what(ctx, obligation)}：{texts.ENGINE_PLAN_ASK}", reply_markup=_date_buttons(ctx))
    return ASK_DATE


async def _save_plan(update: Update, ctx: ChatContext, text: str) -> int:
    key = ctx.user_data.get(PLAN_KEY)
    if key is None:
        await reply(update, texts.ENGINE_BUTTON_STALE)
        return ConversationHandler.END
    try:
        day = parse_planned_date(text, ctx.today())
    except BadPlannedDate as bad:
        await reply(update, bad.text)
        return ASK_DATE
    obligation = parse_obligation_key(key)
    with ctx.session() as session:
        outbox.set_planned_on(session, obligation_key=key, day=day, member_id=ctx.person.member_id, now=ctx.now())
    ctx.user_data.pop(PLAN_KEY, None)
    await reply(update, texts.engine_plan_saved(_what(ctx, obligation), day, day > obligation.deadline))
    scheduler.wake(ctx.application)
    return ConversationHandler.END


async def on_date_button(update: Update, ctx: ChatContext) -> int:
    """A tapped day."""
    await answer_button(update)
    return await _save_plan(update, ctx, update.callback_query.data.removeprefix("pd:"))


async def on_date_text(update: Update, ctx: ChatContext) -> int:
    """A typed day (2026-03-28 or 3月28日)."""
    return await _save_plan(update, ctx, update.message.text)


async def on_other(update: Update, ctx: ChatContext) -> int:
    await reply(update, texts.ENGINE_PLAN_UNREADABLE)
    return ASK_DATE


async def on_cancel(update: Update, ctx: ChatContext) -> int:
    ctx.user_data.pop(PLAN_KEY, None)
    await reply(update, texts.ENGINE_PLAN_CANCELLED)
    return ConversationHandler.END


async def on_timeout(update: Update, ctx: ChatContext) -> None:
    ctx.user_data.pop(PLAN_KEY, None)


async def on_snooze_pressed(update: Update, ctx: ChatContext) -> None:
    """稍后提醒: the reminder comes again on the next workday."""
    obligation = await _checked(update, ctx)
    if obligation is None:
        return
    day = ctx.zhibu.calendar.workday_after(ctx.today())
    with ctx.session() as session:
        outbox.set_snoozed_until(session, obligation_key=obligation.key, day=day, now=ctx.now())
    text = texts.engine_snoozed(_what(ctx, obligation), day)
    await answer_button(update)
    await reply(update, text)


def handlers() -> list[BaseHandler]:
    # Buttons tracked per chat and user (one question per person), which PTB warns
    # about for per_message=False; that is what we want.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBUserWarning)
        planning = ConversationHandler(
            name="reminder_plan_date",
            per_chat=True,
            per_user=True,
            per_message=False,
            conversation_timeout=timedelta(minutes=TIMEOUT_MINUTES),
            entry_points=[CallbackQueryHandler(on_plan_pressed, pattern=r"^plan:")],
            states={
                ASK_DATE: [
                    CallbackQueryHandler(on_date_button, pattern=r"^pd:\d{4}-\d{2}-\d{2}$"),
                    MessageHandler(filters.TEXT & ~filters.COMMAND, on_date_text),
                    MessageHandler(filters.ALL & ~filters.COMMAND, on_other),
                ],
                ConversationHandler.TIMEOUT: [TypeHandler(Update, on_timeout)],
            },
            fallbacks=[CommandHandler("cancel", on_cancel)],
        )
    return [planning, CallbackQueryHandler(on_snooze_pressed, pattern=r"^snooze:")]

"""Logging a meeting, steps one to eight: system, group, date, topic, attendance,
absence reasons, standalone, covered systems. Each function answers one update
and returns the next state."""

from __future__ import annotations

from telegram import Update

from bot import keyboards, services, texts
from bot.auth import Action, Target, loggable, may
from bot.dates import DateRejected, parse_held_on
from bot.handlers import log_files, log_save
from bot.handlers.common import ChatContext, answer_button, date_refusal, drop_buttons, reply
from bot.handlers.log_draft import AMEND_KEY, END, TOPIC_MAX_CHARS, Step, draft_of, held_on, new_draft
from scheduling.obligations import parse_obligation_key


def _ruleset(ctx: ChatContext):
    return ctx.zhibu.ruleset


# -- entry -----------------------------------------------------------------------


async def start_log(update: Update, ctx: ChatContext) -> int:
    """``/log``: ask which system, offering only those this person may log."""
    if ctx.user_data.get(AMEND_KEY):
        await reply(update, texts.LOG_IN_PROGRESS)
        return END
    options = loggable(ctx.person, _ruleset(ctx)) if may(ctx.person, Action.LOG, _ruleset(ctx)) else []
    if not options:
        await reply(update, texts.NOTHING_TO_LOG)
        return END
    new_draft(ctx)
    await reply(update, texts.ASK_SYSTEM, reply_markup=keyboards.choices("lg:sys", [(r.key, r.name) for r, _ in options]))
    return Step.SYSTEM


async def start_from_reminder(update: Update, ctx: ChatContext) -> int:
    """The reminder's 登记会议 button (``log:<obligation key>``): system and group pre-filled."""
    try:
        obligation = parse_obligation_key(update.callback_query.data.removeprefix("log:"))
    except ValueError:
        await answer_button(update, texts.BUTTON_EXPIRED, alert=True)
        return END
    target = Target(system=obligation.system, group=obligation.group)
    if not may(ctx.person, Action.LOG_SYSTEM, _ruleset(ctx), target):
        await answer_button(update, texts.NOT_ALLOWED, alert=True)
        return END
    await answer_button(update)
    new_draft(ctx, system=obligation.system, group=obligation.group, period=obligation.period.key)
    return await ask_date(update, ctx)


# -- system and group --------------------------------------------------------------


async def on_system(update: Update, ctx: ChatContext) -> int:
    key = update.callback_query.data.removeprefix("lg:sys:")
    allowed = {rule.key: groups for rule, groups in loggable(ctx.person, _ruleset(ctx))}
    if key not in allowed:
        await answer_button(update, texts.NOT_ALLOWED, alert=True)
        return Step.SYSTEM
    await answer_button(update)
    await drop_buttons(update)
    draft = draft_of(ctx)
    draft["system"] = key
    groups = allowed[key]
    if not groups:
        return await ask_date(update, ctx)
    if len(groups) == 1:
        draft["group"] = groups[0]
        return await ask_date(update, ctx)
    ruleset = _ruleset(ctx)
    options = [(g, ruleset.roster.group(g).name) for g in groups]
    await reply(update, texts.ASK_GROUP, reply_markup=keyboards.choices("lg:grp", options))
    return Step.GROUP


async def on_group(update: Update, ctx: ChatContext) -> int:
    draft = draft_of(ctx)
    group = update.callback_query.data.removeprefix("lg:grp:")
    if not may(ctx.person, Action.LOG_SYSTEM, _ruleset(ctx), Target(draft["system"], group)):
        await answer_button(update, texts.NOT_ALLOWED, alert=True)
        return Step.GROUP
    await answer_button(update)
    await drop_buttons(update)
    draft["group"] = group
    return await ask_date(update, ctx)


# -- date and topic --------------------------------------------------------------------


async def ask_date(update: Update, ctx: ChatContext) -> int:
    draft = draft_of(ctx)
    question = texts.ASK_DATE
    if draft.get("period") and not draft["editing"]:
        # From a reminder: say which obligation this is about. The record still counts
        # for the period of the day it was held (SPEC §2).
        label = services.label(_ruleset(ctx), draft["system"], draft["group"])
        question = texts.logging_for(label, texts.period_label(draft["period"])) + "\n" + question
    await reply(update, question, reply_markup=keyboards.dates())
    return Step.DATE


async def _take_date(update: Update, ctx: ChatContext, text: str) -> int:
    today = ctx.today()
    max_days = _ruleset(ctx).max_backdate_days
    try:
        day = parse_held_on(text, today, max_days)
    except DateRejected as rejected:
        await reply(update, date_refusal(rejected, max_days))
        return Step.DATE
    draft = draft_of(ctx)
    draft["held_on"] = day.isoformat()
    if draft["editing"]:
        return await log_save.show_summary(update, ctx)
    await reply(update, texts.ASK_TOPIC)
    return Step.TOPIC


async def on_date_button(update: Update, ctx: ChatContext) -> int:
    await answer_button(update)
    await drop_buttons(update)
    word = {"today": texts.BUTTON_TODAY, "yesterday": texts.BUTTON_YESTERDAY}[update.callback_query.data.removeprefix("lg:date:")]
    return await _take_date(update, ctx, word)


async def on_date_text(update: Update, ctx: ChatContext) -> int:
    return await _take_date(update, ctx, update.message.text)


async def on_topic(update: Update, ctx: ChatContext) -> int:
    topic = " ".join(update.message.text.split())
    if not 1 <= len(topic) <= TOPIC_MAX_CHARS:
        await reply(update, texts.topic_bad(TOPIC_MAX_CHARS))
        return Step.TOPIC
    draft = draft_of(ctx)
    draft["topic"] = topic
    if draft["editing"]:
        return await log_save.show_summary(update, ctx)
    return await ask_attendance(update, ctx)


# -- attendance ---------------------------------------------------------------------


async def ask_attendance(update: Update, ctx: ChatContext, *, keep: bool = False) -> int:
    """Ask who was present; with ``keep`` (修改 → 出席) start from the ticks and reasons given."""
    draft = draft_of(ctx)
    ruleset = _ruleset(ctx)
    rule = ruleset.system(draft["system"])
    expected = list(ruleset.roster.expected_attendees(rule, draft["group"] if rule.group_scoped else None))
    if keep:
        present = [n for n in draft["present"] if n in expected]
        absent = {n: r for n, r in draft["absent"].items() if n in expected and n not in present}
    else:
        present, absent = [], {}
    draft.update(expected=expected, present=present, absent=absent, pending_absent=[])
    if not expected:
        await reply(update, texts.NOBODY_EXPECTED)
        return await after_attendance(update, ctx)
    question = texts.ASK_ATTENDANCE
    if keep:
        question = texts.attendance_kept(list(absent.items())) + "\n" + question
    await reply(update, question, reply_markup=keyboards.attendance(expected, set(present)))
    return Step.ATTENDANCE


async def on_attendance(update: Update, ctx: ChatContext) -> int:
    draft = draft_of(ctx)
    choice = update.callback_query.data.removeprefix("lg:att:")
    expected = draft["expected"]
    if choice == "all":
        draft["present"] = list(expected)
        choice = "ok"
    if choice == "ok":
        await answer_button(update)
        await drop_buttons(update)
        # Reasons already given (修改 → 出席) are kept; only the newly absent are asked.
        draft["absent"] = {n: r for n, r in draft["absent"].items() if n not in draft["present"]}
        draft["pending_absent"] = [n for n in expected if n not in draft["present"] and n not in draft["absent"]]
        return await _next_absence(update, ctx)
    if not choice.isdigit() or int(choice) >= len(expected):
        await answer_button(update, texts.BUTTON_EXPIRED, alert=True)
        return Step.ATTENDANCE
    name = expected[int(choice)]
    present = draft["present"]
    if name in present:
        present.remove(name)
    else:
        present.append(name)
    await answer_button(update)
    await update.callback_query.edit_message_reply_markup(keyboards.attendance(expected, set(present)))
    return Step.ATTENDANCE


async def _next_absence(update: Update, ctx: ChatContext) -> int:
    draft = draft_of(ctx)
    if draft["pending_absent"]:
        await reply(update, texts.ask_absence_reason(draft["pending_absent"][0]), reply_markup=keyboards.absence_reasons())
        return Step.ABSENCE
    return await after_attendance(update, ctx)


async def on_absence_reason(update: Update, ctx: ChatContext) -> int:
    draft = draft_of(ctx)
    reason = update.callback_query.data.removeprefix("lg:why:")
    if reason not in texts.ABSENCE_REASONS or not draft["pending_absent"]:
        await answer_button(update, texts.BUTTON_EXPIRED, alert=True)
        return Step.ABSENCE
    await answer_button(update)
    await drop_buttons(update)
    draft["absent"][draft["pending_absent"].pop(0)] = reason
    return await _next_absence(update, ctx)


# -- standalone and covered systems -------------------------------------------------------


async def after_attendance(update: Update, ctx: ChatContext) -> int:
    draft = draft_of(ctx)
    if draft["editing"]:
        return await log_save.show_summary(update, ctx)
    if _ruleset(ctx).system(draft["system"]).standalone:
        await reply(update, texts.ASK_STANDALONE, reply_markup=keyboards.yes_no("lg:sa"))
        return Step.STANDALONE
    return await ask_covers(update, ctx)


async def on_standalone(update: Update, ctx: ChatContext) -> int:
    await answer_button(update)
    await drop_buttons(update)
    draft_of(ctx)["standalone"] = update.callback_query.data == "lg:sa:yes"
    return await ask_covers(update, ctx)


def cover_options(ctx: ChatContext, draft: dict) -> list[tuple[str, str]]:
    """Systems this sitting may also count as: the rule's ``may_cover`` and those it hosts,
    enabled, and (for a windowed system) only in its window."""
    ruleset = _ruleset(ctx)
    primary = ruleset.system(draft["system"])
    day = held_on(draft)
    keys = list(primary.may_cover) + [r.key for r in ruleset.enabled if r.host == primary.key and r.key not in primary.may_cover]
    options = []
    for key in keys:
        if not ruleset.has_system(key) or key == primary.key:
            continue
        rule = ruleset.system(key)
        if rule.enabled and (rule.window is None or day is None or rule.window.contains_month(day.month)):
            options.append((key, rule.name))
    return options


async def ask_covers(update: Update, ctx: ChatContext) -> int:
    draft = draft_of(ctx)
    options = cover_options(ctx, draft)
    draft["covers"] = []
    if not options:
        return await log_files.ask_minutes(update, ctx)
    await reply(update, texts.ASK_COVERS, reply_markup=keyboards.covers(options, set()))
    return Step.COVERS


async def on_cover(update: Update, ctx: ChatContext) -> int:
    draft = draft_of(ctx)
    choice = update.callback_query.data.removeprefix("lg:cov:")
    options = cover_options(ctx, draft)
    if choice == "ok":
        await answer_button(update)
        await drop_buttons(update)
        return await log_files.ask_minutes(update, ctx)
    if choice not in dict(options):
        await answer_button(update, texts.BUTTON_EXPIRED, alert=True)
        return Step.COVERS
    covers = draft["covers"]
    if choice in covers:
        covers.remove(choice)
    else:
        covers.append(choice)
    await answer_button(update)
    await update.callback_query.edit_message_reply_markup(keyboards.covers(options, set(covers)))
    return Step.COVERS

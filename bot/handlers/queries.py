"""Questions people ask: /help, /me, /status [YEAR], /overdue, /plan."""

from __future__ import annotations

import io
import logging
from datetime import time

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot import services, texts
from bot.auth import Action, loggable, may
from bot.handlers.common import ChatContext, reply

log = logging.getLogger(__name__)
MIN_YEAR, MAX_YEAR = 2000, 2100


async def help_command(update: Update, ctx: ChatContext) -> None:
    """What the bot does and the commands this person may use (as in their command menu)."""
    from bot.handlers.menu import commands_for

    ruleset = ctx.zhibu.ruleset
    commands = [c.command for c in commands_for(ctx.person, ruleset)]
    if not loggable(ctx.person, ruleset):
        # /log would only answer that there is nothing for them to log.
        commands = [c for c in commands if c != "log"]
    await reply(update, texts.help_text(commands))


async def me(update: Update, ctx: ChatContext) -> None:
    """Who this account is bound as, with roles and responsibilities."""
    person = ctx.person
    ruleset = ctx.zhibu.ruleset
    roles = sorted(person.roles | ({"group_leader"} if person.leads else set()), key=list(texts.ROLE_NAMES).index)
    text = texts.me_text(person.name, roles, services.group_name(ruleset, person.group), services.duties(person, ruleset))
    await reply(update, text)


def _line(ruleset, status, today) -> str:
    obligation = status.obligation
    days_left = (obligation.deadline - today).days
    return texts.status_line(
        services.label(ruleset, obligation.system, obligation.group),
        texts.period_label(obligation.period.key),
        status.status.value,
        obligation.deadline,
        days_left,
    )


async def status(update: Update, ctx: ChatContext) -> None:
    """``/status``: the current periods in the person's scope; ``/status YEAR``: the year's grid."""
    if ctx.args:
        year_text = ctx.args[0]
        if len(ctx.args) > 1 or not year_text.isdigit() or not MIN_YEAR <= int(year_text) <= MAX_YEAR:
            await reply(update, texts.status_year_bad(MIN_YEAR, MAX_YEAR))
            return
        await _year_grid(update, ctx, int(year_text))
        return
    ruleset = ctx.zhibu.ruleset
    today = ctx.today()
    branch = may(ctx.person, Action.SEE_BRANCH, ruleset)
    with ctx.session() as session:
        statuses = services.current_status(session, ruleset, ctx.person, today=today)
        # Earlier periods still overdue are not in this period's list: point to /overdue.
        late = services.overdue(session, ruleset, today=today) if branch and may(ctx.person, Action.OVERDUE, ruleset) else []
    if not statuses:
        await reply(update, texts.STATUS_NOTHING)
        return
    scope = texts.STATUS_SCOPE_BRANCH if branch else texts.STATUS_SCOPE_MINE
    lines = [texts.status_header(today, scope)] + [_line(ruleset, s, today) for s in statuses]
    shown = {s.obligation for s in statuses}
    more = [s for s in late if s.obligation not in shown]
    if more:
        lines.append(texts.status_overdue_more(len(more)))
    await reply(update, "\n".join(lines))


async def _year_grid(update: Update, ctx: ChatContext, year: int) -> None:
    from bot.export.grid import year_grid

    ruleset = ctx.zhibu.ruleset
    with ctx.session() as session:
        statuses = services.visible_year(session, ruleset, ctx.person, year=year, today=ctx.today())
    if not statuses:
        await reply(update, texts.status_year_nothing(year))
        return
    grid = year_grid(ruleset, statuses, year)
    rows = ["      " + "".join(f"{m:>3}" for m in range(1, 13))]
    for row in grid.rows:
        cells = "".join(f"{texts.STATUS_SYMBOLS.get(c, ' '):>3}" for c in row.cells)
        rows.append(f"{cells}  {row.label}")
    body = "\n".join(rows)
    await reply(update, texts.year_grid_header(year))
    # Monospace block; split so that each message stays under Telegram's limit.
    chunk: list[str] = []
    for line in body.split("\n"):
        if sum(len(x) + 1 for x in chunk) + len(line) > 3800:
            await _send_pre(update, "\n".join(chunk))
            chunk = []
        chunk.append(line)
    if chunk:
        await _send_pre(update, "\n".join(chunk))
    await _send_chart(update, ctx, grid, year)


async def _send_pre(update: Update, text: str) -> None:
    from telegram.helpers import escape

    await update.effective_chat.send_message(f"<pre>{escape(text)}</pre>", parse_mode="HTML")


async def _send_chart(update: Update, ctx: ChatContext, grid, year: int) -> None:
    """The grid as a PNG, when the chart module is installed; the text grid stands alone otherwise."""
    try:
        from bot.export.chart import render_year_grid_png
    except ImportError:
        return
    try:
        png = render_year_grid_png(grid, title=texts.year_chart_title(year, ctx.zhibu.config.branch.name))
    except Exception:
        log.exception("rendering the year chart failed")
        return
    await update.effective_chat.send_photo(io.BytesIO(png), filename=f"{year}.png")


async def overdue(update: Update, ctx: ChatContext) -> None:
    """``/overdue`` (secretary, committee): what is late, by how long, whose."""
    ruleset = ctx.zhibu.ruleset
    if not may(ctx.person, Action.OVERDUE, ruleset):
        await reply(update, texts.NOT_ALLOWED)
        return
    today = ctx.today()
    with ctx.session() as session:
        late = services.overdue(session, ruleset, today=today)
    if not late:
        await reply(update, texts.OVERDUE_NONE)
        return
    lines = [
        texts.overdue_line(
            services.label(ruleset, s.obligation.system, s.obligation.group),
            texts.period_label(s.obligation.period.key),
            (today - s.obligation.deadline).days,
            list(s.responsible),
        )
        for s in late
    ]
    await reply(update, "\n".join(lines))


async def plan(update: Update, ctx: ChatContext) -> None:
    """``/plan``: my deadlines in the next 60 days, and the same as an .ics file."""
    ruleset = ctx.zhibu.ruleset
    today = ctx.today()
    with ctx.session() as session:
        mine = services.my_plan(session, ruleset, ctx.person, today=today)
    if not mine:
        await reply(update, texts.PLAN_NONE)
        return
    lines = [texts.PLAN_HEADER] + [
        texts.plan_line(
            services.label(ruleset, s.obligation.system, s.obligation.group),
            texts.period_label(s.obligation.period.key),
            s.obligation.deadline,
            (s.obligation.deadline - today).days,
            s.status.value,
        )
        for s in mine
    ]
    await reply(update, "\n".join(lines))
    calendar_file = _ics(ctx, [s.obligation for s in mine])
    if calendar_file is not None:
        await update.effective_chat.send_document(
            io.BytesIO(calendar_file), filename="zhibu-plan.ics", caption=texts.PLAN_ICS_CAPTION
        )


def _ics(ctx: ChatContext, obligations) -> bytes | None:
    try:
        from scheduling.ics import plan_calendar
        from scheduling.reminder_plan import plan_obligations
    except ImportError:
        return None
    config = ctx.zhibu.config
    try:
        planned = plan_obligations(ctx.zhibu.ruleset, ctx.zhibu.calendar, obligations)
        send_time: time = config.reminders.send_time
        return plan_calendar(
            ctx.zhibu.ruleset, planned, zone=ctx.zhibu.zone, send_time=send_time, name=config.branch.name, stamp=ctx.now()
        )
    except Exception:
        log.exception("building the .ics plan failed")
        return None


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler("help", help_command),
        CommandHandler("me", me),
        CommandHandler("status", status),
        CommandHandler("overdue", overdue),
        CommandHandler("plan", plan),
    ]

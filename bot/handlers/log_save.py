"""Logging a meeting, the end: the summary with 保存 / 修改 / 取消, saving in one
transaction with the verdict, the note to the secretary, cancel and time-out."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot import keyboards, services, texts
from bot.auth import Action, Target, may
from bot.handlers import log_files, log_steps
from bot.handlers.common import ChatContext, answer_button, drop_buttons, file_ref_from_json, reply
from bot.handlers.log_draft import END, Step, drop_draft, draft_of, held_on

log = logging.getLogger(__name__)


def _minutes_text(draft: dict) -> str:
    if draft["minutes_text"]:
        return texts.MINUTES_TEXT
    if draft["minutes_file"]:
        return texts.MINUTES_FILE
    return texts.DEFERRED if draft["minutes_deferred"] else texts.NONE


def _photos_text(draft: dict) -> str:
    if draft["photos"]:
        return texts.photos_count(len(draft["photos"]))
    return texts.DEFERRED if draft["photos_deferred"] else texts.NONE


async def show_summary(update: Update, ctx: ChatContext) -> int:
    draft = draft_of(ctx)
    draft["editing"] = False
    ruleset = ctx.zhibu.ruleset
    text = texts.summary(
        system_name=ruleset.system(draft["system"]).name,
        group_name=services.group_name(ruleset, draft["group"]),
        held_on=held_on(draft),
        topic=draft["topic"],
        present=len(draft["present"]),
        expected=len(draft["expected"]),
        absences=list(draft["absent"].items()),
        standalone=draft["standalone"],
        covers=[ruleset.system(k).name for k in draft["covers"] if ruleset.has_system(k)],
        minutes=_minutes_text(draft),
        photos=_photos_text(draft),
    )
    await reply(update, text, reply_markup=keyboards.summary())
    return Step.SUMMARY


async def on_summary(update: Update, ctx: ChatContext) -> int:
    choice = update.callback_query.data.removeprefix("lg:sum:")
    await answer_button(update)
    await drop_buttons(update)
    if choice == "save":
        return await save(update, ctx)
    if choice == "edit":
        await reply(update, texts.ASK_EDIT_WHAT, reply_markup=keyboards.edit_fields())
        return Step.EDIT
    return await cancel(update, ctx)


async def on_edit(update: Update, ctx: ChatContext) -> int:
    """Go back to one step; when it is answered, the summary comes again."""
    field = update.callback_query.data.removeprefix("lg:edit:")
    await answer_button(update)
    await drop_buttons(update)
    draft = draft_of(ctx)
    draft["editing"] = True
    if field == "date":
        return await log_steps.ask_date(update, ctx)
    if field == "topic":
        await reply(update, texts.ASK_TOPIC)
        return Step.TOPIC
    if field == "attendance":
        return await log_steps.ask_attendance(update, ctx, keep=True)
    if field == "minutes":
        return await log_files.ask_minutes(update, ctx)
    return await log_files.ask_photos(update, ctx, keep=True)


async def save(update: Update, ctx: ChatContext) -> int:
    """One transaction: record, attendance, coverage, attachments, audit. Then the verdict."""
    draft = draft_of(ctx)
    ruleset = ctx.zhibu.ruleset
    # Re-check at the last moment: roles may have changed since the conversation began.
    if not may(ctx.person, Action.LOG_SYSTEM, ruleset, Target(draft["system"], draft["group"])):
        drop_draft(ctx)
        await reply(update, texts.NOT_ALLOWED)
        return END
    present = set(draft["present"])
    attendance = {n: (n in present, None if n in present else draft["absent"].get(n, "other")) for n in draft["expected"]}
    day = held_on(draft)
    try:
        with ctx.session() as session:
            saved = services.save_record(
                session,
                ruleset,
                person=ctx.person,
                system=draft["system"],
                group=draft["group"],
                held_on=day,
                topic=draft["topic"],
                attendance=attendance,
                standalone=draft["standalone"],
                covers=draft["covers"],
                minutes_text=draft["minutes_text"],
                minutes_file=file_ref_from_json(draft["minutes_file"]) if draft["minutes_file"] else None,
                minutes_deferred=draft["minutes_deferred"],
                photos=[file_ref_from_json(p) for p in draft["photos"]],
                photos_deferred=draft["photos_deferred"],
                now=ctx.now(),
                today=ctx.today(),
            )
            secretaries = services.secretaries_chat_ids(session, except_member_id=ctx.person.member_id)
    except Exception:
        log.exception("saving a meeting record failed")
        await reply(update, texts.SAVE_FAILED, reply_markup=keyboards.summary())
        return Step.SUMMARY
    drop_draft(ctx)
    verdict_lines = [services.verdict_text(ruleset, v, draft["group"], day) for v in saved.verdicts]
    answer = texts.saved(saved.record_id, saved.late) + "\n" + "\n".join(verdict_lines)
    if draft["minutes_deferred"] or draft["photos_deferred"]:
        answer += "\n" + texts.DEFERRED_FOLLOW_UP
    await reply(update, answer)
    await _tell_secretaries(ctx, secretaries, draft, day, saved, verdict_lines)
    await tell_engine(ctx, saved.record_id)
    return END


async def _tell_secretaries(ctx: ChatContext, chat_ids: list[int], draft: dict, day, saved: services.Saved, verdicts: list[str]) -> None:
    """The one note about a new record (none to a secretary who logged it); for a 补录,
    whether it ends the escalation of its obligation (the engine says nothing more)."""
    record_id = saved.record_id
    label = services.label(ctx.zhibu.ruleset, draft["system"], draft["group"])
    late = ""
    if saved.late:
        ending = texts.late_ends_escalation if saved.completes else texts.late_escalation_continues
        late = ending(label, texts.period_label(saved.obligation.period.key), saved.obligation.deadline)
    note = texts.secretary_note(
        ctx.person.name, texts.record_line(record_id, day, label, draft["topic"]), "\n".join(verdicts), late
    )
    for chat_id in chat_ids:
        try:
            await ctx.bot.send_message(chat_id, note[:4096])
        except TelegramError as error:
            # The record is saved; a note that cannot be delivered must not undo it.
            log.warning("secretary note not delivered", extra={"record_id": record_id, "error": str(error)})


async def tell_engine(ctx: ChatContext, record_id: int) -> None:
    """Let the reminder engine stop reminders, end escalation, open what follows."""
    try:
        from bot import scheduler
    except ImportError:
        return
    hook = getattr(scheduler, "on_record_saved", None)
    if hook is None:
        return
    try:
        await hook(ctx.application, record_id)
    except Exception:
        log.exception("reminder engine failed on a saved record", extra={"record_id": record_id})


async def cancel(update: Update, ctx: ChatContext) -> int:
    """``/cancel`` or 取消: leave without saving anything."""
    drop_draft(ctx)
    await answer_button(update)
    await reply(update, texts.CANCELLED)
    return END


async def on_timeout(update: Update, ctx: ChatContext) -> None:
    """Thirty minutes of silence: end the conversation and say so."""
    drop_draft(ctx)
    if update.effective_chat is not None:
        await ctx.bot.send_message(update.effective_chat.id, texts.TIMED_OUT)


async def log_in_progress(update: Update, ctx: ChatContext) -> None:
    """``/log`` (or a reminder's 登记会议) while a record is being logged."""
    await answer_button(update, texts.LOG_IN_PROGRESS, alert=True)
    if update.message is not None:
        await reply(update, texts.LOG_IN_PROGRESS)


async def stale_button(update: Update, ctx: ChatContext) -> None:
    """A button of an earlier step (or a forged one): refuse, change nothing."""
    await answer_button(update, texts.BUTTON_EXPIRED, alert=True)


def hint(text: str):
    """A handler that repeats what the current step expects."""

    async def _hint(update: Update, ctx: ChatContext) -> None:
        await reply(update, text)

    _hint.__doc__ = f"Tell the person what the step expects: {text}"
    return _hint

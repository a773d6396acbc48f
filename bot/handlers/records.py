"""Reading records: /records (recent, with buttons), /meeting ID and the ``rec:<id>``
button — one record with its verdict, its minutes and photos re-sent (``record_files``)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot import keyboards, services, texts
from bot.auth import Action
from bot.handlers.common import ChatContext, answer_button, reply
from bot.handlers.record_files import send_record_files
from storage.models import AttachmentKind

MAX_RECORD_ID_DIGITS = 12
# Ids are 32-bit integers in PostgreSQL; a larger number names no record (and must not reach the query).
MAX_RECORD_ID = 2**31 - 1


async def list_records(update: Update, ctx: ChatContext) -> None:
    """``/records``: the newest records this person may open, each with a button."""
    ruleset = ctx.zhibu.ruleset
    with ctx.session() as session:
        rows = services.visible_records(session, ruleset, ctx.person)
    if not rows:
        await reply(update, texts.RECORDS_NONE)
        return
    lines = [texts.RECORDS_HEADER] + [
        texts.record_line(r.id, r.held_on, services.label(ruleset, r.system, r.group_key), r.topic) for r in rows
    ]
    buttons = keyboards.record_list([(r.id, f"#{r.id}") for r in rows])
    await reply(update, "\n".join(lines), reply_markup=buttons)


async def meeting_command(update: Update, ctx: ChatContext) -> None:
    """``/meeting ID``."""
    text = ctx.args[0].lstrip("#") if ctx.args and len(ctx.args) == 1 else ""
    if not text.isdigit() or len(text) > MAX_RECORD_ID_DIGITS:
        await reply(update, texts.MEETING_USAGE)
        return
    await show_record(update, ctx, int(text))


async def record_button(update: Update, ctx: ChatContext) -> None:
    """The ``rec:<id>`` button of /records."""
    record_id = int(update.callback_query.data.removeprefix("rec:"))
    await answer_button(update)
    await show_record(update, ctx, record_id)


async def show_record(update: Update, ctx: ChatContext, record_id: int) -> None:
    """One record if this person may see it; the same refusal whether it exists or not."""
    ruleset = ctx.zhibu.ruleset
    if record_id > MAX_RECORD_ID:
        await reply(update, texts.RECORD_NOT_FOUND)
        return
    with ctx.session() as session:
        detail = services.open_record(session, ruleset, ctx.person, record_id)
        may_amend = detail is not None and services.open_record(session, ruleset, ctx.person, record_id, Action.AMEND_RECORD)
        verdicts = services.verdicts_of(session, ruleset, record_id, detail.record.held_on) if detail else []
    if detail is None:
        await reply(update, texts.RECORD_NOT_FOUND)
        return
    record = detail.record
    photos = [a for a in detail.attachments if a.kind == AttachmentKind.PHOTO.value]
    minutes_files = [a for a in detail.attachments if a.kind == AttachmentKind.MINUTES.value]
    if record.minutes_text or minutes_files:
        minutes = texts.MINUTES_TEXT if record.minutes_text else texts.MINUTES_FILE
    else:
        minutes = texts.DEFERRED_PENDING if record.minutes_deferred else texts.NONE
    if photos:
        photos_text = texts.photos_count(len(photos))
    else:
        photos_text = texts.DEFERRED_PENDING if record.photos_deferred else texts.NONE
    text = texts.record_detail(
        record_id=record.id,
        label=services.label(ruleset, record.system, record.group_key),
        held_on=record.held_on,
        topic=record.topic,
        present=sum(1 for a in detail.attendance if a.present),
        expected=len(detail.attendance),
        absences=[(a.name, a.reason.value if a.reason else "other") for a in detail.attendance if not a.present],
        covers=[ruleset.system(k).name for k in detail.covers if k != record.system and ruleset.has_system(k)],
        minutes=minutes,
        photos=photos_text,
        standalone=record.standalone,
        logged_by=detail.logged_by or "—",
        late=record.late,
        verdict="\n".join(services.verdict_text(ruleset, v, record.group_key, record.held_on) for v in verdicts),
    )
    await reply(update, text, reply_markup=keyboards.record_actions(record.id, has_minutes=bool(record.minutes_text or minutes_files)) if may_amend else None)
    if record.minutes_text:
        await reply(update, texts.MINUTES_HEADING + "\n" + record.minutes_text)
    await send_record_files(update, ctx, minutes_files, photos)


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler("records", list_records),
        CommandHandler("meeting", meeting_command),
        CallbackQueryHandler(record_button, pattern=r"^rec:\d{1,12}$"),
    ]

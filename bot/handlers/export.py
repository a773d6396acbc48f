"""``/export [YEAR]`` (secretary only): the year's ledger and archive, sent as documents.

The export runs in a worker thread (it reads the database and packs files) into a
temporary folder that is removed once everything is sent. Archives above
:data:`PART_LIMIT` arrive in several self-contained parts below Telegram's 50 MB.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from pathlib import Path

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot import texts
from bot.auth import Action, may
from bot.handlers.common import ChatContext, reply

log = logging.getLogger(__name__)

MIN_YEAR = 2000
# The same as bot.export.archive.DEFAULT_PART_LIMIT (a test checks it); written out
# because importing the export code (openpyxl, numpy, Pillow: ~18 MiB) is left to
# the first /export, which keeps the idle bot small.
PART_LIMIT = 45 * 1024 * 1024
# Seconds allowed for one upload: a 45 MB part on a slow line takes a while.
UPLOAD_TIMEOUT = 300


def parse_year(args: list[str], this_year: int) -> int | None:
    """The year asked for (this year when none is given), or None when it makes no sense."""
    if not args:
        return this_year
    if len(args) == 1 and args[0].isascii() and args[0].isdigit() and MIN_YEAR <= int(args[0]) <= this_year:
        return int(args[0])
    return None


async def export_command(update: Update, ctx: ChatContext) -> None:
    """Send the ledger (xlsx) and the archive part(s) (zip) of the year asked for."""
    if not may(ctx.person, Action.EXPORT, ctx.zhibu.ruleset):
        await reply(update, texts.NOT_ALLOWED)
        return
    this_year = ctx.today().year
    year = parse_year(ctx.args or [], this_year)
    if year is None:
        await reply(update, texts.export_year_bad(this_year))
        return
    await reply(update, texts.export_working(year))
    from bot.export.service import export_year

    with tempfile.TemporaryDirectory(prefix="zhibu-export-") as folder:
        try:
            result = await asyncio.to_thread(export_year, ctx.zhibu, year=year, out_dir=folder, part_limit=PART_LIMIT)
        except Exception:
            log.exception("export of %s failed", year)
            await reply(update, texts.EXPORT_FAILED)
            return
        await _send(update, result.ledger, texts.export_ledger_caption(year, result.sittings))
        for number, archive in enumerate(result.archives, start=1):
            await _send(update, archive, texts.export_archive_caption(year, number, len(result.archives)))


async def _send(update: Update, path: Path, caption: str) -> None:
    with path.open("rb") as stream:
        await update.effective_chat.send_document(
            document=stream, filename=path.name, caption=caption, write_timeout=UPLOAD_TIMEOUT
        )


def handlers() -> list[BaseHandler]:
    return [CommandHandler("export", export_command)]

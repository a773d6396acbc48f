"""HTTP details of the fake Bot API: reading a request's parameters the three ways a
client may send them, and Telegram's error body."""

from __future__ import annotations

import json
import re
from typing import Any

from aiohttp import web

from tests.auxil.api_schema import UploadedFile


async def read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    """Query string plus a JSON, form-urlencoded or multipart body; file parts apart."""
    raw: dict[str, Any] = dict(request.query)
    uploads: dict[str, UploadedFile] = {}
    if request.content_type == "application/json":
        body = await request.read()
        if body:
            raw.update(json.loads(body))
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for name, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                uploads[name] = UploadedFile(name, value.filename, value.content_type, value.file.read())
            else:
                raw[name] = value
    return raw, uploads


def error_response(status: int, description: str, retry_after: int | None = None) -> web.Response:
    """Telegram's error answer, with ``parameters.retry_after`` for a 429."""
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return web.json_response(body, status=status)


def update_kind(update: dict[str, Any]) -> str:
    """``message``, ``callback_query`` …: the one key of an update besides its id."""
    return next(key for key in update if key != "update_id")


def chat_key(chat_id: Any) -> Any:
    """A chat id as sent (int, numeric string or @username) turned into one dictionary key."""
    if isinstance(chat_id, str) and re.fullmatch(r"-?\d+", chat_id):
        return int(chat_id)
    return chat_id
